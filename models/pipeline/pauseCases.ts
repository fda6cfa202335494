/**
 * Evaluation cases cut where developers pause, rather than at a random column:
 * after a level number (`05  `), inside a PICTURE (`PIC `), after `PERFORM `,
 * after `MOVE … TO `, and mid-statement after a verb's first operand
 * (`ADD WS-A `, `IF WS-X `). Each kind gets an equal share of the cases, drawn
 * seeded from every program of the split; the expected text is the rest of
 * the line's code area, as in makeEvalCases. Both reference formats: the code
 * area is columns 8-72 in fixed format, the whole line in free format.
 */
import { Rng } from './corpus/rng';
import type { EvalCase, EvalProgram } from './evaluate';

export const PAUSE_KINDS = ['level', 'pic', 'perform', 'move-to', 'mid-statement'] as const;
export type PauseKind = (typeof PAUSE_KINDS)[number];

export interface PauseCase extends EvalCase {
  kind: PauseKind;
}

/** Where each kind's cut falls inside a code area: the end of the match. */
const PATTERNS: Record<PauseKind, RegExp> = {
  level: /^\s*(0[1-9]|[1-4][0-9]|66|77|88)\s+/i,
  pic: /\sPIC(TURE)?\s+(IS\s+)?/i,
  perform: /(^|\s)PERFORM\s+/i,
  'move-to': /(^|\s)MOVE\s+\S.*?\sTO\s+/i,
  'mid-statement': /(^|\s)(ADD|SUBTRACT|COMPUTE|IF|EVALUATE|DISPLAY|READ|WRITE|CALL|STRING|SET|INITIALIZE)\s+[A-Z0-9][A-Z0-9-]*\s+/i,
};

function isFixedLine(line: string): boolean {
  return /^(\d{6}| {6})[ D-]/.test(line) || /^\d{6}\S?/.test(line);
}

export function makePauseCases(programs: readonly EvalProgram[], n: number, seed: number): PauseCase[] {
  const found: Record<PauseKind, PauseCase[]> = { level: [], pic: [], perform: [], 'move-to': [], 'mid-statement': [] };
  for (const prog of programs) {
    const procedureAt = prog.text.search(/PROCEDURE\s+DIVISION/i);
    const dataAt = prog.text.search(/DATA\s+DIVISION/i);
    let start = 0;
    for (const line of prog.text.split('\n')) {
      const lineStart = start;
      start += line.length + 1;
      const fixed = !prog.free && isFixedLine(line);
      if (fixed && (line[6] === '*' || line[6] === '/')) continue;
      const areaStart = fixed ? 7 : 0;
      const area = line.slice(areaStart, fixed ? Math.min(72, line.length) : line.length);
      if (/^\s*\*>/.test(area) || /^\s*>>/.test(area)) continue;
      const inProcedure = procedureAt >= 0 && lineStart > procedureAt;
      const inData = dataAt >= 0 && lineStart > dataAt && !inProcedure;
      for (const kind of PAUSE_KINDS) {
        if ((kind === 'level' || kind === 'pic') !== inData) continue;
        if (kind !== 'level' && kind !== 'pic' && !inProcedure) continue;
        const match = PATTERNS[kind].exec(area);
        if (!match) continue;
        const column = areaStart + match.index + match[0].length;
        const expected = line.slice(column, fixed ? 72 : line.length).trimEnd();
        if (expected.length < 1) continue;
        found[kind].push({ kind, programId: prog.id, cut: lineStart + column, lineEnd: lineStart + line.length, column, expected, fixed });
      }
    }
  }
  const rng = new Rng(seed);
  const perKind = Math.ceil(n / PAUSE_KINDS.length);
  const cases: PauseCase[] = [];
  for (const kind of PAUSE_KINDS) {
    const pool = rng.shuffle([...found[kind]]);
    cases.push(...pool.slice(0, perKind));
  }
  return cases.slice(0, n);
}
