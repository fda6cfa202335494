/**
 * Name-aware decoding: in the PROCEDURE DIVISION every word is a reserved
 * word, a name declared in scope, a number or a literal. While the model
 * writes code there, a token is allowed only if every word it completes is
 * one of those and the word it leaves open still starts one of them, so a
 * data or paragraph name cannot come out misspelt or invented. Words inside
 * literals, comments, EXEC and COPY lines and columns 73-80 are left alone,
 * and a word the model has already taken off the known words (the prompt's
 * own partial word, say) is not forced back.
 *
 * Cost: the vocabulary is cut into word pieces once per model
 * (`upperVocabulary`); the known words are sorted once per name list; per
 * generated token, one lookup per known word that continues the current word
 * (all tokens are scanned once per set of names, for the first token of a word).
 */
import { createHash } from 'node:crypto';
import { cicsRegisters, figurativeConstants, reservedWords, sqlRegisters } from '../cobol/reservedWords';
import { intrinsicFunctionNames } from '../../grammars/reservedWords';

const isWordCharacter = (c: string) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c === '-' || c === '_';
/** Longest token text looked up when enumerating the prefixes of a word's rest. */
const maxTokenChars = 24;
/** Known words enumerated for one step at most (a one-letter word starts hundreds). */
const maxCandidates = 600;

interface TokenShape {
  /** Upper-case word characters before the first other character. */
  lead: string;
  /** Something other than a word character follows the lead. */
  breaks: boolean;
  /** Upper-case words the token completes after its lead, and the word it leaves open. */
  middle: string[];
  trail: string;
}

export interface UpperVocabulary {
  /** A token's text as written. */
  text(token: number): string;
  readonly shapes: readonly (TokenShape | undefined)[];
  /** Tokens that are only word characters, by their upper-case text. */
  readonly wordOnly: ReadonlyMap<string, readonly number[]>;
  /** Tokens whose lead is followed by a break, by their lead ('' for tokens starting with a break). */
  readonly leadThenBreak: ReadonlyMap<string, readonly number[]>;
}

/** Cuts the vocabulary into word pieces, once per model. */
export function upperVocabulary(texts: readonly string[], usable: (token: number) => boolean): UpperVocabulary {
  const shapes: (TokenShape | undefined)[] = [];
  const wordOnly = new Map<string, number[]>();
  const leadThenBreak = new Map<string, number[]>();
  for (let id = 0; id < texts.length; id++) {
    const text = texts[id] ?? '';
    if (!usable(id) || text === '') continue;
    const shape = shapeOf(text);
    shapes[id] = shape;
    const map = shape.breaks ? leadThenBreak : wordOnly;
    (map.get(shape.lead) ?? map.set(shape.lead, []).get(shape.lead)!).push(id);
  }
  return { text: (token) => texts[token] ?? '', shapes, wordOnly, leadThenBreak };
}

function shapeOf(text: string): TokenShape {
  let i = 0;
  while (i < text.length && isWordCharacter(text[i]!)) i++;
  const lead = text.slice(0, i).toUpperCase();
  if (i === text.length) return { lead, breaks: false, middle: [], trail: '' };
  // After a quote the rest is literal text: not checked.
  const rest = text.slice(i);
  const quote = rest.search(/["']/);
  const checked = quote === -1 ? rest : rest.slice(0, quote);
  const words = checked.split(/[^A-Za-z0-9_-]+/).map((word) => word.toUpperCase());
  const trail = quote === -1 ? words.pop() ?? '' : '';
  return { lead, breaks: true, middle: words.filter((word) => word !== ''), trail };
}

const builtinWords = [...new Set([...reservedWords, ...intrinsicFunctionNames, ...figurativeConstants, ...sqlRegisters, ...cicsRegisters])];

/** What depends only on the names and the vocabulary, kept while they stay the same (most keystrokes). */
interface WordSet {
  words: string[];
  known: Set<string>;
  tokenOk: Map<number, boolean>;
  wordStart: number[] | undefined;
}
const wordSets = new WeakMap<UpperVocabulary, { signature: string; set: WordSet }>();

function wordSetFor(names: readonly string[], vocabulary: UpperVocabulary): WordSet {
  const signature = `${names.length}:${createHash('sha1').update(names.join('\n')).digest('base64')}`;
  const cached = wordSets.get(vocabulary);
  if (cached?.signature === signature) return cached.set;
  const words = [...new Set([...names.map((name) => name.toUpperCase()), ...builtinWords])].sort();
  const set: WordSet = { words, known: new Set(words), tokenOk: new Map(), wordStart: undefined };
  wordSets.set(vocabulary, { signature, set });
  return set;
}

export class NameConstraint {
  private readonly words: string[];
  private readonly known: Set<string>;
  private readonly set: WordSet;

  constructor(names: readonly string[], private readonly vocabulary: UpperVocabulary, private readonly beforeColumn = Infinity) {
    // The sorted words and the per-token checks (a scan of the whole vocabulary) are made once per set of names.
    this.set = wordSetFor(names, vocabulary);
    this.words = this.set.words;
    this.known = this.set.known;
  }

  /**
   * The tokens allowed next after `text` (the prompt's prefix and what was
   * generated so far), or undefined when nothing is enforced there.
   */
  allowed(text: string): number[] | undefined {
    const lineStart = text.lastIndexOf('\n') + 1;
    const line = text.slice(lineStart);
    if (!this.inCode(line)) return undefined;
    let start = text.length;
    while (start > lineStart && isWordCharacter(text[start - 1]!)) start--;
    if (start - lineStart >= this.beforeColumn) return undefined;
    const word = text.slice(start).toUpperCase();
    if (/^[0-9]/.test(word) && !/\b(PERFORM|TO|THRU|THROUGH)\s+$/i.test(text.slice(Math.max(lineStart, start - 12), start))) return undefined;
    let allowed: number[];
    if (word === '') {
      allowed = this.wordStartTokens();
    } else {
      const candidates = this.withPrefix(word);
      if (candidates.length === 0) return undefined; // already off the known words: not forced back
      const set = new Set<number>();
      if (this.known.has(word)) for (const token of this.vocabulary.leadThenBreak.get('') ?? []) if (this.ok(token)) set.add(token);
      for (const candidate of candidates) {
        const rest = candidate.slice(word.length);
        for (let length = 1; length <= Math.min(rest.length, maxTokenChars); length++) {
          for (const token of this.vocabulary.wordOnly.get(rest.slice(0, length)) ?? []) set.add(token);
        }
        if (rest !== '') for (const token of this.vocabulary.leadThenBreak.get(rest) ?? []) if (this.ok(token)) set.add(token);
      }
      allowed = [...set];
    }
    // Keep the case the line is written in.
    const written = text.slice(start) || line.replace(/"[^"]*"|'[^']*'/g, '').slice(-40);
    const upperCase = /[A-Z]/.test(written) && written === written.toUpperCase();
    const lowerCase = /[a-z]/.test(written) && written === written.toLowerCase();
    const cased = allowed.filter((token) => {
      const tokenText = this.vocabulary.text(token);
      return upperCase ? tokenText === tokenText.toUpperCase() : lowerCase ? tokenText === tokenText.toLowerCase() : true;
    });
    return cased.length > 0 ? cased : undefined;
  }

  /** Not in a literal, a comment, an EXEC or COPY line. */
  private inCode(line: string): boolean {
    let quote = '';
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '*' && line[i + 1] === '>') return false;
    }
    return quote === '' && !/\b(EXEC|COPY|EXECUTE)\b/i.test(line);
  }

  /** Tokens that may start a word: their lead starts (or, with a break, is) a known word or a number. */
  private wordStartTokens(): number[] {
    if (this.set.wordStart) return this.set.wordStart;
    const result: number[] = [];
    for (let token = 0; token < this.vocabulary.shapes.length; token++) {
      const shape = this.vocabulary.shapes[token];
      if (!shape || !this.ok(token)) continue;
      const lead = shape.lead;
      if (lead === '' || /^[0-9]/.test(lead) || (shape.breaks ? this.known.has(lead) : this.startsKnown(lead))) result.push(token);
    }
    return (this.set.wordStart = result);
  }

  /** The words a token completes after its lead are known, and the one it leaves open starts a known word. */
  private ok(token: number): boolean {
    let ok = this.set.tokenOk.get(token);
    if (ok === undefined) {
      const shape = this.vocabulary.shapes[token];
      ok = !!shape && shape.middle.every((word) => /^[0-9]/.test(word) || this.known.has(word))
        && (shape.trail === '' || /^[0-9]/.test(shape.trail) || this.startsKnown(shape.trail));
      this.set.tokenOk.set(token, ok);
    }
    return ok;
  }

  private startsKnown(prefix: string): boolean {
    const at = this.lowerBound(prefix);
    return at < this.words.length && this.words[at]!.startsWith(prefix);
  }

  private withPrefix(word: string): string[] {
    const result: string[] = [];
    for (let i = this.lowerBound(word); i < this.words.length && this.words[i]!.startsWith(word) && result.length < maxCandidates; i++) result.push(this.words[i]!);
    return result;
  }

  private lowerBound(text: string): number {
    let low = 0;
    let high = this.words.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.words[middle]! < text) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
