/**
 * Byte-level BPE tokenizer in the GPT-2 scheme, as llama.cpp reads it from GGUF
 * (`tokenizer.ggml.model = "gpt2"`, pre-tokeniser "trillion": GPT-2's split
 * expression without the detokeniser's space clean-up, which would corrupt
 * COBOL such as `VALUE ' '`). Trains merges on the corpus, encodes with merge
 * ranks exactly as llama.cpp does, and decodes back to the exact text.
 */

/** Special tokens: ids 0..4. End-of-text doubles as beginning-of-sequence. */
export const SPECIAL_TOKENS = ['<|endoftext|>', '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<|fim_pad|>'] as const;
export const EOT = 0;
export const FIM_PRE = 1;
export const FIM_SUF = 2;
export const FIM_MID = 3;
export const FIM_PAD = 4;

/** GPT-2's byte -> printable character table. */
export function bytesToUnicode(): string[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n);
      n++;
    }
  }
  const table = new Array<string>(256);
  bs.forEach((b, i) => (table[b] = String.fromCodePoint(cs[i]!)));
  return table;
}

const BYTE_CHARS = bytesToUnicode();
const CHAR_BYTES = new Map(BYTE_CHARS.map((c, b) => [c, b]));

/** llama.cpp's GPT-2 pre-tokeniser (unicode_regex_split_custom_gpt2), as a JS regex. */
const PRE_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export function preTokenize(text: string): string[] {
  return text.match(PRE_SPLIT) ?? [];
}

function toByteChars(word: string): string[] {
  const bytes = Buffer.from(word, 'utf8');
  const out = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = BYTE_CHARS[bytes[i]!]!;
  return out;
}

export interface TokenizerData {
  /** Token strings in byte-character form; index = id. */
  tokens: string[];
  /** Merges "a b" in rank order. */
  merges: string[];
}

export class Tokenizer {
  readonly tokens: string[];
  readonly merges: string[];
  private readonly ids = new Map<string, number>();
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();

  constructor(data: TokenizerData) {
    this.tokens = data.tokens;
    this.merges = data.merges;
    data.tokens.forEach((t, i) => this.ids.set(t, i));
    data.merges.forEach((m, i) => this.ranks.set(m, i));
  }

  get vocabSize(): number {
    return this.tokens.length;
  }

  /** Encodes plain text (special-token strings in the text are not special). */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const word of preTokenize(text)) {
      let ids = this.cache.get(word);
      if (!ids) {
        ids = this.bpe(toByteChars(word)).map((t) => this.ids.get(t)!);
        if (this.cache.size < 200_000) this.cache.set(word, ids);
      }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  /** Exact inverse of encode for normal tokens; special tokens decode to their text. */
  decode(ids: readonly number[]): string {
    const bytes: number[] = [];
    let out = '';
    const flush = () => {
      out += Buffer.from(bytes).toString('utf8');
      bytes.length = 0;
    };
    for (const id of ids) {
      if (id < SPECIAL_TOKENS.length) {
        flush();
        out += SPECIAL_TOKENS[id];
        continue;
      }
      for (const ch of this.tokens[id]!) bytes.push(CHAR_BYTES.get(ch)!);
    }
    flush();
    return out;
  }

  /** The raw bytes of one token (for prefix matching in token healing). */
  tokenBytes(id: number): Buffer {
    if (id < SPECIAL_TOKENS.length) return Buffer.from(SPECIAL_TOKENS[id]!, 'utf8');
    return Buffer.from([...this.tokens[id]!].map((c) => CHAR_BYTES.get(c)!));
  }

  /** Merge by lowest rank first, leftmost on ties: the order llama.cpp's BPE session uses. */
  private bpe(symbols: string[]): string[] {
    const parts = symbols.slice();
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < parts.length - 1; i++) {
        const r = this.ranks.get(parts[i] + ' ' + parts[i + 1]);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) return parts;
      parts.splice(best, 2, parts[best]! + parts[best + 1]!);
    }
  }
}

/**
 * Trains merges over pre-tokenised word counts until the vocabulary reaches
 * `vocabSize` (special tokens + 256 bytes + merges). Ties break on the pair's
 * text so the result does not depend on Map order.
 */
export function trainTokenizer(texts: Iterable<string>, vocabSize: number, log: (m: string) => void = () => {}): TokenizerData {
  const counts = new Map<string, number>();
  for (const text of texts) for (const w of preTokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words: Array<{ parts: string[]; count: number }> = [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([w, c]) => ({ parts: toByteChars(w), count: c }));
  const tokens: string[] = [...SPECIAL_TOKENS, ...BYTE_CHARS];
  const merges: string[] = [];
  // Pair counts and which words hold each pair, updated incrementally.
  const pairCount = new Map<string, number>();
  const where = new Map<string, Set<number>>();
  const addWord = (wi: number, sign: number) => {
    const { parts, count } = words[wi]!;
    for (let i = 0; i < parts.length - 1; i++) {
      const key = parts[i] + ' ' + parts[i + 1];
      pairCount.set(key, (pairCount.get(key) ?? 0) + sign * count);
      if (sign > 0) {
        let s = where.get(key);
        if (!s) where.set(key, (s = new Set()));
        s.add(wi);
      }
    }
  };
  words.forEach((_, i) => addWord(i, 1));
  while (tokens.length < vocabSize) {
    let best = '';
    let bestCount = 1;
    for (const [k, c] of pairCount) if (c > bestCount || (c === bestCount && best !== '' && k < best)) [best, bestCount] = [k, c];
    if (!best) break;
    const [a, b] = best.split(' ') as [string, string];
    const merged = a + b;
    merges.push(best);
    tokens.push(merged);
    for (const wi of where.get(best) ?? []) {
      const w = words[wi]!;
      addWord(wi, -1);
      const next: string[] = [];
      for (let i = 0; i < w.parts.length; i++) {
        if (i < w.parts.length - 1 && w.parts[i] === a && w.parts[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(w.parts[i]!);
      }
      w.parts = next;
      addWord(wi, 1);
    }
    where.delete(best);
    pairCount.delete(best);
    if (merges.length % 500 === 0) log(`tokenizer: ${merges.length} merges`);
  }
  return { tokens, merges };
}
