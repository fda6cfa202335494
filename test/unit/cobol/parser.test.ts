import { describe, expect, it } from 'vitest';
import type { SyntaxNode } from '../../../server/cobol';
import { analyse, diagnosticsOf, fixed } from './helpers';

/** The tree as indented `kind name` lines (statements as their verbs), the parser's observable shape. */
function outline(text: string, withStatements = false): string[] {
  const lines: string[] = [];
  const visit = (node: SyntaxNode, depth: number) => {
    if (node.kind === 'statement' && !withStatements) return;
    if (node.kind !== 'dataEntry') lines.push(`${'  '.repeat(depth)}${node.kind} ${node.name}`);
    for (const child of node.children) visit(child, depth + 1);
  };
  for (const program of analyse(text).programs) visit(program, 0);
  return lines;
}

describe('parser', () => {
  it('builds programs, divisions, sections and paragraphs, and nested programs with END PROGRAM', () => {
    const text = fixed(
      'IDENTIFICATION DIVISION.', 'PROGRAM-ID. OUTER.', 'ENVIRONMENT DIVISION.', 'INPUT-OUTPUT SECTION.', 'FILE-CONTROL.',
      '    SELECT IN-FILE ASSIGN TO "in.dat"', '        ORGANIZATION IS SEQUENTIAL FILE STATUS IS WS-FS.',
      'DATA DIVISION.', 'FILE SECTION.', 'FD IN-FILE.', '01 IN-REC PIC X(80).', 'WORKING-STORAGE SECTION.', '01 WS-FS PIC XX.',
      'PROCEDURE DIVISION.', 'MAIN SECTION.', 'START-UP.', '    CALL "INNER".', '    STOP RUN.',
      'IDENTIFICATION DIVISION.', 'PROGRAM-ID. INNER.', 'PROCEDURE DIVISION.', 'INNER-PARA.', '    GOBACK.', 'END PROGRAM INNER.',
      'END PROGRAM OUTER.',
    );
    expect(outline(text)).toEqual([
      'program OUTER', '  division IDENTIFICATION', '  division ENVIRONMENT', '    section INPUT-OUTPUT', '      select IN-FILE',
      '  division DATA', '    section FILE', '      fileDescription IN-FILE', '    section WORKING-STORAGE', '  division PROCEDURE',
      '    section MAIN', '      paragraph START-UP', '  program INNER', '    division IDENTIFICATION', '    division PROCEDURE', '      paragraph INNER-PARA',
    ]);
    expect(analyse(text).diagnostics).toEqual([]);
  });

  it('nests statements under conditional phrases and scope terminators', () => {
    const text = fixed(
      'IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', '01 A PIC 9.', '01 B PIC 9.',
      'PROCEDURE DIVISION.', 'P1.',
      '    IF A = 1 MOVE 1 TO B ELSE IF B = 2 ADD 1 TO A', '        ON SIZE ERROR DISPLAY "X" END-ADD END-IF END-IF',
      '    PERFORM UNTIL A > 5 ADD 1 TO A END-PERFORM',
      '    EVALUATE TRUE WHEN A = 1 CONTINUE', '        WHEN OTHER PERFORM P2 END-EVALUATE.',
      'P2.', '    EXIT.',
    );
    expect(outline(text, true)).toEqual([
      'program P', '  division IDENTIFICATION', '  division DATA', '    section WORKING-STORAGE', '  division PROCEDURE', '    paragraph P1',
      '      statement IF', '        statement MOVE', '        statement IF', '          statement ADD', '            statement DISPLAY',
      '      statement PERFORM', '        statement ADD', '      statement EVALUATE', '        statement CONTINUE', '        statement PERFORM',
      '    paragraph P2', '      statement EXIT',
    ]);
    expect(analyse(text).diagnostics).toEqual([]);
  });

  it('recovers after a bad statement and a bad data entry, reporting each once', () => {
    const text = fixed(
      'IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', '01 A PIC 9 BOGUS-CLAUSE.', '01 B PIC 9.',
      'PROCEDURE DIVISION.', 'P1.', '    MOVE 1 TO A.', '    FROBNICATE A WITH B.', '    MOVE 2 TO B.', '    END-IF.', 'P2.', '    STOP RUN.',
    );
    expect(diagnosticsOf(analyse(text))).toEqual(['PROGRAM.cbl:5 syntax/data-clause', 'PROGRAM.cbl:10 syntax/statement', 'PROGRAM.cbl:12 syntax/unmatched-terminator']);
    expect(outline(text)).toContain('    paragraph P2');
  });

  it('ends an entry still being typed (a level number alone) before the next section or division, which stays whole', () => {
    for (const header of ['PROCEDURE DIVISION.', 'LINKAGE SECTION.']) {
      const text = fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', '01 A PIC 9.', '05', header, ...(header.startsWith('LINKAGE') ? ['01 L PIC 9.', 'PROCEDURE DIVISION.'] : []), 'P1.', '    MOVE 1 TO A.');
      expect(diagnosticsOf(analyse(text))).toContain('PROGRAM.cbl:6 syntax/expected-period');
      expect(outline(text)).toContain('    paragraph P1');
    }
  });

  it('reports an inline PERFORM without END-PERFORM and a missing period before a paragraph', () => {
    const text = fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'PROCEDURE DIVISION.', 'P1.', '    PERFORM UNTIL 1 = 1 CONTINUE.', '    DISPLAY "X"', 'P2.', '    STOP RUN.');
    expect(diagnosticsOf(analyse(text))).toEqual(['PROGRAM.cbl:5 syntax/end-perform', 'PROGRAM.cbl:6 syntax/expected-period']);
  });

  it('parses a copybook on its own as a fragment', () => {
    const data = analyse(fixed('01 CUST-REC.', '   05 CUST-ID PIC 9(5).', '   05 CUST-NAME PIC X(30).'));
    expect(data.fragment).toBe(true);
    expect(data.diagnostics).toEqual([]);
    expect(data.model.programs[0].records.map((r) => r.name)).toEqual(['CUST-REC']);
    const procedure = analyse(fixed('ABEND-ROUTINE.', '    DISPLAY "ABEND" WS-CODE', '    STOP RUN.'));
    expect(procedure.diagnostics).toEqual([]);
    expect(procedure.model.programs[0].symbols.map((s) => `${s.kind} ${s.name}`)).toEqual(['paragraph ABEND-ROUTINE']);
  });

  it('reads free-format source in lower case', () => {
    const text = ['identification division.', 'program-id. lower.', 'data division.', 'working-storage section.', '01 ws-a pic 9.', 'procedure division.', 'main-para.', '    move 1 to ws-a', '    stop run.'].join('\n');
    expect(analyse(text).diagnostics).toEqual([]);
    expect(outline(text)).toContain('    paragraph MAIN-PARA');
  });
});

describe('screen and report entries', () => {
  it('reads SCREEN SECTION clauses and resolves their data names', () => {
    const text = fixed(
      'IDENTIFICATION DIVISION.', 'PROGRAM-ID. SCR.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', '01 WS-NAME PIC X(20).', '01 WS-AGE PIC 99.',
      'SCREEN SECTION.', '01 MAIN-SCREEN.', '   05 BLANK SCREEN.', '   05 LINE 1 COL 10 VALUE "NAME:" FOREGROUND-COLOR 2.',
      '   05 LINE 1 COL 20 PIC X(20) USING WS-NAME.', '   05 LINE PLUS 1 COL 20 PIC 99 FROM WS-AGE HIGHLIGHT.',
      '   05 SCR-AGE LINE 3 COLUMN 20 PIC 99 TO WS-AGE REQUIRED.', 'PROCEDURE DIVISION.', '    DISPLAY MAIN-SCREEN', '    ACCEPT MAIN-SCREEN', '    STOP RUN.',
    );
    const analysis = analyse(text);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.model.occurrences.filter((o) => !o.declaration && o.symbol.name === 'WS-AGE')).toHaveLength(2);
  });
});
