/**
 * An optional second opinion on save: GnuCOBOL's `cobc -fsyntax-only` on the
 * saved file, its messages turned into diagnostics on the lines it names
 * (in the program or a copybook). Enabled by `cobolAssist.cobc.enabled`;
 * never blocks the front end's own diagnostics, and a missing cobc is
 * reported once, not on every save.
 */
import { execFile } from 'node:child_process';
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

export function runCobc(options: { command: string; file: string; includeFolders: readonly string[]; free: boolean; timeoutMs: number }): Promise<CobcResult> {
  const args = cobcArguments(options.file, { free: options.free, includeFolders: options.includeFolders });
  const folder = path.dirname(options.file);
  return new Promise((resolve) => {
    execFile(options.command, args, { cwd: folder, timeout: options.timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
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
