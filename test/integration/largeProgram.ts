/**
 * Generates a large, valid fixed-format COBOL program (cobc accepts it): a
 * data division and as many paragraphs as it takes to reach a size. Every
 * line is 80 columns, with sequence numbers in 1-6 and an identification
 * area in 73-80, as on a mainframe.
 */

const header = [
  ' IDENTIFICATION DIVISION.',
  ' PROGRAM-ID. LARGE.',
  ' DATA DIVISION.',
  ' WORKING-STORAGE SECTION.',
  ' 01  WS-COUNTERS.',
  '     05  WS-TOTAL                PIC S9(9) COMP-3 VALUE ZERO.',
  '     05  WS-INDEX                PIC 9(4)  VALUE ZERO.',
  '     05  WS-FLAG                 PIC X     VALUE "N".',
  '         88  WS-DONE             VALUE "Y".',
  ' 01  WS-MESSAGE                  PIC X(40) VALUE SPACES.',
  ' PROCEDURE DIVISION.',
  ' MAIN-LOGIC.',
  '     PERFORM P000001',
  '     STOP RUN.',
];

function paragraph(n: number): string[] {
  const name = `P${String(n).padStart(6, '0')}`;
  return [
    `*    Paragraph ${n}: adds to the total and checks the flag.`,
    ` ${name}.`,
    '     ADD 1 TO WS-TOTAL',
    '     MOVE WS-TOTAL TO WS-INDEX',
    '     IF WS-INDEX > 9000',
    '         MOVE "LIMIT REACHED" TO WS-MESSAGE',
    '         SET WS-DONE TO TRUE',
    '     ELSE',
    '         MOVE SPACES TO WS-MESSAGE',
    '     END-IF.',
  ];
}

/** Formats indicator+text (columns 7-72) as one 80-column reference-format line. */
function fixedLine(sequence: number, body: string): string {
  return `${String(sequence % 1_000_000).padStart(6, '0')}${body.padEnd(66)}LARGE   `;
}

/** Returns a program of at least `minBytes` characters, lines ending in LF. */
export function generateProgram(minBytes: number): string {
  const lines: string[] = [];
  let size = 0;
  const push = (body: string) => {
    const line = fixedLine((lines.length + 1) * 10, body);
    lines.push(line);
    size += line.length + 1;
  };
  header.forEach(push);
  for (let n = 1; size < minBytes; n++) paragraph(n).forEach(push);
  return `${lines.join('\n')}\n`;
}
