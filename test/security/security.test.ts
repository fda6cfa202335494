/**
 * Issue 14: a hostile workspace can neither leak a secret, run a program, nor
 * take the server down. Each finding is a case (cases.ts) against the real
 * CLI and the real server, each process with a bounded heap; a case fails
 * when its hole is open, when it runs past its time limit, or when the
 * process under test dies.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildServerBundle } from '../integration/serverProcess';
import { securityCases } from './cases';
import { heapLimitMB } from './harness';

beforeAll(() => buildServerBundle(), 120_000);

describe('a hostile workspace', () => {
  it('has a case for every finding of issue 14', () => {
    expect([...new Set(securityCases.map((c) => c.finding))].sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  });

  // Time limits leave room for a loaded 2-core machine; bench:security holds them to 2 s.
  it.each(securityCases.map((c) => [`finding ${c.finding}: ${c.name}`, c] as const))('%s', async (_name, securityCase) => {
    const measured = await securityCase.run();
    if (Number.isFinite(measured.peakMB)) expect(measured.peakMB).toBeLessThan(heapLimitMB + 300);
  }, 60_000);
});
