/**
 * Declaration names: after a level number, the names the program uses but
 * declares nowhere, ranked; the checks and the layout the engine applies to
 * the entry written after them.
 */
import { describe, expect, it } from 'vitest';
import { afterDeclaredName, alignClause, declarationAt, declarationNames, entryNames, readsAsDataEntry, siblingClause } from '../../../server/completion/declarationNames';
import { analyse, fixed } from '../cobol/helpers';

const program = (cursorLine: string) => fixed(
  'IDENTIFICATION DIVISION.',
  'PROGRAM-ID. DECL.',
  'DATA DIVISION.',
  'WORKING-STORAGE SECTION.',
  '01  WS-DATE.',
  '    05  WS-DATE-CC          PIC 99.',
  cursorLine,
  '    05  WS-DATE-MM          PIC 99.',
  '01  WS-FLAGS.',
  '    05  WS-EOF-FLAG         PIC X.',
  'PROCEDURE DIVISION.',
  '    MOVE 19 TO WS-DATE-CC',
  '    MOVE 24 TO WS-DATE-YY',
  '    ADD 1 TO TOTAL-COUNT',
  '    IF END-OF-INPUT',
  '        SET NO-MORE-DATA TO TRUE',
  '    END-IF',
  '    MOVE TOTAL-COUNT TO WS-DATE-YY',
  '    GOBACK.',
);
const cursorLine = 6;

describe('declaration names', () => {
  it('lists the data names used and declared nowhere, first use first, with their uses', () => {
    const analysis = analyse(program('    05  '));
    expect(analysis.model.undeclared.map((entry) => entry.name)).toEqual(['WS-DATE-YY', 'TOTAL-COUNT', 'END-OF-INPUT', 'NO-MORE-DATA']);
    expect(analysis.model.undeclared[0]!.uses).toHaveLength(2);
    expect(analysis.model.undeclared.find((entry) => entry.name === 'WS-DATE-CC')).toBeUndefined();
  });

  it('ranks a name like its neighbours first, and condition names for an 88', () => {
    const analysis = analyse(program('    05  '));
    const neighbours = entryNames([program('').split('\n')[cursorLine - 1]!, program('').split('\n')[cursorLine + 1]!], true);
    expect(neighbours).toEqual(['WS-DATE-CC', 'WS-DATE-MM']);
    const item = declarationNames(analysis, { line: cursorLine, character: 15, level: 5, neighbours });
    expect(item[0]).toMatchObject({ text: 'WS-DATE-YY' });
    expect(item[0]!.score).toBeGreaterThan(item[1]!.score);
    const condition = declarationNames(analysis, { line: cursorLine, character: 15, level: 88, neighbours: [] });
    expect(condition.map((name) => name.text).slice(0, 2).sort()).toEqual(['END-OF-INPUT', 'NO-MORE-DATA']);
  });

  it('knows the cursor after a level number or in the name begun after it, in either format', () => {
    expect(declarationAt('000100     05  ', true)).toEqual({ level: 5, partial: '' });
    expect(declarationAt('       88 ', true)).toEqual({ level: 88, partial: '' });
    expect(declarationAt('  01 ', false)).toEqual({ level: 1, partial: '' });
    expect(declarationAt('       05  WS-', true)).toEqual({ level: 5, partial: 'WS-' });
    expect(declarationAt('       MOVE ', true)).toBeUndefined();
    expect(declarationAt('       05  WS-A PIC ', true)).toBeUndefined();
    expect(declarationAt('       60  ', true)).toBeUndefined();
  });

  it('offers only longer names that start with the name typed so far', () => {
    const analysis = analyse(program('    05  WS-DA'));
    const names = declarationNames(analysis, { line: cursorLine, character: 17, level: 5, neighbours: [], partial: 'ws-da' });
    expect(names.map((name) => name.text)).toEqual(['WS-DATE-YY']);
    expect(declarationNames(analysis, { line: cursorLine, character: 20, level: 5, neighbours: [], partial: 'WS-DATE-YY' })).toEqual([]);
  });

  it('accepts a name followed by a clause, a period or nothing, and nothing else', () => {
    for (const text of ['WS-DATE-YY          PIC 99.', 'TWO.', 'WS-GROUP', 'FLAG-ON VALUE "Y".', 'PTR USAGE POINTER.', 'X BINARY-LONG UNSIGNED.', 'PIC X(10).', '.']) {
      expect(readsAsDataEntry(text), text).toBe(true);
    }
    for (const text of ['WS-DATE-YY TO WS-OTHER', 'COUNT + 1', 'NAME DELIMITED BY SIZE', 'OUTPUTDATA DIVISION.']) {
      expect(readsAsDataEntry(text), text).toBe(false);
    }
  });

  it('lines the clause up with the nearest neighbour at the same level column', () => {
    const neighbours = ['000100     05  WS-DATE-CC          PIC 99.', '000120*    05  WS-OLD  PIC 9.', '000300     05  WS-DATE-MM          PIC 99.'];
    expect(alignClause('000200     05  ', 'WS-DATE-YY PIC 99.', neighbours, true)).toBe('WS-DATE-YY          PIC 99.');
    expect(alignClause('  05 ', 'B PIC 9.', ['  05 A    PIC 9.'], false)).toBe('B    PIC 9.');
    // A name past the neighbours' column, another level column, or a line that is no entry: unchanged.
    expect(alignClause('000200     05  ', 'WS-DATE-YEAR-IN-FULL-FORM PIC 9(4).', neighbours, true)).toBe('WS-DATE-YEAR-IN-FULL-FORM PIC 9(4).');
    expect(alignClause('000200         10  ', 'WS-X PIC 9.', neighbours, true)).toBe('WS-X PIC 9.');
    expect(alignClause('000200     05  ', 'WS-GROUP.', neighbours, true)).toBe('WS-GROUP.');
  });

  it('takes the clause of the nearest entry above at the same level, never for an 88', () => {
    const above = ['000100 01  WS-DATE.', '000200     05  WS-DATE-CC          PIC 99.', '000250*    05  WS-OLD    PIC X(9).', '000300         10  WS-PART      PIC 9.'];
    expect(siblingClause(above, 5, true)).toBe('PIC 99.');
    expect(siblingClause(above, 10, true)).toBe('PIC 9.');
    expect(siblingClause(above, 88, true)).toBeUndefined();
    expect(siblingClause(above, 15, true)).toBeUndefined();
  });

  it('after a written name, offers the same entry found elsewhere, then the sibling clause; falls back to sibling clauses and the name alone', () => {
    const candidate = (text: string, keyWords: number) => ({ text, keyWords, count: 1, sameIndent: true, context: 0, similarity: 0, distance: 3 });
    const { candidates, fallbacks } = afterDeclaredName(
      'WS-DATE-YY',
      [candidate('WS-DATE-CC   PIC 99.', 1), candidate('WS-GROUP.', 1)],
      [candidate('  PIC 9(4).', 2), candidate('-LONG PIC X.', 2), candidate(' in a comment', 1)],
      'PIC 99.',
    );
    expect(candidates.map((c) => c.text)).toEqual(['WS-DATE-YY  PIC 9(4).', 'WS-DATE-YY PIC 99.']);
    expect(candidates[1]).toMatchObject({ sibling: true });
    expect(fallbacks.map((c) => c.text)).toEqual(['WS-DATE-YY  PIC 9(4).', 'WS-DATE-YY PIC 99.', 'WS-DATE-YY.', 'WS-DATE-YY']);
  });
});
