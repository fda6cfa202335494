/**
 * Remembers a model load in progress in a marker file, so that a model whose
 * load or first decode kills the process (llama.cpp aborts on some malformed
 * files instead of throwing) is not loaded again by the restarted server:
 * without this, one bad file would crash the language server in a loop and
 * take the language features with it.
 *
 * The marker lives in a folder only this user can write: the extension's own
 * storage (passed to the server at start), else a per-user folder in the
 * temporary folder that must be a real folder owned by us with no access for
 * others. A marker cannot be planted by someone else, so a healthy model is
 * never refused by another user's file. Nothing here throws: a guard that
 * cannot work says so once (`problem`) and lets the load go on unguarded.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class CrashGuard {
  private readonly marker: string | undefined;
  private readonly identity: string;
  /** Why the guard is not working, when it is not (for the log). */
  problem: string | undefined;

  /**
   * `path`: the model file; the guard applies to this exact file (size and modification time).
   * `folder`: a private folder for the marker (the extension's storage); default: a per-user temporary folder.
   */
  constructor(path: string, folder?: string) {
    let stamp = 'missing';
    try {
      const info = statSync(path);
      stamp = `${info.size}:${info.mtimeMs}`;
    } catch {
      // a missing file is reported by the load itself
    }
    this.identity = `${path}\n${stamp}`;
    const home = privateFolder(folder);
    if (typeof home === 'string') this.marker = join(home, `model-load-${createHash('sha256').update(path).digest('hex').slice(0, 32)}.json`);
    else this.problem = home.problem;
  }

  /** True when a load of this same file started earlier and never finished. */
  crashedBefore(): boolean {
    if (!this.marker) return false;
    try {
      if (!lstatSync(this.marker).isFile()) return false;
      return JSON.parse(readFileSync(this.marker, 'utf8')).identity === this.identity;
    } catch {
      return false;
    }
  }

  begin(): void {
    if (!this.marker) return;
    try {
      // Whatever sits at the marker's name (a folder, a link) is ours to replace: the folder is private.
      rmSync(this.marker, { recursive: true, force: true });
      const temporary = `${this.marker}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ identity: this.identity, pid: process.pid, started: new Date().toISOString() }), { mode: 0o600 });
      renameSync(temporary, this.marker);
    } catch (error) {
      this.problem = `the crash guard cannot write ${this.marker}: ${(error as Error).message}`;
    }
  }

  /** The load finished (well or with an ordinary error), or the server shuts down politely: forget it. */
  end(): void {
    if (!this.marker) return;
    try {
      rmSync(this.marker, { recursive: true, force: true });
    } catch (error) {
      this.problem = `the crash guard cannot remove ${this.marker}: ${(error as Error).message}`;
    }
  }
}

/** The marker folder, created when missing; refused unless it is a real folder of ours that others cannot write. */
function privateFolder(folder: string | undefined): string | { problem: string } {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const target = folder ?? join(tmpdir(), `cobol-assist-${uid ?? 'user'}`);
  try {
    mkdirSync(target, { recursive: true, mode: 0o700 });
    const info = lstatSync(target);
    if (!info.isDirectory()) return { problem: `${target} is not a folder` };
    if (uid !== undefined && info.uid !== uid) return { problem: `${target} belongs to another user` };
    if (process.platform !== 'win32' && (info.mode & 0o022) !== 0) return { problem: `${target} can be written by other users` };
    return target;
  } catch (error) {
    return { problem: `the crash guard's folder ${target} cannot be used: ${(error as Error).message}` };
  }
}
