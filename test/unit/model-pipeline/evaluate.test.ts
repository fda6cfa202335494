/**
 * The evaluation's pure parts: seeded cases cut inside a PROCEDURE DIVISION
 * code line, expected text limited to the code area, and the edit similarity.
 */
import { describe, expect, it } from 'vitest';
import { lineSimilarity, makeEvalCases, type EvalProgram } from '../../../models/pipeline/evaluate';

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
