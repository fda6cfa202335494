/**
 * Training sequences for the fill-in-the-middle objective, in two orders:
 *   SPM  <eot> <fim_prefix> <fim_suffix> suffix <fim_middle> prefix middle <eot>
 *   PSM  <eot> <fim_prefix> prefix <fim_suffix> suffix <fim_middle> middle <eot>
 * SPM (the share `spmRate`, and the order the product prompts in) puts the
 * prefix right before the middle, so a small model's left-to-right skill
 * carries over at once; PSM (the rest) keeps llama.cpp's default infill order
 * working (Bavarian et al. 2022 train both jointly).
 * Middles are mostly "rest of the line from a cut inside it" (the editor's
 * case), some multi-line spans, and a share of plain left-to-right windows.
 * Prefix and suffix are tokenised separately, as at inference. Samples are
 * packed into rows of contextLength + 1 tokens and written as uint16.
 *
 * Packing `aligned` (the default): a FIM sample never crosses a row boundary,
 * because the model sees one row at a time, and a middle whose prefix sits in
 * the previous row cannot be learned: its first token depends on the prefix's
 * last one. When a FIM sample does not fit in what is left of a row, the rest
 * of the row is filled with a plain window, which any cut leaves valid.
 * Packing `streamed` concatenates samples regardless of rows: the packing the
 * first training phases of the committed models used (nearly every FIM sample
 * was split, and those models never learned to fill the middle); kept only so
 * that those phases rebuild exactly.
 */
import { FIM } from './config';
import { Rng } from './corpus/rng';
import { EOT, FIM_MID, FIM_PRE, FIM_SUF, type Tokenizer } from './tokenizer';

export interface SampleOptions {
  contextLength: number;
  seed: number;
  /** Minimum number of tokens to produce (whole passes over the documents). */
  minTokens: number;
  fimRate?: number;
  /** Share of FIM samples in SPM order (aligned packing only; the streamed rows were all PSM). */
  spmRate?: number;
  packing?: 'aligned' | 'streamed';
  /**
   * Per document: samples per pass relative to the default (about one per 2,500
   * characters), drawn with stochastic rounding so that a short document weighted
   * 0.25 contributes one sample every fourth pass. Absent: every document 1, and
   * the rows are the same as before weights existed.
   */
  weights?: readonly number[];
}

/** Lines that hold code (not comments or blank), for choosing a cut point. */
export function codeLineSpans(text: string): Array<{ start: number; codeStart: number; end: number }> {
  const spans: Array<{ start: number; codeStart: number; end: number }> = [];
  let start = 0;
  for (const line of text.split('\n')) {
    const end = start + line.length;
    const fixed = /^(\d{6}| {6})[ D-]/.test(line) || /^\d{6}/.test(line);
    const code = fixed ? line.slice(7, 72) : line;
    const indicator = fixed ? line[6] : '';
    if (code.trim() && indicator !== '*' && indicator !== '/' && !/^\s*\*>/.test(code) && !/^\s*>>/.test(code)) {
      const lead = code.length - code.trimStart().length;
      spans.push({ start, codeStart: start + (fixed ? 7 : 0) + lead, end: start + (fixed ? Math.min(line.trimEnd().length, line.length) : line.trimEnd().length) });
    }
    start = end + 1;
  }
  return spans;
}

export function buildSamples(docs: readonly string[], tok: Tokenizer, opts: SampleOptions): Uint16Array {
  const row = opts.contextLength + 1;
  const aligned = (opts.packing ?? 'aligned') === 'aligned';
  const stream: number[] = [];
  const fimRate = opts.fimRate ?? 0.75;
  let pass = 0;
  while (stream.length < opts.minTokens || pass === 0) {
    const rng = new Rng(opts.seed + pass * 7919);
    const order = rng.shuffle(docs.map((_, i) => i));
    for (const di of order) {
      const text = docs[di]!;
      const spans = codeLineSpans(text);
      const base = Math.max(1, Math.round(text.length / 2500));
      let nSamples = base;
      if (opts.weights) {
        const expected = base * opts.weights[di]!;
        nSamples = Math.floor(expected) + (rng.chance(expected - Math.floor(expected)) ? 1 : 0);
      }
      for (let k = 0; k < nSamples; k++) {
        if (spans.length > 0 && rng.chance(fimRate)) {
          const sample = fimSample(text, spans, tok, rng, opts.contextLength, aligned && rng.chance(opts.spmRate ?? FIM.spmRate) ? 'spm' : 'psm');
          if (sample.length === 0) continue;
          const room = row - (stream.length % row);
          if (aligned && sample.length > room && room < row) stream.push(...plainWindow(text, tok, rng, room));
          stream.push(...sample);
        } else {
          stream.push(...plainSample(text, tok, rng, opts.contextLength));
        }
      }
    }
    pass++;
    if (pass > 200) break;
  }
  const rows = Math.floor(stream.length / row);
  return Uint16Array.from(stream.slice(0, rows * row));
}

/** Exactly `length` tokens of plain text from a line start of `text` (or the top), after an EOT; EOTs pad a short text. */
function plainWindow(text: string, tok: Tokenizer, rng: Rng, length: number): number[] {
  const starts = lineStarts(text);
  const from = rng.pick(starts);
  const ids = [EOT, ...tok.encode(text.slice(from, from + length * 8))].slice(0, length);
  while (ids.length < length) ids.push(EOT);
  return ids;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function plainSample(text: string, tok: Tokenizer, rng: Rng, ctx: number): number[] {
  // Start at a line boundary (or the top) so windows look like real prompts.
  const from = rng.chance(0.3) ? 0 : rng.pick(lineStarts(text));
  const ids = tok.encode(text.slice(from, from + ctx * 6));
  const len = Math.min(ids.length, rng.int(Math.floor(ctx / 2), ctx));
  return len === ids.length ? [EOT, ...ids, EOT] : [EOT, ...ids.slice(0, len)];
}

/** One FIM sample of at most ctx tokens (so that it fits a row), or [] when the middle leaves too little room. */
function fimSample(text: string, spans: ReturnType<typeof codeLineSpans>, tok: Tokenizer, rng: Rng, ctx: number, order: 'psm' | 'spm'): number[] {
  const span = rng.pick(spans);
  let cut: number;
  let midEnd: number;
  const kind = rng.next();
  if (kind < 0.7) {
    // Rest of the line from a cut inside its code (the editor's inline-completion case).
    cut = rng.int(span.codeStart + 1, Math.max(span.codeStart + 1, span.end));
    const nl = text.indexOf('\n', cut);
    midEnd = nl < 0 ? text.length : nl;
  } else if (kind < 0.85) {
    // Whole next lines from a line start.
    cut = span.start;
    let end = cut;
    for (let n = rng.int(1, 4); n > 0 && end < text.length; n--) {
      const nl = text.indexOf('\n', end);
      end = nl < 0 ? text.length : nl + 1;
    }
    midEnd = end;
  } else {
    // A random span of characters.
    cut = rng.int(0, text.length - 1);
    midEnd = Math.min(text.length, cut + rng.int(1, 200));
  }
  const middle = tok.encode(text.slice(cut, midEnd));
  // EOT PRE prefix SUF suffix MID middle EOT: ctx tokens at most, so it fits a row of ctx + 1.
  const budget = ctx - middle.length - 5;
  if (budget < 32) return [];
  const suffixBudget = Math.min(rng.int(0, Math.floor(budget / 3)), budget);
  const prefixIds = tok.encode(text.slice(Math.max(0, cut - (budget - suffixBudget) * 8), cut));
  const suffixIds = tok.encode(text.slice(midEnd, midEnd + suffixBudget * 8));
  const prefix = prefixIds.slice(Math.max(0, prefixIds.length - (budget - Math.min(suffixBudget, suffixIds.length))));
  const suffix = suffixIds.slice(0, suffixBudget);
  return order === 'spm'
    ? [EOT, FIM_PRE, FIM_SUF, ...suffix, FIM_MID, ...prefix, ...middle, EOT]
    : [EOT, FIM_PRE, ...prefix, FIM_SUF, ...suffix, FIM_MID, ...middle, EOT];
}
