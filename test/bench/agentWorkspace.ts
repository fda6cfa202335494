/**
 * A generated real-style workspace for bench:agent: fixed-format programs with
 * sequence numbers that share copybooks (an account record, control totals, a
 * transaction record), a main program that CALLs a subprogram USING a shared
 * group, and samples (.cobol-assist/samples.json) whose output is known.
 * Every program compiles with cobc.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedAgentWorkspace {
  programs: string[];
  copybooks: string[];
  samples: string[];
  /** Lines (one-based, inclusive) of PROG03's 2000-PROCESS statements that can be extracted. */
  extractable: { file: string; fromLine: number; toLine: number };
}

function fixed(lines: string[]): string {
  return lines.map((line, i) => `${String((i + 1) * 100).padStart(6, '0')}${line.startsWith('*') ? line : ` ${line}`}`.padEnd(72).slice(0, 72).replace(/\s+$/, '')).join('\n') + '\n';
}

const copybooks: Record<string, string[]> = {
  'ACCTREC.cpy': [
    '* ACCTREC: the account master record.',
    '01  ACCOUNT-RECORD.',
    '    05  ACCT-ID                 PIC 9(8).',
    '    05  ACCT-NAME               PIC X(30).',
    '    05  ACCT-BALANCE            PIC S9(9)V99 COMP-3.',
    '    05  ACCT-STATUS             PIC X.',
    '        88  ACCT-OPEN           VALUE \'O\'.',
    '        88  ACCT-CLOSED         VALUE \'C\'.',
    '    05  ACCT-RATE               PIC 9V9(4).',
  ],
  'CTRLTOT.cpy': [
    '* CTRLTOT: control totals passed between the batch steps.',
    '01  CONTROL-TOTALS.',
    '    05  CT-RECORD-COUNT         PIC 9(7).',
    '    05  CT-AMOUNT-TOTAL         PIC S9(11)V99 COMP-3.',
    '    05  CT-RETURN-CODE          PIC 99.',
  ],
  'TXNREC.cpy': [
    '* TXNREC: one transaction.',
    '01  TRANSACTION-RECORD.',
    '    05  TXN-ACCT-ID             PIC 9(8).',
    '    05  TXN-AMOUNT              PIC S9(7)V99.',
    '    05  TXN-TYPE                PIC X.',
  ],
};

function program(index: number, count: number): { name: string; lines: string[]; extract?: [number, number] } {
  const name = `PROG${String(index).padStart(2, '0')}`;
  const calls = index === 1;
  const linkage = index === 2;
  const lines: string[] = [
    'IDENTIFICATION DIVISION.',
    `PROGRAM-ID. ${name}.`,
    '* Generated for bench:agent: a batch step over the account record.',
    'DATA DIVISION.',
    'WORKING-STORAGE SECTION.',
    '01  WS-INDEX                    PIC 9(4)  VALUE ZERO.',
    `01  WS-LIMIT                    PIC 9(4)  VALUE ${10 + (index % 7)}.`,
    '01  WS-WORK-AMOUNT              PIC S9(9)V99 VALUE ZERO.',
    '01  WS-DISPLAY-AMOUNT           PIC -ZZZ,ZZZ,ZZ9.99.',
    '    COPY ACCTREC.',
  ];
  if (index % 2 === 0) lines.push('    COPY TXNREC.');
  if (linkage) lines.push('LINKAGE SECTION.');
  lines.push('    COPY CTRLTOT.');
  lines.push(linkage ? 'PROCEDURE DIVISION USING CONTROL-TOTALS.' : 'PROCEDURE DIVISION.');
  lines.push(
    '0000-MAIN.',
    '    PERFORM 1000-INITIALIZE',
    '    PERFORM 2000-PROCESS VARYING WS-INDEX FROM 1 BY 1',
    '        UNTIL WS-INDEX > WS-LIMIT',
  );
  if (calls) lines.push("    CALL 'PROG02' USING CONTROL-TOTALS");
  lines.push('    PERFORM 3000-REPORT', linkage ? '    GOBACK.' : '    STOP RUN.', '', '1000-INITIALIZE.');
  if (!linkage) lines.push('    INITIALIZE CONTROL-TOTALS');
  lines.push(
    `    MOVE ${10000000 + index} TO ACCT-ID`,
    `    MOVE 'ACCOUNT ${name}' TO ACCT-NAME`,
    `    MOVE ${index * 1000}.50 TO ACCT-BALANCE`,
    `    MOVE 0.0${(index % 9) + 1}25 TO ACCT-RATE`,
    "    SET ACCT-OPEN TO TRUE.",
    '',
    '2000-PROCESS.',
  );
  const extractFrom = lines.length + 1;
  lines.push(
    '    COMPUTE WS-WORK-AMOUNT ROUNDED = ACCT-BALANCE * ACCT-RATE',
    '    ADD WS-WORK-AMOUNT TO ACCT-BALANCE',
    '    ADD 1 TO CT-RECORD-COUNT',
    '    ADD WS-WORK-AMOUNT TO CT-AMOUNT-TOTAL',
  );
  const extractTo = lines.length;
  if (index % 2 === 0) lines.push('    MOVE ACCT-ID TO TXN-ACCT-ID', '    MOVE WS-WORK-AMOUNT TO TXN-AMOUNT');
  lines.push(
    '    IF ACCT-BALANCE > 99999999',
    '        SET ACCT-CLOSED TO TRUE',
    '    END-IF.',
    '',
    '3000-REPORT.',
    '    MOVE ACCT-BALANCE TO WS-DISPLAY-AMOUNT',
    `    DISPLAY '${name} ' ACCT-ID ' ' WS-DISPLAY-AMOUNT`,
    `    DISPLAY '${name} RECORDS ' CT-RECORD-COUNT`,
    '    MOVE CT-AMOUNT-TOTAL TO WS-DISPLAY-AMOUNT',
    `    DISPLAY '${name} INTEREST ' WS-DISPLAY-AMOUNT.`,
  );
  void count;
  return { name, lines, extract: [extractFrom, extractTo] };
}

export function writeAgentWorkspace(folder: string, programCount = 24): GeneratedAgentWorkspace {
  mkdirSync(join(folder, 'copybooks'), { recursive: true });
  mkdirSync(join(folder, '.cobol-assist'), { recursive: true });
  mkdirSync(join(folder, '.vscode'), { recursive: true });
  for (const [file, lines] of Object.entries(copybooks)) writeFileSync(join(folder, 'copybooks', file), fixed(lines));
  const programs: string[] = [];
  let extractable = { file: '', fromLine: 0, toLine: 0 };
  for (let i = 1; i <= programCount; i++) {
    const generated = program(i, programCount);
    const file = `${generated.name}.cbl`;
    writeFileSync(join(folder, file), fixed(generated.lines));
    programs.push(file);
    if (i === 3 && generated.extract) extractable = { file, fromLine: generated.extract[0], toLine: generated.extract[1] };
  }
  const samples = [
    { name: 'prog01-with-prog02', program: 'PROG01.cbl', link: ['PROG02.cbl'], inputs: {}, outputs: [] },
    { name: 'prog03', program: 'PROG03.cbl', link: [], inputs: {}, outputs: [] },
    { name: 'prog08', program: 'PROG08.cbl', link: [], inputs: {}, outputs: [] },
  ];
  writeFileSync(join(folder, '.cobol-assist', 'samples.json'), JSON.stringify({ samples }, null, 1));
  writeFileSync(join(folder, '.vscode', 'settings.json'), JSON.stringify({ 'cobolAssist.copybookPaths': ['copybooks'] }));
  return { programs, copybooks: Object.keys(copybooks), samples: samples.map((sample) => sample.name), extractable };
}
