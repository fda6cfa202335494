/**
 * `cobol-assist check --summary`: cobc's verdict beside ours on every
 * program, and the conformance summary (server/cli/conformance.ts) for the
 * programs cobc accepts. Runs in-process on the false-error fixtures with
 * the real cobc (needed: it fails without it, it does not skip).
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs, type CheckRequest } from '../../server/cli/args';
import { runCheck } from '../../server/cli/check';
import { cobcMissingMessage, cobcVersion } from '../../server/cli/cobc';
import { summariseConformance, type ConformanceEntry } from '../../server/cli/conformance';

const folder = resolve(__dirname, '../fixtures/false-errors');

function check(argv: string[]): { code: number; stdout: string; stderr: string } {
  const request = parseArgs(argv);
  if (request.kind !== 'check') throw new Error(`not a check request: ${JSON.stringify(request)}`);
  let stdout = '';
  let stderr = '';
  const code = runCheck(request as CheckRequest, { cwd: folder, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const error = (code: string, line = 0): ConformanceEntry['errors'][number] => ({
  file: 'A.cbl', code, message: 'm', severity: 'error', range: { start: { line, character: 0 }, end: { line, character: 1 } },
});

describe('conformance summary', () => {
  it('counts only programs cobc accepts, histograms their errors and ranks the worst', () => {
    const summary = summariseConformance([
      { file: 'A.cbl', lines: 10, cobc: 'default', errors: [error('syntax/data'), error('syntax/data', 3), error('semantic/undefined')] },
      { file: 'B.cbl', lines: 20, cobc: 'ibm', errors: [] },
      { file: 'C.cbl', lines: 30, cobc: 'default', errors: [error('semantic/undefined')] },
      { file: 'D.cbl', lines: 40, cobc: 'rejected', errors: [error('syntax/statement')] },
    ]);
    expect(summary).toMatchObject({
      programs: 4, lines: 100, cobcAccepted: 3, cobcAcceptedOnlyWithIbm: 1, zeroErrorPrograms: 1,
      errorsByCode: { 'semantic/undefined': 2, 'syntax/data': 2 },
      rejectedByCobc: { programs: 1, withErrors: 1 },
    });
    expect(summary.zeroErrorShare).toBeCloseTo(1 / 3, 6);
    expect(summary.worstFiles.map((w) => [w.file, w.errors])).toEqual([['A.cbl', 3], ['C.cbl', 1]]);
    expect(summary.worstFiles[0].first).toBe('1:1 m [syntax/data]');
  });

  it('gives no share when cobc could not be run', () => {
    const summary = summariseConformance([{ file: 'A.cbl', lines: 1, cobc: 'unavailable', errors: [] }]);
    expect(summary).toMatchObject({ cobcAccepted: null, zeroErrorShare: null, rejectedByCobc: null });
  });
});

describe('cobol-assist check --summary', () => {
  it('on the false-error fixtures: cobc accepts the compilable ones and we report no error on any', () => {
    expect(cobcVersion(), cobcMissingMessage).toBeDefined();
    const { code, stderr } = check(['check', '--summary', '-I', 'copybooks', '.']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/cobc -fsyntax-only accepts \d+ \(\d+ only with -std=ibm\)/);
    expect(stderr).toMatch(/zero errors from cobol-assist on (\d+) of them: 100\.0 %/);
    const accepted = Number(/accepts (\d+)/.exec(stderr)![1]);
    expect(accepted).toBeGreaterThanOrEqual(10);
  });

  it('writes the summary as a last JSON line with --json', () => {
    const { stdout } = check(['check', '--summary', '--json', '-I', 'copybooks', join(folder, 'REDEFSAME.cbl')]);
    const last = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(last.summary).toMatchObject({ programs: 1, cobcAccepted: 1, zeroErrorShare: 1, errorsByCode: {} });
  });

  it('says clearly when the cobc it was given does not exist, and gives no share', () => {
    const { stderr } = check(['check', '--summary', '--cobc', 'no-such-cobc-here', join(folder, 'REDEFSAME.cbl')]);
    expect(stderr).toContain("'no-such-cobc-here' was not found");
    expect(stderr).toContain('could not be run');
  });

  it('rejects --summary=value and a --cobc without a command', () => {
    expect(parseArgs(['check', '--summary=yes', 'A.cbl'])).toMatchObject({ kind: 'usage-error' });
    expect(parseArgs(['check', 'A.cbl', '--cobc'])).toMatchObject({ kind: 'usage-error' });
  });
});
