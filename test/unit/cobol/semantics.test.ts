import { describe, expect, it } from 'vitest';
import { analysePicture, type CobolSymbol } from '../../../server/cobol';
import { analyse, diagnosticsOf, fixed } from './helpers';

const program = (data: string[], procedure: string[] = []) =>
  fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', ...data, 'PROCEDURE DIVISION.', 'MAIN-PARA.', ...procedure, '    STOP RUN.');

/** `NAME size@offset` for every named data item, in declaration order. */
function layout(...data: string[]): string[] {
  const analysis = analyse(program(data));
  return analysis.model.programs[0].symbols
    .filter((symbol: CobolSymbol) => symbol.data && symbol.name !== 'FILLER')
    .map((symbol) => `${symbol.name} ${symbol.data!.size}@${symbol.data!.offset}`);
}

describe('data layout', () => {
  it('sizes DISPLAY, signed, SIGN SEPARATE, edited and national items', () => {
    expect(layout('01 A PIC X(10).', '01 B PIC S9(5)V99.', '01 C PIC S9(3) SIGN LEADING SEPARATE.', '01 D PIC ZZ,ZZ9.99-.', '01 E PIC N(4).', '01 F PIC 9(3) USAGE NATIONAL.')).toEqual([
      'A 10@0', 'B 7@0', 'C 4@0', 'D 10@0', 'E 8@0', 'F 6@0',
    ]);
  });

  it('sizes binary by digits, packed decimal, floating point, pointers and indexes', () => {
    expect(layout(
      '01 B1 PIC S9(4) COMP.', '01 B2 PIC 9(5) BINARY.', '01 B3 PIC S9(10) COMP-5.', '01 B4 PIC 9(18) COMP-4.',
      '01 P1 PIC S9(7)V99 COMP-3.', '01 P2 PIC 9(4) PACKED-DECIMAL.', '01 F1 COMP-1.', '01 F2 COMP-2.',
      '01 PT POINTER.', '01 IX INDEX.', '01 PP PROCEDURE-POINTER.',
    )).toEqual(['B1 2@0', 'B2 4@0', 'B3 8@0', 'B4 8@0', 'P1 5@0', 'P2 3@0', 'F1 4@0', 'F2 8@0', 'PT 4@0', 'IX 4@0', 'PP 8@0']);
  });

  it('lays out groups with OCCURS, REDEFINES, inherited USAGE and RENAMES', () => {
    expect(layout(
      '01 REC.',
      '   05 HEAD PIC X(4).',
      '   05 TBL OCCURS 3 TIMES INDEXED BY TX.',
      '      10 T-CODE PIC X(2).',
      '      10 T-AMT PIC S9(5) COMP-3.',
      '   05 ALT REDEFINES TBL PIC X(15).',
      '   05 NUMS COMP.',
      '      10 N1 PIC 9(4).',
      '      10 N2 PIC 9(9).',
      '   05 TAIL PIC X.',
      '66 HEAD-TO-TBL RENAMES HEAD THRU TBL.',
    )).toEqual(['REC 26@0', 'HEAD 4@0', 'TBL 5@4', 'T-CODE 2@4', 'T-AMT 3@6', 'ALT 15@4', 'NUMS 6@19', 'N1 2@19', 'N2 4@21', 'TAIL 1@25', 'HEAD-TO-TBL 19@0']);
  });

  it('analyses pictures', () => {
    expect(analysePicture('S9(5)V99')).toEqual({ ok: true, info: { category: 'numeric', length: 7, digits: 7, scale: 2, signed: true } });
    expect(analysePicture('X(3)BX')).toMatchObject({ ok: true, info: { category: 'alphanumeric-edited', length: 5 } });
    expect(analysePicture('$$,$$9.99CR')).toMatchObject({ ok: true, info: { category: 'numeric-edited', length: 11 } });
    expect(analysePicture('X(0)')).toMatchObject({ ok: false });
    expect(analysePicture('9(5')).toMatchObject({ ok: false });
  });
});

describe('name resolution', () => {
  const data = ['01 OLD-REC.', '   05 CUST-ID PIC 9(5).', '   05 CUST-NAME PIC X(10).', '01 NEW-REC.', '   05 CUST-ID PIC 9(5).', '   05 FLAG PIC X.', '      88 IS-ON VALUE "Y".'];

  it('resolves qualified names and reports ambiguous and undefined ones', () => {
    const analysis = analyse(program(data, ['    MOVE CUST-ID OF OLD-REC TO CUST-ID IN NEW-REC', '    MOVE CUST-ID TO CUST-NAME', '    MOVE MISSING TO CUST-NAME', '    IF IS-ON PERFORM NO-PARA END-IF']));
    expect(diagnosticsOf(analysis)).toEqual(['PROGRAM.cbl:15 semantic/ambiguous', 'PROGRAM.cbl:16 semantic/undefined', 'PROGRAM.cbl:17 semantic/undefined']);
    const references = analysis.model.occurrences.filter((o) => !o.declaration && o.symbol.name === 'CUST-ID');
    expect(references.map((o) => `${o.line}:${o.symbol.parent?.name}`)).toEqual(['13:OLD-REC', '13:NEW-REC']);
    expect(analysis.model.occurrences.filter((o) => !o.declaration && o.symbol.name === 'NEW-REC')).toHaveLength(1);
  });

  it('resolves paragraphs within their section first, and SQL host variables', () => {
    const text = fixed(
      'IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', '01 WS-ID PIC 9(5).',
      'PROCEDURE DIVISION.', 'S1 SECTION.', 'P-COMMON.', '    EXEC SQL SELECT 1 INTO :WS-ID FROM T END-EXEC', '    PERFORM P-COMMON.',
      'S2 SECTION.', 'P-COMMON.', '    PERFORM P-COMMON OF S1', '    IF SQLCODE = 0 PERFORM P-COMMON END-IF.',
    );
    const analysis = analyse(text);
    expect(analysis.diagnostics).toEqual([]);
    const performs = analysis.model.occurrences.filter((o) => !o.declaration && o.symbol.kind === 'paragraph');
    expect(performs.map((o) => `${o.line}->${o.symbol.parent?.name}`)).toEqual(['9->S1', '12->S1', '13->S2']);
    expect(analysis.model.occurrences.some((o) => o.line === 8 && o.symbol.name === 'WS-ID')).toBe(true);
  });
});
