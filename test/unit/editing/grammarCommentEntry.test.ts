/** REMARKS and the other comment entries: their continuation lines are commentary, not code, up to the next Area A entry. */
import { describe, expect, it } from 'vitest';
import { check } from '../grammarHarness';

const line = (sequence: string, code: string) => `${sequence} ${code}`.padEnd(72, ' ') + 'RMKS0001';

const source = [
  line('000100', 'IDENTIFICATION DIVISION.'),
  line('000200', 'PROGRAM-ID. RMKS.'),
  line('000300', 'REMARKS. READS THE MASTER FILE AND'),
  line('000400', '    MOVES EVERY RECORD TO THE REPORT'),
  '000500*A COMMENT LINE INSIDE',
  line('000600', '    IF IT IS OPEN.'),
  line('000700', 'ENVIRONMENT DIVISION.'),
  line('000800', 'DATA DIVISION.'),
  line('000900', 'PROCEDURE DIVISION.'),
  line('001000', '    MOVE A TO B.'),
].join('\n');

describe('comment entries in fixed format', () => {
  it('colours REMARKS continuation lines as commentary and code after them as code', async () => {
    expect(
      await check(source, [
        ['REMARKS', 'keyword.other.paragraph.cobol'],
        ['READS THE MASTER FILE AND', 'comment.line.comment-entry.cobol'],
        ['MOVES EVERY RECORD TO THE REPORT', 'comment.line.comment-entry.cobol'],
        ['RMKS0001', 'comment.block.identification-area.cobol'],
        ['A COMMENT LINE INSIDE', 'comment.line.indicator.cobol'],
        ['IF IT IS OPEN.', 'comment.line.comment-entry.cobol'],
        ['ENVIRONMENT', 'keyword.other.division.cobol'],
        ['MOVE', 'keyword.other.verb.cobol'],
      ]),
    ).toEqual([]);
  });
});
