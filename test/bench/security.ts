/**
 * `npm run bench:security`: the figures of issue 14. Every hostile-workspace
 * case (test/security/cases.ts) against the real CLI and the real server:
 * whether it passed, its time (the operation under attack: a CLI process
 * from start to exit, or a server's open-to-diagnostics and model loads) and
 * the peak memory of the process under test. Goal: all pass, none over 2 s
 * or 500 MB. Writes bench-results/security.json with `cases` and `allPassed`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { securityCases } from '../security/cases';
import { goalMB, goalMs } from '../security/harness';

const root = resolve(process.argv[2] ?? process.cwd());

interface CaseResult {
  name: string;
  finding: number;
  passed: boolean;
  ms: number;
  peakMB: number | null;
  withinGoals: boolean;
  error?: string;
}

async function main() {
  const started = Date.now();
  console.log(`machine: ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}`);
  const cases: CaseResult[] = [];
  for (const securityCase of securityCases) {
    let result: CaseResult;
    try {
      const measured = await securityCase.run();
      const peakMB = Number.isFinite(measured.peakMB) ? Math.round(measured.peakMB * 10) / 10 : null;
      const ms = Math.round(measured.ms);
      result = { name: securityCase.name, finding: securityCase.finding, passed: true, ms, peakMB, withinGoals: ms <= goalMs && (peakMB ?? 0) <= goalMB };
    } catch (error) {
      result = { name: securityCase.name, finding: securityCase.finding, passed: false, ms: NaN, peakMB: null, withinGoals: false, error: error instanceof Error ? error.message : String(error) };
    }
    cases.push(result);
    const mark = result.passed ? (result.withinGoals ? 'pass' : 'PASS, OVER GOAL') : 'FAIL';
    console.log(`${mark.padEnd(15)} #${String(result.finding).padEnd(2)} ${String(result.ms).padStart(6)} ms ${String(result.peakMB ?? '-').padStart(6)} MB  ${result.name}${result.error ? `\n    ${result.error.split('\n')[0]}` : ''}`);
  }
  const allPassed = cases.every((c) => c.passed);
  const allWithinGoals = cases.every((c) => c.withinGoals);
  const slowest = Math.max(...cases.map((c) => (Number.isFinite(c.ms) ? c.ms : 0)));
  const largest = Math.max(...cases.map((c) => c.peakMB ?? 0));
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverageEnd: loadavg()[0],
    goals: { ms: goalMs, peakMB: goalMB },
    cases,
    allPassed,
    allWithinGoals,
    slowestMs: slowest,
    largestPeakMB: largest,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  console.log(`${cases.filter((c) => c.passed).length} of ${cases.length} cases pass; slowest ${slowest} ms, largest peak ${largest} MB; goals (${goalMs} ms, ${goalMB} MB) ${allWithinGoals ? 'met' : 'not met'}`);
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results/security.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`wrote bench-results/security.json in ${results.seconds} s`);
  process.exitCode = allPassed ? 0 : 1;
}

void main();
