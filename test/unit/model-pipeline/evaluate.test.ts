/**
 * The evaluation's pure parts: seeded cases cut inside a PROCEDURE DIVISION
 * code line, expected text limited to the code area, and the edit similarity.
 */
import { describe, expect, it } from 'vitest';
import { compareModels, lineSimilarity, makeEvalCases, type CaseResult, type EvalProgram } from '../../../models/pipeline/evaluate';

const fixed: EvalProgram = {
  id: 'f',
  free: false,
  cobcDirect: true,
  text: [
    '000100 IDENTIFICATION DIVISION.                                         PGMA    ',
    '000200 PROGRAM-ID. PGMA.                                                PGMA    ',
    '000300 PROCEDURE DIVISION.                                              PGMA    ',
    '000400* A COMMENT LINE THAT IS NEVER CUT                                PGMA    ',
    '000500     DISPLAY "HELLO WORLD".                                       PGMA    ',
    '000600     STOP RUN.                                                    PGMA    ',
  ].join('\n') + '\n',
};

describe('evaluation cases', () => {
  it('are seeded, cut inside code lines after PROCEDURE DIVISION, and expect the code area only', () => {
    const a = makeEvalCases([fixed], 20, 1);
    expect(a).toEqual(makeEvalCases([fixed], 20, 1));
    expect(a).toHaveLength(20);
    for (const c of a) {
      const line = fixed.text.slice(fixed.text.lastIndexOf('\n', c.cut - 1) + 1, c.lineEnd);
      expect(line.startsWith('000500') || line.startsWith('000600')).toBe(true);
      expect(c.expected).toBe(line.slice(c.column, 72).trimEnd());
      expect(c.expected).not.toContain('PGMA');
      expect(c.expected.length).toBeGreaterThan(0);
      expect(c.column).toBeGreaterThan(11);
    }
  });

  it('measure similarity as 1 - normalised Levenshtein distance', () => {
    expect(lineSimilarity('MOVE A TO B.', 'MOVE A TO B.')).toBe(1);
    expect(lineSimilarity('', '')).toBe(1);
    expect(lineSimilarity('abc', '')).toBe(0);
    expect(lineSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 6);
  });
});

describe('paired comparison of two models', () => {
  const result = (i: number, completion: string, expected: string): CaseResult => ({
    programId: `p${i % 7}`, column: 12, expected, completion, exact: completion === expected, similarity: lineSimilarity(completion, expected),
    compiles: null, promptTokens: 100, generatedTokens: 5, ms: 10,
  });
  const expected = Array.from({ length: 200 }, (_, i) => `MOVE WS-FIELD-${i} TO OUT-${i}.`);

  it('finds no gap between a model and itself', () => {
    const a = expected.map((e, i) => result(i, i % 3 ? e : 'MOVE X', e));
    const gap = compareModels(a, a);
    expect(gap).toMatchObject({ cases: 200, exactMatchDelta: 0, editSimilarityDelta: 0, exactMatch95: [0, 0], editSimilarity95: [0, 0], betterCases: 0, worseCases: 0 });
  });

  it('puts the interval above zero when b is better on most cases, and straddles zero for noise', () => {
    const a = expected.map((e, i) => result(i, i % 2 ? e : e.slice(0, 8), e));
    const better = expected.map((e, i) => result(i, i % 10 === 0 ? e.slice(0, 8) : e, e));
    const gap = compareModels(a, better, 3);
    expect(gap.exactMatchDelta).toBeCloseTo(0.4, 4);
    expect(gap.exactMatch95[0]).toBeGreaterThan(0.25);
    expect(gap.editSimilarity95[0]).toBeGreaterThan(0);
    // b trades one half of the cases for the other: no measurable gap.
    const swapped = expected.map((e, i) => result(i, i % 2 ? e.slice(0, 8) : e, e));
    const noise = compareModels(a, swapped, 3);
    expect(noise.exactMatch95[0]).toBeLessThan(0);
    expect(noise.exactMatch95[1]).toBeGreaterThan(0);
  });

  it('refuses results of different cases', () => {
    const a = expected.map((e, i) => result(i, e, e));
    expect(() => compareModels(a, a.slice(1))).toThrow(/same cases/);
  });
});

describe('compile-keep check', () => {
  it('accepts the original program and rejects a broken completion', async () => {
    const { execFileSync } = await import('node:child_process');
    try {
      execFileSync('cobc', ['--version'], { stdio: 'ignore' });
    } catch {
      return; // cobc is not installed here: the check cannot run
    }
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { compiles } = await import('../../../models/pipeline/evaluate');
    const dir = mkdtempSync(join(tmpdir(), 'eval-compile-'));
    try {
      expect(await compiles(fixed, fixed.text, dir)).toBe(true);
      expect(await compiles(fixed, fixed.text.replace('STOP RUN.', 'STOP RUN RUN MOVE.'), dir)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('evaluation through the product host', () => {
  it('is deterministic and scores each case by its own completion', async () => {
    const { evaluateModel, loadEvalPrograms } = await import('../../../models/pipeline/evaluate');
    const programs = loadEvalPrograms(new URL('../../../models/eval/test-split.jsonl', import.meta.url).pathname);
    const modelPath = new URL('../../../models/bundled/cobol-slm-small.gguf', import.meta.url).pathname;
    const run = () => evaluateModel({ modelPath, programs, cases: 8, seed: 7, compileCheck: false, gpu: 'off' });
    const [a, b] = [await run(), await run()];
    expect(a.cases.map((c) => c.completion)).toEqual(b.cases.map((c) => c.completion));
    expect(a.summary.cases).toBe(8);
    for (const c of a.cases) {
      // Two different measures must agree: an exact match is exactly the similarity-1 case.
      expect(c.exact).toBe(c.similarity === 1);
      expect(c.completion).not.toContain('\n');
      expect(c.promptTokens).toBeGreaterThan(0);
      expect(c.promptTokens).toBeLessThanOrEqual(512);
    }
    // The summary counts the cases whose completion has similarity 1 (not its own `exact` flags).
    expect(Math.round(a.summary.exactMatch * 8)).toBe(a.cases.filter((c) => c.similarity === 1).length);
  }, 60_000);
});

describe('a folder of your own COBOL', () => {
  it('finds programs and copybooks, detects free format, and reads CRLF files as LF', async () => {
    const { mkdtempSync, mkdirSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadProgramFolder } = await import('../../../models/pipeline/evaluateFolder');
    const dir = mkdtempSync(join(tmpdir(), 'eval-folder-'));
    try {
      mkdirSync(join(dir, 'src'));
      mkdirSync(join(dir, 'copy'));
      writeFileSync(join(dir, 'src', 'PGMA.cbl'), fixed.text.replace(/\n/g, '\r\n'));
      writeFileSync(join(dir, 'src', 'free.cob'), '>>SOURCE FORMAT FREE\nidentification division.\nprogram-id. freeprog.\nprocedure division.\n    copy STEPS.\n    stop run.\n');
      writeFileSync(join(dir, 'copy', 'STEPS.cpy'), '    display "step".\n');
      writeFileSync(join(dir, 'src', 'notes.txt'), 'PROCEDURE DIVISION. not COBOL');
      const programs = await loadProgramFolder(join(dir, 'src'), [join(dir, 'copy')]);
      expect(programs.map((p) => [p.id, p.free])).toEqual([['PGMA.cbl', false], ['free.cob', true]]);
      expect(programs[0]!.text).toBe(fixed.text);
      expect(Object.keys(programs[1]!.copybooks!)).toEqual(['STEPS']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pause-point cases (pauseCases.ts)', () => {
  const program: EvalProgram = {
    id: 'p',
    free: false,
    cobcDirect: true,
    text: [
      '000100 IDENTIFICATION DIVISION.',
      '000200 PROGRAM-ID. PGMP.',
      '000300 DATA DIVISION.',
      '000400 WORKING-STORAGE SECTION.',
      '000500 01  WS-TOTAL             PIC S9(7)V99 COMP-3.                    PGMP    ',
      '000600*    05  NOT-THIS         PIC X.',
      '000700 PROCEDURE DIVISION.',
      '000800     PERFORM 1000-INIT THRU 1000-EXIT',
      '000900     MOVE ZERO TO WS-TOTAL',
      '001000     ADD WS-AMOUNT TO WS-TOTAL.',
    ].join('\n') + '\n',
  };
  const free: EvalProgram = { id: 'f', free: true, cobcDirect: false, text: 'identification division.\nprogram-id. f.\ndata division.\nworking-storage section.\n01 ws-x pic x(4).\nprocedure division.\n    perform show-it.\n' };

  it('cut after a level number, in PIC, after PERFORM, after MOVE … TO and mid-statement, in both formats', async () => {
    const { makePauseCases } = await import('../../../models/pipeline/pauseCases');
    const cases = makePauseCases([program, free], 20, 3);
    const byKind = (kind: string) => cases.filter((c) => c.kind === kind).map((c) => [c.programId, c.expected]);
    expect(byKind('level')).toEqual(expect.arrayContaining([['p', 'WS-TOTAL             PIC S9(7)V99 COMP-3.'], ['f', 'ws-x pic x(4).']]));
    expect(byKind('pic')).toEqual(expect.arrayContaining([['p', 'S9(7)V99 COMP-3.'], ['f', 'x(4).']]));
    expect(byKind('perform')).toEqual(expect.arrayContaining([['p', '1000-INIT THRU 1000-EXIT'], ['f', 'show-it.']]));
    expect(byKind('move-to')).toEqual([['p', 'WS-TOTAL']]);
    expect(byKind('mid-statement')).toEqual([['p', 'TO WS-TOTAL.']]);
    for (const c of cases) {
      const text = c.programId === 'p' ? program.text : free.text;
      expect(text.slice(c.cut, c.cut + c.expected.length)).toBe(c.expected);
    }
    expect(cases.map((c) => c.expected).join('\n')).not.toMatch(/NOT-THIS|PGMP {4}/);
  });
});
