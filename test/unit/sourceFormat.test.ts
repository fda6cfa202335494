import { describe, expect, it } from 'vitest';
import { checkLayout, detectSourceFormat, splitLines } from '../../server/cobol/sourceFormat';

const check = (text: string, checkSequenceArea = false) => {
  const lines = splitLines(text);
  return checkLayout(lines, { format: detectSourceFormat(lines), checkSequenceArea }).map(
    (d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.code}`,
  );
};

describe('source format', () => {
  it('accepts a clean fixed-format program with text in columns 73-80', () => {
    const text = [
      '000100 IDENTIFICATION DIVISION.                                         PAYROLL1',
      '000200 PROGRAM-ID. PAY.                                                 PAYROLL1',
      '000300* A COMMENT                                                       PAYROLL1',
      '000400 PROCEDURE DIVISION.                                              PAYROLL1',
      '000500     STOP RUN.                                                    PAYROLL1',
    ].join('\n');
    expect(check(text)).toEqual([]);
  });

  it('reports an invalid indicator and a tab, with their columns', () => {
    const text = ['       IDENTIFICATION DIVISION.', '      X PROGRAM-ID. A.', '       \tDISPLAY "X".'].join('\r\n');
    expect(check(text)).toEqual(['1:6-7 fixed-format/indicator', '2:7-8 fixed-format/tab']);
  });

  it('checks the sequence area only when asked', () => {
    const text = ['ABC    IDENTIFICATION DIVISION.', '000200 PROGRAM-ID. A.'].join('\n');
    expect(check(text)).toEqual([]);
    expect(check(text, true)).toEqual(['0:0-6 fixed-format/sequence']);
  });

  it('detects free format from the directive and from the layout', () => {
    expect(detectSourceFormat(['>>SOURCE FORMAT FREE', 'IDENTIFICATION DIVISION.'])).toBe('free');
    expect(detectSourceFormat(['       >>SOURCE FORMAT IS FREE'])).toBe('free');
    expect(detectSourceFormat(['IDENTIFICATION DIVISION.', 'PROGRAM-ID. A.', 'PROCEDURE DIVISION.', '  DISPLAY "HI".'])).toBe('free');
    expect(check('>>SOURCE FORMAT FREE\nIDENTIFICATION DIVISION.\nPROGRAM-ID. X.')).toEqual([]);
  });

  it('survives empty, binary and non-ASCII input', () => {
    expect(check('')).toEqual([]);
    expect(() => check('\u0000\u00ff\ufffd'.repeat(1000))).not.toThrow();
    expect(check('       DISPLAY "ÄÖÜ €".')).toEqual([]);
  });
});
