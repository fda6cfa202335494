/**
 * Tests of the COBOL TextMate grammar (grammars/cobol.tmLanguage.json): scopes of fixed-format, free-format and
 * embedded-SQL/CICS code as VS Code's own tokenizer assigns them, the generator's single source of truth, and
 * tokenizing time on very long lines.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { INITIAL } from 'vscode-textmate';
import { describe, expect, it } from 'vitest';
import { GROUP_SCOPES, buildGrammar, grammarPath, readTables, renderGrammar } from '../../grammars/buildGrammar.mjs';
import { check, loadCobolGrammar, tokenize } from './grammarHarness';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/grammar/${name}`, import.meta.url)), 'utf8');

/** A fixed-format line: sequence number, indicator, code padded to column 72, identification area. */
const fixed = (code: string, indicator = ' ', id = 'PROG0001') => `000100${indicator}${code.padEnd(65)}${id}`;

describe('fixed format', () => {
  it('scopes the sequence area, the identification area and indicator comments', async () => {
    expect(
      await check(fixture('fixed.cbl'), [
        ['000100', 'comment.block.sequence-area.cobol'],
        ['IDENTIFICATION', 'keyword.other.division.cobol'],
        ['PAYROLL1', 'comment.block.identification-area.cobol'],
        ['PAYROLL', 'entity.name.type.program.cobol'],
        ['J. SMITH', 'comment.line.comment-entry.cobol'],
        ['*', 'comment.line.indicator.cobol'],
        ['A COMMENT LINE WITH "AN UNCLOSED QUOTE', 'comment.line.indicator.cobol'],
        ['PAYROLL1', 'comment.block.identification-area.cobol'],
        ['/', 'comment.line.indicator.cobol'],
        ['PAGE EJECT COMMENT', 'comment.line.indicator.cobol'],
      ]),
    ).toEqual([]);
  });

  it('scopes data descriptions: levels, names, PICTURE strings, usages, values', async () => {
    expect(
      await check(fixture('fixed.cbl'), [
        ['WORKING-STORAGE', 'keyword.other.section.cobol'],
        ['01', 'constant.numeric.level.cobol'],
        ['WS-RECORD', 'entity.name.variable.data.cobol'],
        ['05', 'constant.numeric.level.cobol'],
        ['PIC', 'storage.modifier.clause.cobol'],
        ['X(30)', 'storage.type.picture.cobol'],
        ['SPACES', 'constant.language.figurative.cobol'],
        ['S9(7)V99', 'storage.type.picture.cobol'],
        ['COMP-3', 'storage.type.usage.cobol'],
        ['ZERO', 'constant.language.figurative.cobol'],
        ['PICTURE', 'storage.modifier.clause.cobol'],
        ['IS', 'keyword.other.cobol'],
        ['ZZ,ZZ9.99', 'storage.type.picture.cobol'],
        ['FILLER', 'storage.modifier.clause.cobol'],
        ["'Y'", 'string.quoted.single.cobol'],
        ['88', 'constant.numeric.level.cobol'],
        ['WS-DONE', 'entity.name.variable.data.cobol'],
        ['"Y"', 'string.quoted.double.cobol'],
        ['X"0D0A"', 'string.quoted.double.hex.cobol'],
        ['N"ABCDE"', 'string.quoted.double.national.cobol'],
      ]),
    ).toEqual([]);
  });

  it('ends a continued literal at column 72 and restarts it after the quote of the continuation line', async () => {
    expect(
      await check(fixture('fixed.cbl'), [
        ['"THIS LITERAL IS CONTINUE', 'string.quoted.double.cobol'],
        ['PAYROLL1', 'comment.block.identification-area.cobol'],
        ['-', 'keyword.other.indicator.continuation.cobol'],
        ['"D ON THE NEXT LINE"', 'string.quoted.double.cobol'],
        ['.', '!string'],
      ]),
    ).toEqual([]);
  });

  it('scopes procedure code: headers, verbs, references, intrinsic functions, floating comments, debug lines', async () => {
    expect(
      await check(fixture('fixed.cbl'), [
        ['PROCEDURE', 'keyword.other.division.cobol'],
        ['MAIN-PARA', 'entity.name.function.cobol'],
        ['MOVE', 'keyword.other.verb.cobol'],
        ['WS-AMOUNT', 'variable.other.cobol'],
        ['TO', 'keyword.other.cobol'],
        ['PERFORM', 'keyword.control.flow.cobol'],
        ['CALC-PARA', 'entity.name.function.cobol'],
        ['THRU', 'keyword.other.cobol'],
        ['CALC-EXIT', 'entity.name.function.cobol'],
        ['3', 'constant.numeric.cobol'],
        ['TIMES', 'keyword.other.cobol'],
        ['FUNCTION', 'keyword.other.cobol'],
        ['UPPER-CASE', 'support.function.intrinsic.cobol'],
        ['*> INLINE COMMENT', 'comment.line.floating.cobol'],
        ['PAYROLL1', 'comment.block.identification-area.cobol'],
        ['END-PERFORM', 'keyword.control.end.cobol'],
        ['D    DISPLAY "DEBUG "', 'meta.debug-line.cobol'],
        ['DISPLAY', 'keyword.other.verb.cobol'],
        ['COPY', 'keyword.control.directive.cobol'],
        ['PAYCOPY', 'entity.name.type.copybook.cobol'],
        ['PAYLIB', 'entity.name.type.copybook.cobol'],
        ['REPLACING', 'keyword.other.cobol'],
        ['==:TAG:==', 'string.quoted.other.pseudo-text.cobol'],
        ['IF', 'keyword.control.flow.cobol'],
        ['>', 'keyword.operator.comparison.cobol'],
        ['100.50', 'constant.numeric.cobol'],
        ['AND', 'keyword.operator.wordlike.cobol'],
        ['GO', 'keyword.control.flow.cobol'],
        ['MAIN-EXIT', 'entity.name.function.cobol'],
        ['STOP', 'keyword.control.flow.cobol'],
        ['CALC-PARA', 'entity.name.function.section.cobol'],
        ['SECTION', 'keyword.other.section.cobol'],
        ['PROGRAM', 'keyword.other.cobol'],
        ['PAYROLL', 'entity.name.type.program.cobol'],
      ]),
    ).toEqual([]);
  });

  it('embeds EXEC SQL as SQL across lines, keeping columns, comments and host variables', async () => {
    expect(
      await check(fixture('fixed.cbl'), [
        ['EXEC', 'keyword.control.directive.exec.cobol'],
        ['SQL', 'keyword.control.directive.exec.cobol'],
        ['002700', 'comment.block.sequence-area.cobol'],
        ['SELECT NAME INTO', 'meta.embedded.block.sql'],
        ['WS-NAME', 'variable.other.host.cobol'],
        ['PAYROLL1', 'comment.block.identification-area.cobol'],
        ['COMMENT INSIDE SQL END-EXEC', 'comment.line.indicator.cobol'],
        ['WHERE ID = 1', 'meta.embedded.block.sql'],
        ['END-EXEC', 'keyword.control.directive.exec.cobol'],
        ['END-EXEC', '!meta.embedded'],
        ['.', 'punctuation.terminator.period.cobol'],
        ['.', '!meta.embedded'],
        ['PAYROLL1', 'comment.block.identification-area.cobol'],
        ['PAYROLL1', '!meta.embedded'],
      ]),
    ).toEqual([]);
  });

  it('scopes EXEC CICS commands, options and arguments', async () => {
    expect(
      await check(fixture('fixed.cbl'), [
        ['CICS', 'keyword.control.directive.exec.cobol'],
        ['RETURN', 'meta.embedded.block.cics.cobol'],
        ['RETURN', 'keyword.other.command.exec.cobol'],
        ['TRANSID', 'keyword.other.option.exec.cobol'],
        ["'T001'", 'string.quoted.single.cobol'],
        ['WS-RESP', 'variable.other.cobol'],
        ['END-EXEC', 'keyword.control.directive.exec.cobol'],
        ['PAYROLL1', 'comment.block.identification-area.cobol'],
      ]),
    ).toEqual([]);
  });

  it('handles lower case, *> inside literals, and the period after a PICTURE string', async () => {
    expect(
      await check([fixed('    display "not *> a comment" *> a comment'), fixed('    05 ws-x pic zz9.99.'), fixed('    move spaces to ws-x')].join('\n'), [
        ['display', 'keyword.other.verb.cobol'],
        ['"not *> a comment"', 'string.quoted.double.cobol'],
        ['*> a comment   ', 'comment.line.floating.cobol'],
        ['ws-x', 'entity.name.variable.data.cobol'],
        ['zz9.99', 'storage.type.picture.cobol'],
        ['.  ', '!storage.type.picture'],
        ['move', 'keyword.other.verb.cobol'],
        ['spaces', 'constant.language.figurative.cobol'],
      ]),
    ).toEqual([]);
  });

  it('scopes the file named by an FD or SD entry', async () => {
    expect(await check(fixed('FD  CUSTOMER-FILE.') + '\n' + fixed('SD  SORT-WORK.'), [['FD', 'storage.type.level-indicator.cobol'], ['CUSTOMER-FILE', 'entity.name.variable.file.cobol'], ['SORT-WORK', 'entity.name.variable.file.cobol']])).toEqual([]);
  });

  it('scopes the indicator of a debugging line', async () => {
    expect(await check(fixed('    DISPLAY X.', 'D'), [['D', 'keyword.other.indicator.debug.cobol'], ['.', 'punctuation.terminator.period.cobol']])).toEqual([]);
  });

  it('never lets a token run from the code area into the identification area', async () => {
    const lines = [
      fixed('MOVE A TO WS-VERY-LONG-DATA-NAME-THAT-ENDS-EXACTLY-AT-COLUMN-72-XXXX'),
      fixed('DISPLAY "AN UNCLOSED LITERAL THAT RUNS TO COLUMN 72 AND BEYOND'),
      fixed('*> A FLOATING COMMENT THAT FILLS THE WHOLE CODE AREA OF THE LINE'),
      fixed('EXEC SQL SELECT A INTO :B FROM T END-EXEC'),
    ];
    const grammar = await loadCobolGrammar();
    for (const t of tokenize(grammar, lines.join('\n'))) {
      expect(t.start < 72 && t.end > 72, `token "${t.text}" on line ${t.line + 1} crosses column 72`).toBe(false);
      if (t.start >= 72) expect(t.scopes).toContain('comment.block.identification-area.cobol');
    }
  });

  it('reads a line whose indicator column holds no valid indicator as free-format code', async () => {
    expect(
      await check('IDENTIFICATION DIVISION.\nPROGRAM-ID. NODIRECTIVE.', [
        ['IDENTIFICATION', 'keyword.other.division.cobol'],
        ['NODIRECTIVE', 'entity.name.type.program.cobol'],
      ]),
    ).toEqual([]);
  });

  it('tells free-format lines without a directive from fixed-format lines by columns 1-6', async () => {
    const free = ['01  ls-zone                    pic 9.', '    if ls-kg > 70', 'END-IF', '    *> volumetric weight', 'FD  F.'].join('\n');
    expect(
      await check(free, [
        ['01', 'constant.numeric.level.cobol'],
        ['ls-zone', 'entity.name.variable.data.cobol'],
        ['if', 'keyword.control.flow.cobol'],
        ['END-IF', 'keyword.control.end.cobol'],
        ['*> volumetric weight', 'comment.line.floating.cobol'],
        ['FD', 'storage.type.level-indicator.cobol'],
      ]),
    ).toEqual([]);
    const sql = ['    exec sql', '        select a into :ws-a from t', '    end-exec', '    move 1 to ws-b.'].join('\n');
    expect(
      await check(sql, [
        ['exec', 'keyword.control.directive.exec.cobol'],
        ['select a into', 'meta.embedded.block.sql'],
        ['ws-a', 'variable.other.host.cobol'],
        ['end-exec', 'keyword.control.directive.exec.cobol'],
        ['move', 'keyword.other.verb.cobol'],
        ['move', '!meta.embedded'],
      ]),
    ).toEqual([]);
    expect(await check('CHG001 MOVE A TO B.\n       MOVE C TO D.', [['CHG001', 'comment.block.sequence-area.cobol'], ['MOVE', 'keyword.other.verb.cobol']])).toEqual([]);
  });

  it('reads CBL/PROCESS compiler-option lines as directives', async () => {
    expect(await check('CBL NODYNAM,LIB\n       PROCESS OPT(2)', [['CBL', 'keyword.control.directive.cobol'], ['PROCESS', 'keyword.control.directive.cobol']])).toEqual([]);
  });
});

describe('free format', () => {
  it('switches to free format after >>SOURCE FORMAT FREE and back after >>SOURCE FORMAT FIXED', async () => {
    expect(
      await check(fixture('free.cbl'), [
        ['>>SOURCE FORMAT IS FREE', 'keyword.control.directive.cobol'],
        ['IDENTIFICATION', 'meta.format.free.cobol'],
        ['IDENTIFICATION', 'keyword.other.division.cobol'],
        ['FREEPROG', 'entity.name.type.program.cobol'],
        ['*> a free-format comment line', 'comment.line.floating.cobol'],
        ['01', 'constant.numeric.level.cobol'],
        ['WS-COUNT', 'entity.name.variable.data.cobol'],
        ['9(4)', 'storage.type.picture.cobol'],
        ['*> trailing comment', 'comment.line.floating.cobol'],
        ['"a line longer than seventy-two columns is fine in free format, really"', 'string.quoted.double.cobol'],
        ['MAIN', 'entity.name.function.section.cobol'],
        ['BEGIN-PARA', 'entity.name.function.cobol'],
        ['DECLARE C1 CURSOR', 'meta.embedded.block.sql'],
        ['WS-COUNT', 'variable.other.host.cobol'],
        ['END-EXEC', 'keyword.control.directive.exec.cobol'],
        ['VARYING', 'keyword.other.cobol'],
        ['>>D', 'keyword.other.indicator.debug.cobol'],
        ['"DEBUGGING"', 'string.quoted.double.cobol'],
        ['GOBACK', 'keyword.control.flow.cobol'],
        ['>>SOURCE', 'keyword.control.directive.cobol'],
        ['>>SOURCE', '!meta.format.free'],
        ['000100', 'comment.block.sequence-area.cobol'],
        ['FIXED-AGAIN', 'entity.name.function.cobol'],
        ['TAGTAG01', 'comment.block.identification-area.cobol'],
      ]),
    ).toEqual([]);
  });

  it('accepts the directive in column 1, lower case, and Micro Focus $SET SOURCEFORMAT', async () => {
    for (const directive of ['>>source free', '      $SET SOURCEFORMAT"FREE"', '000010 >>SOURCE FORMAT FREE']) {
      expect(await check(`${directive}\nMOVE 1 TO X.`, [['MOVE', 'meta.format.free.cobol'], ['MOVE', 'keyword.other.verb.cobol']])).toEqual([]);
    }
  });

  it('does not take a line-start number in a continued statement for a level number', async () => {
    expect(
      await check('>>SOURCE FREE\nCOMPUTE X =\n    10 * Y\nMOVE\n    5 TO Z', [
        ['10', 'constant.numeric.cobol'],
        ['10', '!constant.numeric.level'],
        ['5', '!constant.numeric.level'],
      ]),
    ).toEqual([]);
  });
});

describe('words', () => {
  /** For each line, the scopes of the token at `column` (one word per line, so positions are exact). */
  const scopesAt = async (lines: string[], column: number) => {
    const tokens = tokenize(await loadCobolGrammar(), lines.join('\n'));
    return lines.map((_, line) => tokens.find((t) => t.line === line && t.start <= column && t.end > column)?.scopes ?? []);
  };

  it('gives every reserved word its group scope, in upper and lower case', async () => {
    const cases: [string, string][] = [];
    for (const [group, { words }] of Object.entries(readTables().groups)) {
      if (group === 'intrinsicFunctions') continue;
      // END-EXEC only ever closes an EXEC block, which gives it the EXEC scope.
      for (const word of words.filter((w) => w !== 'END-EXEC')) cases.push([word, GROUP_SCOPES[group]!], [word.toLowerCase(), GROUP_SCOPES[group]!]);
    }
    const scopes = await scopesAt(cases.map(([word]) => fixed(`    ${word}`)), 11);
    const wrong = cases.filter(([, scope], i) => !scopes[i]!.includes(scope)).map(([word, scope], i) => `${word}: want ${scope}, got ${scopes[i]!.join(' ')}`);
    expect(wrong).toEqual([]);
    expect(cases.length).toBeGreaterThan(900);
  });

  it('recognises every intrinsic function after FUNCTION', async () => {
    const { words } = readTables().groups.intrinsicFunctions!;
    const scopes = await scopesAt(words.map((w) => fixed(`    COMPUTE X = FUNCTION ${w}`)), 32);
    expect(words.filter((_, i) => !scopes[i]!.includes('support.function.intrinsic.cobol'))).toEqual([]);
  });

  it('does not highlight keywords inside hyphenated user-defined words', async () => {
    expect(
      await check(fixed('    MOVE WS-MOVE-IF TO END-IFX IF-COUNT ZERO-FLAG'), [
        ['WS-MOVE-IF', 'variable.other.cobol'],
        ['WS-MOVE-IF', '!keyword'],
        ['END-IFX', 'variable.other.cobol'],
        ['IF-COUNT', '!keyword'],
        ['ZERO-FLAG', '!constant.language'],
      ]),
    ).toEqual([]);
  });

  it('scopes every literal form in both quotes', async () => {
    const forms: [string, string][] = [
      ['"AB""C"', 'string.quoted.double.cobol'],
      ["'AB''C'", 'string.quoted.single.cobol'],
      ["X'0A'", 'string.quoted.single.hex.cobol'],
      ['x"0a"', 'string.quoted.double.hex.cobol'],
      ['N"NAT"', 'string.quoted.double.national.cobol'],
      ["NX'00C1'", 'string.quoted.single.national-hex.cobol'],
      ['Z"CSTR"', 'string.quoted.double.null-terminated.cobol'],
      ['G"DBCS"', 'string.quoted.double.dbcs.cobol'],
      ['B"1010"', 'string.quoted.double.boolean.cobol'],
      ['U"UTF8"', 'string.quoted.double.utf8.cobol'],
      ['-12.5E+3', 'constant.numeric.cobol'],
      ['+7', 'constant.numeric.cobol'],
    ];
    expect(await check(forms.map(([form]) => fixed(`    DISPLAY ${form}`)).join('\n'), forms)).toEqual([]);
  });
});

describe('grammar generation', () => {
  it('the committed cobol.tmLanguage.json is what grammars/buildGrammar.mjs generates (else run npm run grammar:build)', () => {
    expect(readFileSync(grammarPath, 'utf8')).toBe(renderGrammar(readTables()));
    const cli = spawnSync(process.execPath, [fileURLToPath(new URL('../../grammars/buildGrammar.mjs', import.meta.url)), '--check'], {
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
  });

  it('takes its words from the table: a word added to a group becomes a keyword of that group', () => {
    const tables = readTables();
    const changed = { groups: { ...tables.groups, statements: { ...tables.groups.statements!, words: [...tables.groups.statements!.words, 'FROBNICATE'] } } };
    expect(JSON.stringify(buildGrammar(changed))).toMatch(/\[Ff\]\(\?i:[A-Z|]*ROBNICATE/);
    expect(JSON.stringify(buildGrammar(tables))).not.toContain('ROBNICATE');
  });

  it('refuses a word group that has no scope', () => {
    const tables = readTables();
    expect(() => buildGrammar({ groups: { ...tables.groups, mystery: { description: '', words: ['X'] } } })).toThrow(/mystery/);
  });
});

describe('long lines', () => {
  const time = async (lines: string[]) => {
    const grammar = await loadCobolGrammar();
    let stack = INITIAL;
    const start = performance.now();
    for (const line of lines) stack = grammar.tokenizeLine(line, stack).ruleStack;
    return performance.now() - start;
  };

  it('tokenizes a 1 MB fixed-format line quickly (only columns 8-72 are code)', async () => {
    await time([fixed('MOVE A TO B')]); // compile the scanners first
    const ms = await time([`000100 ${'MOVE WS-A TO WS-B. '.repeat(55_000)}`]);
    expect(ms).toBeLessThan(5_000);
  });

  it('tokenizes ordinary fixed-format code at thousands of lines per second, however deep the indentation', async () => {
    const lines = Array.from({ length: 4_000 }, (_, i) =>
      fixed(`${' '.repeat(i % 40)}${['05  WS-ITEM-' + i + '  PIC S9(7)V99 COMP-3.', 'MOVE WS-A TO WS-B', 'PARA-' + i + '.', 'IF X > 1 DISPLAY "A" END-IF'][i % 4]}`),
    );
    await time(lines.slice(0, 10));
    expect(await time(lines)).toBeLessThan(4_000);
  });

  it('tokenizes a 200 KB free-format line of dense code in linear time', async () => {
    const unit = 'MOVE WS-A TO WS-B. ADD 1 TO X-Y GIVING Z PIC X(10) "abc" *';
    await time(['>>SOURCE FREE', unit]);
    const small = await time(['>>SOURCE FREE', unit.repeat(200)]);
    const large = await time(['>>SOURCE FREE', unit.repeat(3_500)]);
    expect(large).toBeLessThan(10_000);
    // 17.5x the text must not cost more than ~60x the time (quadratic would be ~300x).
    expect(large / Math.max(small, 1)).toBeLessThan(60);
  });

  it('stays fast on degenerate free-format lines (blanks, quotes, operators)', async () => {
    for (const unit of [' ', '"', '*', '=', '-', '9']) {
      const small = await time(['>>SOURCE FREE', unit.repeat(20_000)]);
      const large = await time(['>>SOURCE FREE', unit.repeat(100_000)]);
      expect(large, `100 KB of ${JSON.stringify(unit)}`).toBeLessThan(5_000);
      // 5x the text: linear is ~5x the time, quadratic ~25x.
      expect(large / Math.max(small, 5), `growth on ${JSON.stringify(unit)}`).toBeLessThan(15);
    }
  });
});
