/**
 * The one way this repository runs GnuCOBOL's `cobc -fsyntax-only`
 * synchronously: the conformance summary, the benchmarks, the corpus tests
 * and the model pipeline's compile checks all call it, so the arguments
 * (copybook folders, free format, dialect), the working folder and the
 * verdict are decided once. The language server's on-save check
 * (server/lsp/cobcCheck.ts) is asynchronous and builds its arguments with
 * `cobcArguments` from here.
 */
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface CobcOptions {
  /** The cobc executable (default `cobc` on the PATH). */
  command?: string;
  /** Folders searched for copybooks (`-I`); the program's folder is the working folder, so it is searched too. */
  includeFolders?: readonly string[];
  free?: boolean;
  /** GnuCOBOL dialect (`-std=ibm`, …); default GnuCOBOL's own. */
  std?: string;
  timeoutMs?: number;
  /** Extra arguments (e.g. `-fnot-reserved=…`) placed before the file. */
  extraArguments?: readonly string[];
}

export interface CobcRun {
  /** cobc ran and exited 0. */
  ok: boolean;
  /** stdout and stderr together, plus the spawn error if any. */
  output: string;
  ms: number;
  /** cobc could not be started at all (not installed). */
  missing: boolean;
  timedOut: boolean;
}

export function cobcArguments(file: string, options: CobcOptions = {}): string[] {
  return [
    '-fsyntax-only',
    ...(options.free ? ['-free'] : []),
    ...(options.std ? [`-std=${options.std}`] : []),
    ...(options.includeFolders ?? []).flatMap((folder) => ['-I', folder]),
    ...(options.extraArguments ?? []),
    file,
  ];
}

/** `cobc -fsyntax-only` on one file, run in the file's folder. */
export function runCobcSync(file: string, options: CobcOptions = {}): CobcRun {
  const started = performance.now();
  const result = spawnSync(options.command ?? 'cobc', cobcArguments(file, options), {
    cwd: dirname(file),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  const error = result.error as NodeJS.ErrnoException | undefined;
  return {
    ok: result.status === 0,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${error ? String(error) : ''}`,
    ms,
    missing: error?.code === 'ENOENT',
    timedOut: error?.code === 'ETIMEDOUT',
  };
}

/** Whether cobc can be started; tests that need it fail with this message when it cannot. */
export function cobcVersion(command = 'cobc'): string | undefined {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.status !== 0) return undefined;
  return result.stdout.split('\n')[0]?.trim();
}

export const cobcMissingMessage = 'cobc (GnuCOBOL) is not installed: run scripts/setup.sh (Debian package gnucobol3).';

/**
 * The dialect under which cobc accepts a program, or undefined when it
 * rejects it: GnuCOBOL's default first, then IBM's (many real programs rely
 * on IBM tolerances); each in fixed format, then free (cobc 3.1 does not
 * detect the format itself), unless `options.free` fixes the format.
 */
export function cobcAcceptance(file: string, options: CobcOptions = {}): { dialect: 'default' | 'ibm' | undefined; run: CobcRun } {
  const formats = options.free === undefined ? [false, true] : [options.free];
  let last: CobcRun | undefined;
  for (const std of [undefined, 'ibm'] as const) {
    for (const free of formats) {
      last = runCobcSync(file, { ...options, std, free });
      if (last.missing) return { dialect: undefined, run: last };
      if (last.ok) return { dialect: std === undefined ? 'default' : 'ibm', run: last };
    }
  }
  return { dialect: undefined, run: last! };
}
