/**
 * Incremental re-reading: the tokens of each file's lines are kept between
 * analyses of the same document, so an edit re-reads only the lines it
 * changed. The lexer asks the cache before reading a line and offers it the
 * tokens of lines it read in a neutral state.
 */
import type { Token } from './token';

/**
 * Tokens of the lines read last time, so that after an edit only the changed
 * lines are read again: the lines before the first difference and after the
 * last one (shifted by the number of lines inserted or deleted) keep their
 * tokens. Only lines read in a neutral state (no open literal, EXEC block,
 * comment entry or pending PICTURE) are kept, and a kept line's tokens are
 * reused at most once per reading.
 */
export class LineCache {
  private lines: readonly string[] = [];
  private entries: (CachedLine | undefined)[] = [];
  private next: (CachedLine | undefined)[] = [];
  private reading = 0;
  private prefix = 0;
  private suffix = 0;
  private shift = 0;

  /** Starts a reading of `lines` (a file read twice in one analysis shares one reading). */
  begin(reading: number, lines: readonly string[]): void {
    if (reading !== this.reading) {
      this.reading = reading;
      this.next = new Array(lines.length);
    }
    const old = this.lines;
    const limit = Math.min(old.length, lines.length);
    let prefix = 0;
    while (prefix < limit && old[prefix] === lines[prefix]) prefix++;
    let suffix = 0;
    while (suffix < limit - prefix && old[old.length - 1 - suffix] === lines[lines.length - 1 - suffix]) suffix++;
    this.prefix = prefix;
    this.suffix = lines.length - suffix;
    this.shift = old.length - lines.length;
  }

  /** Kept tokens for line `index` of this reading, if the same text was read last time in the same format. */
  take(index: number, fixed: boolean): Token[] | undefined {
    let entry: CachedLine | undefined;
    if (index < this.prefix) entry = this.entries[index];
    else if (index >= this.suffix) entry = this.entries[index + this.shift];
    if (!entry || entry.fixed !== fixed || entry.reading === this.reading) return undefined;
    entry.reading = this.reading;
    this.next[index] = entry;
    return entry.tokens;
  }

  put(index: number, fixed: boolean, tokens: Token[]): void {
    this.next[index] = { tokens, fixed, reading: this.reading };
  }

  /** Ends the reading: what was kept now describes `lines`. */
  end(lines: readonly string[]): void {
    this.lines = lines;
    this.entries = this.next;
  }
}

interface CachedLine {
  tokens: Token[];
  fixed: boolean;
  reading: number;
}

/** Line caches per file id, kept by the caller between analyses of the same document. */
export class LexCache {
  private readonly files = new Map<string, LineCache>();
  private reading = 0;

  /** Marks the start of a new analysis. */
  nextReading(): number {
    return ++this.reading;
  }

  forFile(id: string): LineCache {
    let cache = this.files.get(id);
    if (!cache) this.files.set(id, (cache = new LineCache()));
    return cache;
  }

  get currentReading(): number {
    return this.reading;
  }
}
