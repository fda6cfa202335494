/**
 * "Code in the sequence area": code typed from column 1 in a fixed-format
 * program gets one diagnostic that says where code belongs, instead of an
 * invalid-indicator error and undefined-name noise.
 */
import { describe, expect, it } from 'vitest';
import { analyse, fixed } from '../cobol/helpers';

/** A program numbered in columns 1-6, as the files where this happens are, with `line` as its eighth line. */
const program = (line: string) =>
  fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. T.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', '01  ST-CODE PIC X.', '01  ST-NAME PIC X(9).', 'PROCEDURE DIVISION.', `|${line}`, '    STOP RUN.')
    .split('\n')
    .map((text, index) => (index === 7 ? text : `${String((index + 1) * 100).padStart(6, '0')}${text.slice(6)}`))
    .join('\n');

describe('code in the sequence area', () => {
  const codesOn = (line: string) => analyse(program(line)).diagnostics.filter((d) => d.range.start.line === 7).map((d) => d.code);

  it.each([
    ['MOVE ST-CODE TO ST-NAME.', 0],
    ['    MOVE ST-CODE TO ST-NAME.', 4],
    ['      MOVE ST-CODE TO ST-NAME.', 6],
    ['MOVE A-B TO ST-NAME.', 0],
  ])('%j: one diagnostic from column %i, no noise', (line, column) => {
    expect(codesOn(line)).toEqual(['fixed-format/code-in-sequence-area']);
    const diagnostic = analyse(program(line)).diagnostics.find((d) => d.code === 'fixed-format/code-in-sequence-area')!;
    expect(diagnostic.range.start.character).toBe(column);
    expect(diagnostic.message).toContain('column 8 (Area A) or 12 (Area B)');
  });

  it.each([
    ['CHG001     MOVE ST-CODE TO ST-NAME.'],
    ['000800     MOVE ST-CODE TO ST-NAME.'],
    ['CHG001*    A COMMENT'],
    ['           MOVE ST-CODE TO ST-NAME.'],
  ])('%j: change tags and code in place are fine', (line) => {
    expect(codesOn(line)).toEqual([]);
  });

  it('leaves free format alone', () => {
    const free = analyse('IDENTIFICATION DIVISION.\nPROGRAM-ID. T.\nPROCEDURE DIVISION.\nDISPLAY "A".\n', {}, 'free');
    expect(free.diagnostics.map((d) => d.code)).toEqual([]);
  });
});
