/**
 * Document candidates (continuations found elsewhere in the program) and the
 * choice between them and the model's own line.
 */
import { describe, expect, it } from 'vitest';
import { documentCandidates } from '../../../server/completion/documentCandidates';
import { chooseLine } from '../../../server/completion/engine';

const fixed = (code: string, indicator = ' ') => `000100${indicator}${code}`.padEnd(72) + 'PROG0001';

const program = [
  fixed('WORKING-STORAGE SECTION.'),
  fixed('01  WS-CUST-NAME          PIC X(30).'),
  fixed('01  WS-CUST-COUNT         PIC 9(5) COMP.'),
  fixed('01  WS-ORDER-COUNT        PIC 9(5) COMP.'),
  fixed('01  WS-ORDER-DATE         PIC X(8).'),
  fixed('PROCEDURE DIVISION.'),
  fixed('    MOVE CUST-NAME TO WS-CUST-NAME.'),
  fixed('    MOVE SPACES TO WS-ORDER-DATE.'),
  fixed('*   MOVE SPACES TO COMMENTED-OUT.', '*'),
  fixed('    ADD 1 TO WS-CUST-COUNT.'),
  fixed('    ADD 1 TO WS-ORDER-COUNT.'),
  fixed('    ADD 1 TO WS-ORDER-COUNT.'),
  fixed('    READ CUST-FILE'),
  fixed('        AT END MOVE "Y" TO WS-EOF.'),
];
const query = (lineBefore: string, cursorLine = program.length) => documentCandidates({ lines: [...program, lineBefore], cursorLine, lineBefore, fixed: true });

describe('document candidates', () => {
  it('offers what followed the same words elsewhere, the longest match first, never from comments or columns 73-80', () => {
    const found = query('000200     ADD 1 TO ');
    // Three words (ADD 1 TO) first; then what followed TO alone; never the comment line's text.
    expect(found.slice(0, 2).map((c) => c.text).sort()).toEqual(['WS-CUST-COUNT.', 'WS-ORDER-COUNT.']);
    expect(found[2]).toMatchObject({ keyWords: 1 });
    expect(found.map((c) => c.text)).not.toContain('COMMENTED-OUT.');
    expect(found.find((c) => c.text === 'WS-ORDER-COUNT.')).toMatchObject({ keyWords: 3, count: 2 });
    expect(found.every((c) => !c.text.includes('PROG0001'))).toBe(true);
    expect(query('000200     MOVE SPACES TO ')[0]).toMatchObject({ text: 'WS-ORDER-DATE.', keyWords: 3 });
  });

  it('prefers a line whose names share parts with the words typed (MOVE …-CUST-NAME TO → …-CUST-NAME)', () => {
    const lines = [
      fixed('    MOVE ORDER-DATE TO WS-ORDER-DATE.'),
      fixed('    DISPLAY "A".'),
      fixed('    MOVE CUST-NAME TO WS-CUST-NAME.'),
      fixed('    DISPLAY "A".'),
      fixed('    MOVE OUT-CUST-NAME TO '),
    ];
    const found = documentCandidates({ lines, cursorLine: 4, lineBefore: '000100     MOVE OUT-CUST-NAME TO ', fixed: true });
    expect(found.map((c) => c.text)).toEqual(['WS-CUST-NAME.', 'WS-ORDER-DATE.']);
    expect(found[0]!.similarity).toBeGreaterThan(found[1]!.similarity);
  });

  it('declares a field like the fields named like it', () => {
    expect(query('000200 01  WS-LINE-COUNT         PIC ', 4)[0]!.text).toBe('9(5) COMP.');
  });

  it('finishes a word the cursor is inside, and matches case-insensitively', () => {
    expect(query('000200     add 1 to ws-ord')[0]!.text).toBe('ER-COUNT.');
  });

  it('takes one letter as a key only at the start of a statement', () => {
    const lines = [fixed('    IF WS-A = 1'), fixed('        ADD 1 TO WS-B'), fixed('    END-IF.'), fixed('    E'), fixed('    MOVE E')];
    expect(documentCandidates({ lines, cursorLine: 3, lineBefore: '000100     E', fixed: true })[0]!.text).toBe('ND-IF.');
    expect(documentCandidates({ lines, cursorLine: 4, lineBefore: '000100     MOVE E', fixed: true })).toEqual([]);
  });

  it('on a blank line, offers what followed lines like the one above', () => {
    const lines = [...program, fixed('    READ CUST-FILE'), fixed('')];
    const found = documentCandidates({ lines, cursorLine: lines.length - 1, lineBefore: '000200        ', fixed: true });
    expect(found[0]!.text).toBe('AT END MOVE "Y" TO WS-EOF.');
  });

  it('ranks last a line that would repeat the code line just above or below, and prefers the period style of the line above', () => {
    const lines = [
      fixed('    MOVE SPACES TO WS-A.'),
      fixed('    MOVE SPACES TO WS-B.'),
      fixed('    MOVE SPACES TO WS-C.'),
      fixed('    MOVE SPACES TO WS-B.'),
      fixed('    MOVE ZERO TO WS-D'),
      fixed('    MOVE SPACES TO '),
      fixed('    MOVE SPACES TO WS-A.'),
    ];
    const found = documentCandidates({ lines, cursorLine: 5, lineBefore: '000100     MOVE SPACES TO ', fixed: true, max: 4 });
    const rank = (text: string) => found.findIndex((c) => c.text === text);
    expect(found[rank('WS-A.')]).toMatchObject({ repeatsNeighbour: true, keyWords: 3 });
    expect(rank('WS-A.')).toBeGreaterThan(Math.max(rank('WS-B.'), rank('WS-C.')));
    expect(found.find((c) => c.text === 'WS-B.')).toMatchObject({ repeatsNeighbour: false, count: 2 });
    // The line above ends without a period: so does WS-D (after TO alone), unlike the others.
    expect(found.filter((c) => c.endsLikeAbove).map((c) => c.text)).toEqual(['WS-D']);
  });

  it('ranks first a line that elsewhere sits between lines like the ones around the cursor', () => {
    const lines = [
      fixed('    READ CUST-FILE'),
      fixed('    ADD 1 TO WS-READ-COUNT'),
      fixed('    IF WS-EOF'),
      fixed('    READ CUST-FILE'),
      fixed('    MOVE CUST-NAME TO WS-CUST-NAME'),
      fixed('    PERFORM 2000-PRINT'),
      fixed('    READ CUST-FILE'),
      fixed(''),
      fixed('    PERFORM 2000-PRINT'),
    ];
    const found = documentCandidates({ lines, cursorLine: 7, lineBefore: '000100     ', fixed: true });
    expect(found[0]).toMatchObject({ text: 'MOVE CUST-NAME TO WS-CUST-NAME', beforeNext: true, nextContext: 2 }); // PERFORM, PRINT
    expect(found.find((c) => c.text === 'ADD 1 TO WS-READ-COUNT')).toMatchObject({ beforeNext: false });
  });

  it('finds nothing in an empty document, the sequence area or a free-format comment', () => {
    expect(documentCandidates({ lines: [''], cursorLine: 0, lineBefore: '', fixed: false })).toEqual([]);
    expect(query('0002')).toEqual([]);
    expect(documentCandidates({ lines: ['*> MOVE A TO B', 'MOVE A TO '], cursorLine: 1, lineBefore: 'MOVE A TO ', fixed: false })).toEqual([]);
  });

  it('reads at most 512 characters of a free-format line, so a hostile 250 KB line costs no more than a short one', () => {
    const hostile = 'MOVE A TO '.repeat(25_000);
    const found = documentCandidates({ lines: [hostile, 'MOVE A TO '], cursorLine: 1, lineBefore: 'MOVE A TO ', fixed: false });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((c) => c.text.length < 512)).toBe(true);
  });
});

describe('choosing between the model and the document', () => {
  const candidate = { text: 'WS-ORDER-COUNT.', keyWords: 1, count: 1, distance: 3, similarity: 0, sameIndent: true, context: 0 };
  it('keeps a confident model line over a weak match, and takes the match over an unsure model line', () => {
    expect(chooseLine('WS-TOTAL.', [0.98, 0.97, 0.99], [candidate])).toEqual({ text: 'WS-TOTAL.', from: 'model' });
    expect(chooseLine('WS-TOTAL.', [0.2, 0.1, 0.3], [candidate])).toEqual({ text: 'WS-ORDER-COUNT.', from: 'document' });
  });

  it('takes a long match seen several times even over a confident model line', () => {
    expect(chooseLine('WS-TOTAL.', [0.98, 0.97, 0.99], [{ ...candidate, keyWords: 3, count: 2 }]).from).toBe('document');
  });

  it('takes any candidate when the model wrote nothing, and the model line when there is no candidate', () => {
    expect(chooseLine('', [], [{ ...candidate, keyWords: 1, count: 1 }]).from).toBe('document');
    expect(chooseLine('WS-TOTAL.', [0.01], [])).toEqual({ text: 'WS-TOTAL.', from: 'model' });
  });
});
