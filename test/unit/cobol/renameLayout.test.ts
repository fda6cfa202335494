/**
 * Rename keeps fixed-format layout: a shorter or longer name leaves columns
 * 73-80 where they were and code within columns 8-72, in the program and in
 * its copybooks; a name that cannot fit is refused naming the file and line;
 * free format is replaced as is. Each case is data: a program (and
 * copybook) built from code and identification-area text, the name to
 * rename (found by text), the new name, and what must come out.
 */
import { describe, expect, it } from 'vitest';
import { type Analysis, fitEditsToLayout } from '../../../server/cobol';
import { rename } from '../../../server/lsp/rename';
import type { NavigationContext } from '../../../server/lsp/navigationFeatures';
import { UriMapper } from '../../../server/lsp/uris';
import { analyse, diagnosticsOf, positionOf, programId } from './helpers';

const copybookId = '/copy/REC.cpy';
const uris = new UriMapper();

/** A fixed-format line: blank sequence area, code from column 8, and `id` in columns 73-80 when given. */
function line(code: string, id?: string): string {
  const text = `       ${code}`;
  if (id === undefined) return text;
  if (text.length > 72) throw new Error(`test line longer than 72 columns: ${text}`);
  return text.padEnd(72) + id;
}

/** A program copying REC, whose procedure division is `procedure` (lines), with `MARKER` in columns 73-80 where asked. */
function program(procedure: string[]): string {
  return [
    line('IDENTIFICATION DIVISION.', 'PGM00010'),
    line('PROGRAM-ID. PGM.', 'PGM00020'),
    line('DATA DIVISION.', 'PGM00030'),
    line('WORKING-STORAGE SECTION.', 'PGM00040'),
    line('COPY REC.', 'PGM00050'),
    line('01  WS-TARGET              PIC 9(7)V99.', 'PGM00060'),
    line('01  WS-FLAG                PIC X.', 'PGM00070'),
    line('01  WS-ABC                 PIC 9(9).'),
    line('PROCEDURE DIVISION.', 'PGM00080'),
    ...procedure,
    line('    STOP RUN.', 'PGM99990'),
  ].join('\n');
}

const copybook = [
  line('01  CUSTOMER-RECORD.', 'REC00010'),
  line('    05  CUST-CREDIT-LIMIT       PIC 9(7)V99.', 'REC00020'),
  line("    05  CUST-NAME               PIC X(20) VALUE 'A    B'.", 'REC00030'),
  line('    05  CUST-BALANCE            PIC 9(7)V99.'),
].join('\n');

function applyEdits(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((sum, l) => sum + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  for (const edit of sorted) text = text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
  return text;
}

/** Renames `needle` (first match after PROCEDURE DIVISION) to `newName`; the files after the edit, or the refusal. */
function renameIn(source: string, needle: string, newName: string, files: Record<string, string> = { REC: copybook }, format: 'auto' | 'fixed' | 'free' = 'auto') {
  const analysis: Analysis = analyse(source, files, format);
  const context: NavigationContext = { analysis, uri: uris.toUri(programId), id: programId, uris };
  const texts: Record<string, string> = { [programId]: source, ...(files.REC !== undefined ? { [copybookId]: files.REC } : {}) };
  const start = source.indexOf('PROCEDURE DIVISION');
  const masked = source.slice(0, start).replace(/[^\n]/g, ' ') + source.slice(start);
  const result = rename(context, positionOf(masked, needle, 0, 1), newName, { text: (id) => texts[id], format });
  if (!('changes' in result) || !result.changes) return { error: 'message' in result ? String(result.message) : 'no edit', program: source, copybook: files.REC };
  const after = (id: string) => {
    const edits = result.changes![uris.toUri(id)];
    return edits ? applyEdits(texts[id], edits) : texts[id];
  };
  return { error: undefined, program: after(programId), copybook: files.REC === undefined ? undefined : after(copybookId), edits: result.changes };
}

/** Every line keeps its columns 73-80 and its code within 72 columns; the words other than the renamed one are unchanged. */
function expectLayoutKept(before: string, after: string, from: string, to: string) {
  const old = before.split('\n');
  const now = after.split('\n');
  expect(now).toHaveLength(old.length);
  now.forEach((text, i) => {
    expect(text.slice(72), `line ${i + 1} columns 73-80`).toBe(old[i].slice(72));
    if (old[i].length > 72) expect(text.length, `line ${i + 1} length`).toBe(old[i].length);
    else expect(text.length, `line ${i + 1} length`).toBeLessThanOrEqual(72);
    const words = (s: string) => s.slice(0, 72).split(/\s+/).filter(Boolean);
    expect(words(text), `line ${i + 1} words`).toEqual(words(old[i]).map((word) => (word === from ? to : word.replace(`${from}.`, `${to}.`))));
  });
}

describe('rename in fixed format keeps columns 73-80 and code within column 72', () => {
  const procedure = [
    line('    IF CUST-BALANCE > CUST-CREDIT-LIMIT', 'PGM00100'),
    line('        MOVE CUST-CREDIT-LIMIT TO WS-TARGET', 'PGM00110'),
    line('    END-IF'),
    line('    MOVE CUST-CREDIT-LIMIT TO WS-TARGET'),
    line("    DISPLAY CUST-CREDIT-LIMIT '  X  '", 'PGM00130'),
    line('    ADD CUST-CREDIT-LIMIT TO CUST-CREDIT-LIMIT', 'PGM00140'),
  ];
  const source = program(procedure);

  it.each([
    ['shorter', 'CUST-CREDIT-MAX'],
    ['equal', 'CUST-CREDIT-LIMX'.padEnd(17, 'Y')],
    ['longer', 'CUST-CREDIT-LIMIT-AMOUNT'],
    ['much shorter', 'CCL'],
  ])('%s name (%s)', (_, newName) => {
    const result = renameIn(source, 'CUST-CREDIT-LIMIT', newName);
    expect(result.error).toBeUndefined();
    expectLayoutKept(source, result.program, 'CUST-CREDIT-LIMIT', newName);
    expectLayoutKept(copybook, result.copybook!, 'CUST-CREDIT-LIMIT', newName);
    expect(result.program).not.toContain('CUST-CREDIT-LIMIT ');
    // The renamed program still analyses clean: every use resolves to the renamed declaration.
    expect(diagnosticsOf(analyse(result.program, { REC: result.copybook! }))).toEqual(diagnosticsOf(analyse(source, { REC: copybook })));
    // Blanks inside the literal are not touched.
    expect(result.program).toContain("'  X  '");
  });

  it('keeps the column of what follows the first blank run (aligned PIC clauses)', () => {
    const shorter = renameIn(source, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-MAX');
    const longer = renameIn(source, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-LIMIT-AMT');
    for (const after of [shorter.copybook!, longer.copybook!]) {
      expect(after.split('\n')[1].indexOf('PIC')).toBe(copybook.split('\n')[1].indexOf('PIC'));
    }
    const target = (text: string) => text.split('\n')[10].indexOf('TO WS-TARGET');
    expect(target(shorter.program)).toBe(target(source));
  });

  it('refuses a longer name that cannot fit before column 73, naming the file and line', () => {
    const full = line('    ADD CUST-CREDIT-LIMIT TO WS-TARGET WS-TARGET WS-TARGET WS-ABC', 'PGM00200');
    expect(full.slice(0, 72).trimEnd()).toHaveLength(72);
    const source = program([full]);
    expect(renameIn(source, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-LIMIT-IN-EUROS').error).toMatch(/PROGRAM\.cbl: line 10 would need 9 more columns than columns 8-72 leave/);
    expect(renameIn(source, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-LIMITX').error).toMatch(/line 10 would need 1 more column than/);
    // A shorter name on the same full line fits, padded before column 73.
    const shorter = renameIn(source, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-LIMT');
    expect(shorter.error).toBeUndefined();
    expectLayoutKept(source, shorter.program, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-LIMT');
  });

  it('refuses when the copybook line is the one that cannot fit', () => {
    const tight = [line('01  CUSTOMER-RECORD.'), line('    05 CUST-CREDIT-LIMIT  PIC 9(7)V99 VALUE 1234567.89 DISPLAY.', 'REC00020')].join('\n');
    const source = program([line('    MOVE CUST-CREDIT-LIMIT TO WS-TARGET')]);
    expect(renameIn(source, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-LIMIT-IN-EUROS', { REC: tight }).error).toMatch(/REC\.cpy: line 2 would need 6 more columns/);
    // Three spare columns (a doubled blank after the name, two before column 73) are enough for three more characters.
    const fits = renameIn(source, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-LIMIT-XY', { REC: tight });
    expect(fits.error).toBeUndefined();
    expect(fits.copybook!.split('\n')[1]).toBe(line('    05 CUST-CREDIT-LIMIT-XY PIC 9(7)V99 VALUE 1234567.89 DISPLAY.', 'REC00020'));
  });

  it('lets a line without columns 73-80 grow up to column 72', () => {
    const source = program([line('    MOVE CUST-CREDIT-LIMIT TO WS-TARGET.')]);
    const result = renameIn(source, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-LIMIT-IN-EUROS-NOW');
    expect(result.error).toBeUndefined();
    expect(result.program.split('\n')[9]).toBe(line('    MOVE CUST-CREDIT-LIMIT-IN-EUROS-NOW TO WS-TARGET.'));
  });

  it('does not touch a continued literal that runs to column 72', () => {
    const source = program([
      line("    DISPLAY CUST-CREDIT-LIMIT 'OPEN LITERAL         "),
      '      -    \'CLOSED\'',
    ]);
    const result = renameIn(source, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-LIMIT-X');
    expect(result.error).toBeUndefined();
    expect(result.program.split('\n')[9]).toMatch(/'OPEN LITERAL {9}$/);
  });
});

describe('rename in free format', () => {
  it('replaces the name as is', () => {
    const free = '>>SOURCE FORMAT FREE\nIDENTIFICATION DIVISION.\nPROGRAM-ID. P.\nDATA DIVISION.\nWORKING-STORAGE SECTION.\n01 CUST-CREDIT-LIMIT PIC 9.\n01 WS-TARGET PIC 9.\nPROCEDURE DIVISION.\n    MOVE CUST-CREDIT-LIMIT TO WS-TARGET.\n';
    const result = renameIn(free, 'CUST-CREDIT-LIMIT', 'CUST-CREDIT-MAX', {});
    expect(result.error).toBeUndefined();
    expect(result.program).toBe(free.replaceAll('CUST-CREDIT-LIMIT', 'CUST-CREDIT-MAX'));
  });
});

describe('fitEditsToLayout', () => {
  const at = (lineNumber: number, start: number, end: number) => ({ start: { line: lineNumber, character: start }, end: { line: lineNumber, character: end } });

  it('refuses a word continued onto the next line', () => {
    const result = fitEditsToLayout(line('MOVE A TO B', 'ID'), 'fixed', [{ range: { start: { line: 0, character: 12 }, end: { line: 1, character: 3 } }, newText: 'X' }]);
    expect(result).toMatchObject({ line: 0, error: expect.stringContaining('continued') });
  });

  it('pads before column 73 when no blank follows the word', () => {
    const text = line('    MOVE A TO B(1,CUST-CREDIT-LIMIT)', 'ID000001');
    const word = text.indexOf('CUST-CREDIT-LIMIT');
    const result = fitEditsToLayout(text, 'fixed', [{ range: at(0, word, word + 17), newText: 'CCL' }]);
    if (!('edits' in result)) throw new Error(result.error);
    expect(applyEdits(text, result.edits)).toBe(line('    MOVE A TO B(1,CCL)', 'ID000001'));
  });
});
