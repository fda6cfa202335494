/**
 * An optional second opinion on save: GnuCOBOL's `cobc -fsyntax-only` on the
 * saved file, its messages turned into diagnostics on the lines it names
 * (in the program or a copybook). Enabled by `cobolAssist.cobc.enabled`;
 * never blocks the front end's own diagnostics, and a missing cobc is
 * reported once, not on every save.
 */
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { cobcArguments } from '../cli/cobc';

export interface CobcMessage {
  /** Absolute path of the file the message is about. */
  file: string;
  /** Zero-based line. */
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export type CobcResult = { ok: true; messages: CobcMessage[] } | { ok: false; reason: string };

const messagePattern = /^(.+?):(\d+):\s*(error|warning|note):\s*(.*)$/;

/** Parses cobc's `file:line: error: text` lines; context lines (`in paragraph …`) are skipped. */
export function parseCobcOutput(output: string, folder: string): CobcMessage[] {
  const messages: CobcMessage[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = messagePattern.exec(line);
    if (!match) continue;
    const [, file, lineNumber, kind, message] = match;
    messages.push({
      file: path.resolve(folder, file),
      line: Math.max(0, Number(lineNumber) - 1),
      severity: kind === 'error' ? 'error' : 'warning',
      message: message.trim(),
    });
  }
  return messages;
}

/**
 * The program a command setting names, as an absolute path, or why it is refused.
 * A workspace must not run a program of its choosing: a relative path
 * (`./evil.sh`, `bin/cobc`) is refused, and a bare name is looked up only in
 * the absolute folders of PATH, never in the current folder (which Windows
 * would search first) or a relative PATH entry.
 */
export function resolveCommand(command: string, env: NodeJS.ProcessEnv = process.env): { path: string } | { refused: string } {
  const trimmed = command.trim();
  if (trimmed === '') return { refused: 'cobolAssist.cobc.path is empty.' };
  if (path.isAbsolute(trimmed)) {
    if (/^[\\/]{2}/.test(trimmed)) return { refused: `cobolAssist.cobc.path '${trimmed}' is a network path; use a local program.` };
    return isExecutableFile(trimmed) ? { path: trimmed } : { refused: `'${trimmed}' was not found: install GnuCOBOL or set cobolAssist.cobc.path.` };
  }
  if (/[\\/]/.test(trimmed)) {
    return { refused: `cobolAssist.cobc.path '${trimmed}' is a relative path, which would run a program from the workspace; use a command name on PATH or an absolute path.` };
  }
  const extensions = process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean)] : [''];
  for (const folder of (env.PATH ?? env.Path ?? '').split(path.delimiter)) {
    if (!folder || !path.isAbsolute(folder)) continue;
    for (const extension of extensions) {
      const candidate = path.join(folder, trimmed + extension);
      if (isExecutableFile(candidate)) return { path: candidate };
    }
  }
  return { refused: `'${trimmed}' was not found: install GnuCOBOL or set cobolAssist.cobc.path.` };
}

function isExecutableFile(file: string): boolean {
  try {
    const info = statSync(file);
    return info.isFile() && (process.platform === 'win32' || (info.mode & 0o111) !== 0);
  } catch {
    return false;
  }
}

export function runCobc(options: { command: string; file: string; includeFolders: readonly string[]; free: boolean; timeoutMs: number }): Promise<CobcResult> {
  const resolved = resolveCommand(options.command);
  if ('refused' in resolved) return Promise.resolve({ ok: false, reason: resolved.refused });
  const args = cobcArguments(options.file, { free: options.free, includeFolders: options.includeFolders });
  const folder = path.dirname(options.file);
  return new Promise((resolve) => {
    execFile(resolved.path, args, { cwd: folder, timeout: options.timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const spawnError = error as (NodeJS.ErrnoException & { killed?: boolean }) | null;
      if (spawnError?.code === 'ENOENT') {
        resolve({ ok: false, reason: `'${options.command}' was not found: install GnuCOBOL or set cobolAssist.cobc.path.` });
        return;
      }
      if (spawnError?.killed) {
        resolve({ ok: false, reason: `cobc took longer than ${options.timeoutMs} ms and was stopped.` });
        return;
      }
      resolve({ ok: true, messages: parseCobcOutput(`${stdout}\n${stderr}`, folder) });
    });
  });
}
