/**
 * What the security cases run against: the real `cobol-assist` CLI
 * (dist/cli.js) and the real language server (dist/server.js over stdio,
 * through test/integration/serverProcess.ts), each in its own process with
 * its heap bounded, its time bounded and its peak memory measured, on
 * workspaces built in a temporary folder the way an attacker would commit them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { projectRoot, ServerProcess, type ServerStartOptions } from '../integration/serverProcess';

/** Every process under test gets this heap; the figure's goal is 500 MB of peak memory. */
export const heapLimitMB = 384;
/** A case over this fails the figure (bench:security); the tests allow a loaded machine more. */
export const goalMs = 2000;
export const goalMB = 500;

export interface Measured {
  ms: number;
  peakMB: number;
}

export interface CliRun extends Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const peakMarker = '@@cobol-assist-peak-rss-kb ';
let peakPreload: string | undefined;

/** A preload that prints the process's peak resident memory when it exits. */
function preload(): string {
  if (peakPreload) return peakPreload;
  const folder = mkdtempSync(join(tmpdir(), 'security-preload-'));
  peakPreload = join(folder, 'peak.cjs');
  writeFileSync(peakPreload, `process.on('exit', () => { try { require('fs').writeSync(2, '\\n${peakMarker}' + process.resourceUsage().maxRSS + '\\n'); } catch {} });\n`);
  return peakPreload;
}

/** Runs `cobol-assist` (dist/cli.js) in `cwd`, killed after `timeoutMs`. */
export function runCli(args: readonly string[], cwd: string, options: { timeoutMs?: number; env?: Record<string, string> } = {}): Promise<CliRun> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${heapLimitMB}`, '--require', preload(), join(projectRoot, 'dist/cli.js'), ...args], {
      cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      const match = new RegExp(`${peakMarker}(\\d+)`).exec(stderr);
      stderr = stderr.replace(new RegExp(`\\n?${peakMarker}\\d+\\n?`), '');
      resolve({ code, signal, stdout, stderr, ms, peakMB: match ? Number(match[1]) / 1024 : NaN, timedOut });
    });
  });
}

/** Starts the real server with a bounded heap. */
export function startServer(options: ServerStartOptions = {}): Promise<ServerProcess> {
  return ServerProcess.start({ maxOldSpaceMB: heapLimitMB, ...options });
}

/** A fresh folder for one case's files (removed by `cleanUp`). */
export class Scratch {
  readonly root: string;

  constructor(name: string) {
    this.root = realpathSync(mkdtempSync(join(tmpdir(), `security-${name}-`)));
  }

  path(...parts: string[]): string {
    return join(this.root, ...parts);
  }

  write(relative: string, text: string | Buffer): string {
    const file = this.path(relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  link(relative: string, target: string): string {
    const file = this.path(relative);
    mkdirSync(dirname(file), { recursive: true });
    symlinkSync(target, file);
    return file;
  }

  cleanUp(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A fixed-format program around `data` (WORKING-STORAGE lines) and `procedure` lines. */
export function program(name: string, data: readonly string[], procedure: readonly string[] = ['DISPLAY "OK".', 'STOP RUN.']): string {
  const line = (text: string) => `       ${text}`;
  return [
    line('IDENTIFICATION DIVISION.'),
    line(`PROGRAM-ID. ${name}.`),
    line('DATA DIVISION.'),
    line('WORKING-STORAGE SECTION.'),
    ...data.map(line),
    line('PROCEDURE DIVISION.'),
    ...procedure.map((text) => line(`    ${text}`)),
    '',
  ].join('\n');
}

export function fileUri(path: string): string {
  return `file://${path}`;
}
