/**
 * Name-aware decoding: while the model writes a data or paragraph name, only
 * tokens that keep the word a prefix of a name in scope (or end it exactly at
 * one) are allowed. Runs inside the host's own decoding loop, one lookup per
 * generated token: the names are sorted once per request, the vocabulary is
 * indexed once per model (upper-cased token texts).
 *
 * The constraint applies only to a word that has started (at least one
 * character), starts some name, and starts no reserved word: a keyword, a
 * literal or a new name is never forced into an existing name.
 */
import { isReservedWord, reservedWords } from '../cobol/reservedWords';

const wordCharacter = /[A-Za-z0-9-]/;
/** Longest token text looked up when enumerating the prefixes of a name's rest. */
const maxTokenChars = 24;

export interface UpperVocabulary {
  /** Token ids whose upper-cased text is exactly `text`. */
  exact(text: string): readonly number[];
  /** Token ids whose upper-cased text starts with `text`. */
  startingWith(text: string): readonly number[];
  /** A token's text as written. */
  text(token: number): string;
}

/** Builds the upper-cased vocabulary index once per model. */
export function upperVocabulary(texts: readonly string[], usable: (token: number) => boolean): UpperVocabulary {
  const exact = new Map<string, number[]>();
  const sorted: { upper: string; id: number }[] = [];
  for (let id = 0; id < texts.length; id++) {
    const text = texts[id] ?? '';
    if (!usable(id) || text === '') continue;
    const upper = text.toUpperCase();
    (exact.get(upper) ?? exact.set(upper, []).get(upper)!).push(id);
    sorted.push({ upper, id });
  }
  sorted.sort((a, b) => (a.upper < b.upper ? -1 : a.upper > b.upper ? 1 : 0));
  return {
    exact: (text) => exact.get(text) ?? [],
    startingWith(text) {
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (sorted[middle]!.upper < text) low = middle + 1;
        else high = middle;
      }
      const result: number[] = [];
      for (let i = low; i < sorted.length && sorted[i]!.upper.startsWith(text); i++) result.push(sorted[i]!.id);
      return result;
    },
    text: (token) => texts[token] ?? '',
  };
}

const sortedReserved = [...reservedWords].sort();

export class NameConstraint {
  private readonly names: string[];

  constructor(names: readonly string[], private readonly vocabulary: UpperVocabulary, private readonly beforeColumn = Infinity) {
    this.names = [...new Set(names.map((name) => name.toUpperCase()))].filter((name) => !isReservedWord(name)).sort();
  }

  /**
   * The tokens allowed next after `text` (the prompt's prefix and what was
   * generated so far), or undefined when no name is being written.
   */
  allowed(text: string): number[] | undefined {
    let start = text.length;
    while (start > 0 && wordCharacter.test(text[start - 1]!)) start--;
    const word = text.slice(start).toUpperCase();
    if (word === '' || (start > 0 && /["']/.test(text[start - 1]!))) return undefined;
    // A word starting with a digit is a number, except where a procedure name goes (`PERFORM 2000-INIT`).
    if (/^[0-9]/.test(word) && !/\b(PERFORM|TO|THRU|THROUGH)\s+$/i.test(text.slice(Math.max(0, start - 12), start))) return undefined;
    if (start - (text.lastIndexOf('\n', start - 1) + 1) >= this.beforeColumn) return undefined;
    const candidates = this.withPrefix(word);
    if (candidates.length === 0 || startsReservedWord(word)) return undefined;
    const allowed = new Set<number>();
    for (const name of candidates) {
      const rest = name.slice(word.length);
      // Tokens that are a prefix of the rest of the name…
      for (let length = 1; length <= Math.min(rest.length, maxTokenChars); length++) {
        for (const token of this.vocabulary.exact(rest.slice(0, length))) allowed.add(token);
      }
      // …or the whole rest followed by what ends a word (a space, a period, a parenthesis).
      for (const token of this.vocabulary.startingWith(rest)) {
        const after = this.vocabulary.text(token)[rest.length];
        if (after !== undefined && !wordCharacter.test(after)) allowed.add(token);
      }
    }
    // Keep the case the word is written in: an upper-case name gets no lower-case letters, and the reverse.
    const written = text.slice(start);
    const upperCase = written === written.toUpperCase();
    const lowerCase = written === written.toLowerCase();
    const cased = [...allowed].filter((token) => {
      const tokenText = this.vocabulary.text(token);
      return upperCase && !lowerCase ? tokenText === tokenText.toUpperCase() : lowerCase && !upperCase ? tokenText === tokenText.toLowerCase() : true;
    });
    return cased.length > 0 ? cased : undefined;
  }

  private withPrefix(word: string): string[] {
    let low = 0;
    let high = this.names.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.names[middle]! < word) low = middle + 1;
      else high = middle;
    }
    const result: string[] = [];
    for (let i = low; i < this.names.length && this.names[i]!.startsWith(word); i++) result.push(this.names[i]!);
    return result;
  }
}

function startsReservedWord(word: string): boolean {
  let low = 0;
  let high = sortedReserved.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sortedReserved[middle]! < word) low = middle + 1;
    else high = middle;
  }
  return low < sortedReserved.length && sortedReserved[low]!.startsWith(word);
}
