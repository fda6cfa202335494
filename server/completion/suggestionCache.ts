/**
 * Two ways to answer without the model:
 * - an LRU cache of suggestions keyed by the text around the cursor (the
 *   end of the prefix and the start of the suffix) and the model;
 * - typing along: when the user types the first characters of the last
 *   suggestions (up to 50), the rest is served at once (Tabby's forwarding,
 *   Twinny's typed-through continuation).
 * Both are bounded, so memory stays flat however long the session.
 */

import { createHash } from 'node:crypto';

/** Characters of prefix and suffix that identify a cursor's surroundings. */
const prefixKeyChars = 1500;
const suffixKeyChars = 300;
/** Typed characters a suggestion still serves. */
export const maxTypedAlong = 50;

export interface CachedSuggestion {
  text: string;
  multiline: boolean;
  model: string;
}

interface Shown extends CachedSuggestion {
  document: string;
  /** Document offset of the cursor when it was made. */
  offset: number;
  prefixTail: string;
  suffixHead: string;
}

export class SuggestionCache {
  private readonly entries = new Map<string, CachedSuggestion>();
  private readonly recent: Shown[] = [];

  constructor(private readonly capacity = 500, private readonly recentCapacity = 8) {}

  get size(): number {
    return this.entries.size;
  }

  get(model: string, prefix: string, suffix: string, variant: string): CachedSuggestion | undefined {
    const key = keyOf(model, prefix, suffix, variant);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
    }
    return hit;
  }

  put(model: string, prefix: string, suffix: string, variant: string, suggestion: CachedSuggestion, document: string, offset: number): void {
    const key = keyOf(model, prefix, suffix, variant);
    this.entries.delete(key);
    this.entries.set(key, suggestion);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    if (suggestion.text === '') return;
    this.recent.unshift({ ...suggestion, document, offset, prefixTail: copy(prefix.slice(-200)), suffixHead: copy(suffix.slice(0, suffixKeyChars)) });
    this.recent.length = Math.min(this.recent.length, this.recentCapacity);
  }

  /** The rest of a recent suggestion whose first characters the user has typed since. */
  typedAlong(model: string, document: string, offset: number, prefix: string, suffix: string): CachedSuggestion | undefined {
    for (const shown of this.recent) {
      const typed = offset - shown.offset;
      if (shown.document !== document || shown.model !== model || typed < 1 || typed > maxTypedAlong || typed >= shown.text.length) continue;
      if (prefix.length < typed || prefix.slice(-typed) !== shown.text.slice(0, typed)) continue;
      // Blanks right of the cursor may have been typed over (fixed format keeps columns 73-80 in place).
      const [now, then] = [suffix.replace(/^ +/, ''), shown.suffixHead.replace(/^ +/, '')];
      if (!prefix.slice(0, -typed).endsWith(shown.prefixTail) || !now.startsWith(then.slice(0, Math.min(then.length, now.length)))) continue;
      return { text: shown.text.slice(typed), multiline: shown.multiline, model: shown.model };
    }
    return undefined;
  }

  clear(): void {
    this.entries.clear();
    this.recent.length = 0;
  }
}

/**
 * A digest, not the text: a slice of the document would keep the whole
 * document alive in V8 (a sliced string points into its parent), and 500 of
 * them would hold 500 copies of a large program.
 */
function keyOf(model: string, prefix: string, suffix: string, variant: string): string {
  return createHash('sha1').update(`${model}\u0000${variant}\u0000${prefix.slice(-prefixKeyChars)}\u0000${suffix.slice(0, suffixKeyChars)}`).digest('base64');
}

/** A string of its own (see keyOf). */
function copy(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}
