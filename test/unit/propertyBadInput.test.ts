/**
 * Bad input, as property tests (fast-check): random text, COBOL-ish token
 * soup, truncated and shuffled fixtures, 1 MB lines. The front end must never
 * throw, must terminate quickly, and every diagnostic must have a valid range
 * in the file it names, a non-empty message and code, and a known severity.
 * On a failure fast-check prints the seed and the shrunk input.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusFiles } from '../fixtures/corpus/corpusFiles';
import { analyse, brokenInvariant, type AnalyseOptions } from './propertyFrontEnd';

const root = resolve(__dirname, '../..');

/** Analyses and asserts the invariants; throws (failing the property) with a readable reason. */
function checkSound(text: string, options: AnalyseOptions = {}): void {
  const broken = brokenInvariant(analyse(text, options));
  if (broken) throw new Error(broken);
}

const formats = fc.constantFrom<'auto' | 'fixed' | 'free'>('auto', 'fixed', 'free');

/** Words, literals and punctuation COBOL is made of, including the dangerous ones (unclosed quotes, ==, EXEC). */
const vocabulary = [
  'IDENTIFICATION', 'DIVISION', 'PROGRAM-ID', 'ENVIRONMENT', 'DATA', 'WORKING-STORAGE', 'LOCAL-STORAGE',
  'LINKAGE', 'FILE', 'SECTION', 'PROCEDURE', 'USING', 'RETURNING', 'FD', 'SD', 'SELECT', 'ASSIGN',
  'ORGANIZATION', 'INDEXED', 'RECORD', 'KEY', 'STATUS', 'PIC', 'PICTURE', 'X(10)', '9(5)V99', 'S9(4)',
  'ZZ,ZZ9.99-', 'COMP', 'COMP-3', 'BINARY', 'POINTER', 'VALUE', 'SPACES', 'ZERO', 'OCCURS', 'TIMES',
  'DEPENDING', 'ON', 'BY', 'REDEFINES', 'RENAMES', 'THRU', '01', '05', '10', '49', '66', '77', '88',
  'MOVE', 'TO', 'IF', 'ELSE', 'END-IF', 'PERFORM', 'UNTIL', 'VARYING', 'FROM', 'END-PERFORM', 'EVALUATE',
  'WHEN', 'OTHER', 'END-EVALUATE', 'COMPUTE', 'ADD', 'GIVING', 'END-ADD', 'STRING', 'DELIMITED',
  'END-STRING', 'CALL', 'END-CALL', 'GO', 'STOP', 'RUN', 'EXIT', 'DECLARATIVES', 'END', 'PROGRAM', 'USE',
  'COPY', 'REPLACING', 'LEADING', 'TRAILING', '==', '==X==', 'REPLACE', 'OFF', 'OF', 'IN', 'SUPPRESS',
  'EXEC', 'SQL', 'CICS', 'END-EXEC', ':HOST-VAR', 'INCLUDE', 'SQLCA', '"', "'", '"ABC"', "'IT''S'",
  '"UNCLOSED', 'X"4F"', 'N"ZZ"', '.', '(', ')', ':', '=', '+', '-', '*', '/', '**', '>', '<', '>=',
  '*>', '*> comment', '>>SOURCE FORMAT FREE', '>>SOURCE FORMAT IS FIXED', '>>IF', '>>END-IF', 'CBL',
  'PROCESS', 'WS-A', 'WS-B', 'CUST-REC', 'A', 'B1', '1000-MAIN', '12345', '-3.5E+2', 'FILLER', '\u00e9t\u00e9',
  '\t', '\u0000', '\uFEFF', '\uD800',
];
const separators = [' ', ' ', ' ', '\n', '\r\n', '\r', '\n      -', '\n      *', '\n      D', '\n       ', '\n000100 ', '\t'];

const tokenSoup = fc
  .array(fc.tuple(fc.constantFrom(...vocabulary), fc.constantFrom(...separators)), { maxLength: 400 })
  .map((pairs) => pairs.map(([token, separator]) => token + separator).join(''));

/** Fixed-format lines: a sequence area, an indicator (valid or not) and soup, sometimes past column 72. */
const fixedLines = fc
  .array(
    fc.tuple(
      fc.string({ unit: 'binary-ascii', maxLength: 6 }),
      fc.constantFrom(' ', ' ', ' ', '*', '/', '-', 'D', 'd', '$', 'X', '\t'),
      fc.array(fc.constantFrom(...vocabulary), { maxLength: 14 }),
    ),
    { maxLength: 150 },
  )
  .map((lines) => lines.map(([sequence, indicator, words]) => sequence.padEnd(6) + indicator + words.join(' ')).join('\n'));

/** Every fixture the project has: the corpus (its manifest's list, invalid programs too), the sample workspace, the false-error fixtures. */
function fixtures(): { name: string; text: string }[] {
  const found: { name: string; text: string }[] = [];
  const add = (path: string) => found.push({ name: path.slice(root.length + 1), text: readFileSync(path, 'utf8') });
  const corpus = corpusFiles(join(root, 'test/fixtures/corpus'));
  for (const path of [...corpus.programs.map((program) => program.path), ...corpus.copybooks, ...corpus.invalid]) add(path);
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else add(path);
    }
  };
  walk(join(root, 'test/fixtures/workspace'));
  walk(join(root, 'test/fixtures/false-errors'));
  return found;
}

/** The false-error fixtures of issue 11 (one per class found on real code) with the copybooks they copy. */
function falseErrorFixtures(): { programs: { name: string; text: string }[]; copybooks: Record<string, string> } {
  const folder = join(root, 'test/fixtures/false-errors');
  const programs = [
    ...readdirSync(folder).filter((name) => name.endsWith('.cbl')).map((name) => join(folder, name)),
    ...readdirSync(join(folder, 'precompiler')).map((name) => join(folder, 'precompiler', name)),
  ].map((path) => ({ name: path.slice(folder.length + 1), text: readFileSync(path, 'utf8') }));
  const copybooks = Object.fromEntries(
    readdirSync(join(folder, 'copybooks')).map((name) => [name.replace(/\.cpy$/i, ''), readFileSync(join(folder, 'copybooks', name), 'utf8')]),
  );
  return { programs, copybooks };
}

/** An edit at a relative position: a character dropped, inserted or replaced (COBOL's own punctuation is likeliest). */
const mutation = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  kind: fc.constantFrom('drop', 'insert', 'replace'),
  character: fc.constantFrom('.', '"', "'", '(', ')', '=', '-', ' ', '\n', '*', ':', '&', '$', 'X', '9', '\t', '\u0000'),
});

function mutate(text: string, edits: readonly { at: number; kind: string; character: string }[]): string {
  let result = text;
  for (const { at, kind, character } of edits) {
    const k = Math.floor(result.length * at);
    if (kind === 'drop') result = result.slice(0, k) + result.slice(k + 1);
    else if (kind === 'insert') result = result.slice(0, k) + character + result.slice(k);
    else result = result.slice(0, k) + character + result.slice(k + 1);
  }
  return result;
}

describe('bad input never breaks the front end', () => {
  it('random text of any characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), formats, (text, format) => checkSound(text, { format })),
      { numRuns: 300 },
    );
  });

  it('random ASCII lines', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary-ascii', maxLength: 100 }), { maxLength: 100 }), formats, (lines, format) =>
        checkSound(lines.join('\n'), { format }),
      ),
      { numRuns: 200 },
    );
  });

  it('COBOL-ish token soup', () => {
    fc.assert(fc.property(tokenSoup, formats, (text, format) => checkSound(text, { format })), { numRuns: 300 });
  });

  it('fixed-format lines with random indicators and soup', () => {
    fc.assert(fc.property(fixedLines, formats, (text, format) => checkSound(text, { format })), { numRuns: 200 });
  });

  const corpus = fixtures();

  it('finds the fixtures it truncates and shuffles', () => {
    expect(corpus.length).toBeGreaterThan(3);
  });

  it('every fixture truncated at 12 evenly spread prefix lengths and at random ones', () => {
    for (const { name, text } of corpus) {
      for (let k = 0; k <= 12; k++) {
        const cut = Math.floor((text.length * k) / 12);
        const broken = brokenInvariant(analyse(text.slice(0, cut)));
        if (broken) throw new Error(`${name} cut at ${cut}: ${broken}`);
      }
    }
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.double({ min: 0, max: 1, noNaN: true }), formats, ({ text }, at, format) =>
        checkSound(text.slice(0, Math.floor(text.length * at)), { format }),
      ),
      { numRuns: 150 },
    );
  });

  const falseErrors = falseErrorFixtures();

  it('every false-error fixture truncated at every line end and at random points, with its copybooks', () => {
    expect(falseErrors.programs.length).toBeGreaterThan(10);
    for (const { name, text } of falseErrors.programs) {
      for (let cut = text.indexOf('\n'); cut >= 0; cut = text.indexOf('\n', cut + 1)) {
        for (const at of [cut, cut + 1, cut + 8, cut + 40]) {
          const broken = brokenInvariant(analyse(text.slice(0, at), { copybooks: falseErrors.copybooks }));
          if (broken) throw new Error(`${name} cut at ${at}: ${broken}`);
        }
      }
    }
    fc.assert(
      fc.property(fc.constantFrom(...falseErrors.programs), fc.double({ min: 0, max: 1, noNaN: true }), formats, ({ text }, at, format) =>
        checkSound(text.slice(0, Math.floor(text.length * at)), { format, copybooks: falseErrors.copybooks }),
      ),
      { numRuns: 200 },
    );
  });

  it('every false-error fixture and its copybooks mutated: characters dropped, inserted and replaced', () => {
    const copybookNames = Object.keys(falseErrors.copybooks);
    fc.assert(
      fc.property(
        fc.constantFrom(...falseErrors.programs),
        fc.array(mutation, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(...copybookNames),
        fc.array(mutation, { maxLength: 6 }),
        formats,
        ({ text }, edits, copybook, copybookEdits, format) =>
          checkSound(mutate(text, edits), {
            format,
            copybooks: { ...falseErrors.copybooks, [copybook]: mutate(falseErrors.copybooks[copybook], copybookEdits) },
          }),
      ),
      { numRuns: 400 },
    );
  });

  it('fixtures with their lines shuffled, or some lines dropped', () => {
    const lineSets = corpus.map(({ text }) => text.split('\n'));
    fc.assert(
      fc.property(
        fc.constantFrom(...lineSets).chain((lines) => fc.shuffledSubarray(lines, { minLength: Math.floor(lines.length / 2) })),
        formats,
        (lines, format) => checkSound(lines.join('\n'), { format }),
      ),
      { numRuns: 100 },
    );
  });

  it.each([
    ['letters', 'A'.repeat(1 << 20)],
    ['an unclosed literal', '"' + 'x'.repeat(1 << 20)],
    ['open parentheses', 'COMPUTE X = ' + '('.repeat(1 << 20)],
    ['pseudo-text delimiters', 'COPY X REPLACING ' + '== '.repeat(1 << 18)],
    ['statements without periods', 'MOVE A TO B '.repeat(1 << 16)],
    ['nested IFs', 'IF A = 1 '.repeat(1 << 17)],
    ['an inline comment', '*> ' + 'c'.repeat(1 << 20)],
    ['lone surrogates', '\uD800'.repeat(1 << 20)],
    ['unexpected characters', '@'.repeat(1 << 20)],
    ['NUL characters', '\u0000'.repeat(1 << 20)],
    ['unexpected characters between blanks', '@ #\t'.repeat(1 << 18)],
    ['undefined names', 'MOVE X TO Y '.repeat(1 << 16)],
  ])('a 1 MB line of %s, fixed and free, within seconds', (_, line) => {
    for (const [format, text] of [
      ['free', line],
      ['fixed', '000100 ' + line],
      ['auto', `       IDENTIFICATION DIVISION.\n       PROCEDURE DIVISION.\n       P.\n${'000100 ' + line}\n           STOP RUN.\n`],
    ] as const) {
      const started = performance.now();
      checkSound(text, { format });
      // Generous: a shared 2-core machine; linear code needs well under a second.
      expect(performance.now() - started, `${format} took too long`).toBeLessThan(8000);
    }
  });
});

/** A program whose WORKING-STORAGE copies `first`. */
const copyingProgram = (first: string, extra = '') =>
  ['       IDENTIFICATION DIVISION.', '       PROGRAM-ID. NESTED.', '       DATA DIVISION.', '       WORKING-STORAGE SECTION.',
    '       01  ROOT-GROUP.', `           COPY ${first}${extra}.`, '       PROCEDURE DIVISION.', '           DISPLAY ROOT-GROUP', '           STOP RUN.', ''].join('\n');

describe('copybooks nested deeply, in cycles, or missing', () => {
  const timed = (text: string, copybooks: Record<string, string>) => {
    const started = performance.now();
    const result = analyse(text, { format: 'fixed', copybooks });
    const broken = brokenInvariant(result);
    if (broken) throw new Error(broken);
    expect(performance.now() - started).toBeLessThan(5000);
    return result.diagnostics.map((d) => d.diagnostic);
  };

  it('100 levels of nesting terminate with a depth diagnostic on a COPY', () => {
    const copybooks: Record<string, string> = {};
    for (let i = 0; i < 100; i++) copybooks[`LVL${i}`] = `           05  FIELD-${i} PIC X.\n           COPY LVL${i + 1}.\n`;
    copybooks.LVL100 = '           05  FIELD-LAST PIC X.\n';
    const diagnostics = timed(copyingProgram('LVL0'), copybooks);
    expect(diagnostics.some((d) => /copybook/.test(d.code) && /deep|depth|nested/i.test(d.message))).toBe(true);
  });

  it('a copybook bomb (40 copybooks, each copying the next twice) stops at the inclusion cap well under a second', () => {
    const copybooks: Record<string, string> = {};
    for (let i = 0; i < 40; i++) copybooks[`BOMB${i}`] = `           05  B-${i} PIC X.\n           COPY BOMB${i + 1}.\n           COPY BOMB${i + 1}.\n`;
    const started = performance.now();
    const diagnostics = timed(copyingProgram('BOMB0'), copybooks);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(diagnostics.filter((d) => d.code === 'copybook/too-many')).toHaveLength(1);
  });

  it('a two-copybook cycle and a copybook that copies itself are reported, not expanded forever', () => {
    const cycle = timed(copyingProgram('CYCA'), { CYCA: '           COPY CYCB.\n', CYCB: '           COPY CYCA.\n' });
    expect(cycle.some((d) => /cycle|circular/i.test(`${d.code} ${d.message}`))).toBe(true);
    const self = timed(copyingProgram('SELF'), { SELF: '           05  S PIC X.\n           COPY SELF.\n' });
    expect(self.some((d) => /cycle|circular/i.test(`${d.code} ${d.message}`))).toBe(true);
  });

  it('random copybook graphs (edges, cycles, missing names, REPLACING) always terminate soundly', () => {
    const graph = fc.array(fc.array(fc.nat(7), { maxLength: 3 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(graph, fc.boolean(), tokenSoup.map((soup) => soup.slice(0, 300)), (edges, replacing, soup) => {
        const copybooks: Record<string, string> = {};
        edges.forEach((targets, index) => {
          // Copybook 7 is never defined when fewer than 8 exist: a missing COPY.
          copybooks[`CB${index}`] = [`           05  F${index} PIC X.`, ...targets.map((t) => `           COPY CB${t}${replacing ? ' REPLACING ==F== BY ==G==' : ''}.`), soup].join('\n');
        });
        timed(copyingProgram('CB0'), copybooks);
      }),
      { numRuns: 60 },
    );
  });
});

it.each([
  ['@', '@'],
  ['NUL', '\u0000'],
  ['unexpected characters between blanks', '@ $ '],
])('%s over 20,000 lines give at most 1,001 diagnostics per file, fixed and free, within seconds', (_, unit) => {
  const body = Array.from({ length: 20_000 }, () => `           ${unit.repeat(8)}`).join('\n');
  for (const format of ['fixed', 'free'] as const) {
    const started = performance.now();
    checkSound(`       IDENTIFICATION DIVISION.\n       PROGRAM-ID. P.\n       PROCEDURE DIVISION.\n${body}\n           STOP RUN.\n`, { format });
    expect(performance.now() - started, `${format} took too long`).toBeLessThan(8000);
  }
});

describe('the invariant checker itself', () => {
  const diagnostic = (line: number, start: number, end: number, message = 'm') => ({
    fileText: 'ab\ncd',
    fileId: 'f',
    diagnostic: { range: { start: { line, character: start }, end: { line, character: end } }, severity: 'error' as const, code: 'c', message },
  });

  it('accepts a range up to the end of its line', () => {
    expect(brokenInvariant({ diagnostics: [diagnostic(1, 0, 2)] })).toBeUndefined();
  });

  it.each([
    ['a line past the end of the file', diagnostic(2, 0, 0), /line outside the file/],
    ['a character past the end of its line', diagnostic(0, 0, 3), /character outside line 0/],
    ['a reversed range', diagnostic(0, 2, 1), /ends before it starts/],
    ['an empty message', diagnostic(0, 0, 1, ' '), /empty message/],
    ['a NUL in a message', diagnostic(0, 0, 1, "Unexpected character '\u0000'."), /control character/],
  ])('rejects %s', (_, entry, reason) => {
    expect(brokenInvariant({ diagnostics: [entry] })).toMatch(reason);
  });
});
