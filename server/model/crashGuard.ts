/**
 * Remembers a model load in progress in a marker file, so that a model whose
 * load or first decode kills the process (llama.cpp aborts on some malformed
 * files instead of throwing) is not loaded again by the restarted server:
 * without this, one bad file would crash the language server in a loop and
 * take the language features with it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class CrashGuard {
  private readonly marker: string;
  private readonly identity: string;

  /** `path`: the model file; the guard applies to this exact file (size and modification time). */
  constructor(path: string, folder = tmpdir()) {
    let stamp = 'missing';
    try {
      const info = statSync(path);
      stamp = `${info.size}:${info.mtimeMs}`;
    } catch {
      // a missing file is reported by the load itself
    }
    this.identity = `${path}\n${stamp}`;
    this.marker = join(folder, `cobol-assist-model-load-${createHash('sha256').update(path).digest('hex').slice(0, 16)}.json`);
  }

  /** True when a load of this same file started earlier and never finished. */
  crashedBefore(): boolean {
    try {
      return JSON.parse(readFileSync(this.marker, 'utf8')).identity === this.identity;
    } catch {
      return false;
    }
  }

  begin(): void {
    writeFileSync(this.marker, JSON.stringify({ identity: this.identity, pid: process.pid, started: new Date().toISOString() }));
  }

  /** The load finished (well or with an ordinary error): forget it. */
  end(): void {
    rmSync(this.marker, { force: true });
  }
}
