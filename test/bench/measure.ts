/** Small measuring helpers shared by the front-end benchmark's parts. */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of the values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** Milliseconds `run` takes. */
export function time(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** Wall-clock milliseconds of a command, and whether it succeeded. */
export function timeCommand(command: string, args: readonly string[], cwd?: string): { ms: number; ok: boolean; output: string } {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - started;
  return { ms, ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
