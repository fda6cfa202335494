import { describe, expect, it } from 'vitest';
import { type Analysis, analyseProgram, createAnalysisCache } from '../../../server/cobol';
import { fixed, memoryResolver } from './helpers';

/** Everything observable about an analysis, for comparing cached and fresh runs. */
function snapshot(analysis: Analysis): string[] {
  return [
    ...analysis.tokens.map((t) => `${t.file}:${t.line}:${t.col}-${t.endLine}:${t.endCol} ${t.kind} ${t.text}`),
    ...analysis.diagnostics.map((d) => `${d.file} ${JSON.stringify(d.range)} ${d.code}`),
    ...analysis.model.occurrences.map((o) => `${o.symbol.name} ${o.file}:${o.line}:${o.col}`).sort(),
  ];
}

const base = fixed(
  'IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', 'COPY REC.', '01 A PIC 9(4).',
  '01 TWICE. COPY REC REPLACING ==R1== BY ==T1== ==R2== BY ==T2==.',
  '01 B PIC', '    X(10).', 'PROCEDURE DIVISION.', 'P1.', '    MOVE 1 TO A', '    MOVE "ABC" TO B', '    MOVE 1 TO A',
  '    EXEC SQL SELECT 1 INTO :A', '    FROM T END-EXEC', '    DISPLAY "LONG LITERAL', '|      -    "CONTINUED" A.', '    STOP RUN.',
);

describe('incremental re-reading', () => {
  it('gives exactly what a fresh analysis gives, edit after edit', () => {
    const cache = createAnalysisCache();
    const resolver = memoryResolver({ REC: fixed('01 R1 PIC X.', '01 R2 PIC X.') });
    const edits: ((text: string) => string)[] = [
      (t) => t,
      (t) => t.replace('MOVE 1 TO A\n', 'MOVE 2 TO A\n'),
      (t) => t.replace('P1.', 'P1.\n           MOVE 3 TO A'),
      (t) => t.replace('    X(10).', '    X(12).'),
      (t) => t.replace('01 A PIC 9(4).', '01 A PIC 9(4).\n       01 C PIC X.'),
      (t) => t.replace('STOP RUN.', 'MOVE C TO B\n           STOP RUN.'),
      (t) => t.replace('"CONTINUED"', '"CHANGED"'),
      (t) => t.replace('01 TWICE.', '01 TWICE-2.'),
      (t) => t.replace('01 A PIC 9(4).\n', ''),
    ];
    let text = base;
    for (const edit of edits) {
      text = edit(text);
      const cached = analyseProgram({ id: '/p.cbl', text, resolver, cache });
      const fresh = analyseProgram({ id: '/p.cbl', text, resolver });
      expect(snapshot(cached)).toEqual(snapshot(fresh));
    }
  });
});
