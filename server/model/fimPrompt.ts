/**
 * Builds the token sequence for one completion in the model's fill-in-the-middle
 * order, fitted into the context, with token healing:
 *   psm  `<prefix> before <suffix> after <middle>` (most code models)
 *   spm  `<prefix> <suffix> after <middle> before` (the project's models: the
 *        text before the cursor runs straight into the completion, and typing
 *        only appends to the prompt, so the KV cache keeps everything before it)
 *
 * Pure: it sees the model only through `TextTokenizer`, so it is tested
 * without one.
 *
 * Fitting: the generated tokens are reserved first; the suffix gets at most a
 * share of the rest (the text just after the cursor matters most, so the
 * suffix keeps its start); the prefix gets what remains and is cut from the
 * left. The cut must stay put while the user types, or every keystroke would
 * shift the whole prompt and invalidate the KV cache: a cut that still fits
 * (`previousCut`, offered by the caller) is kept; a new one falls on a line
 * start whose index is a multiple of `lineGroup` and leaves `slack` of the
 * budget free for the text typed next.
 *
 * Extra context (the completion engine's declarations, see
 * server/completion/cobolContext.ts) goes right before the fitted prefix, as
 * if it were text of the file: whole lines, best first, within its own token
 * budget, taken from the prefix's share. It changes only when the chosen
 * declarations change, so typing keeps reusing the KV cache.
 *
 * Token healing: an editor cursor usually sits inside a token. The last
 * prefix token is removed and its text returned as `healText`; the first
 * generated token must start with that text (see `VocabularyIndex`).
 */

export interface TextTokenizer {
  /** Plain text to token ids: special-token text is not parsed, no BOS is added. */
  tokenize(text: string): number[];
  detokenize(tokens: readonly number[]): string;
}

export interface FimTokenIds {
  prefix: number;
  suffix: number;
  middle: number;
}

export type FimOrder = 'psm' | 'spm';

export interface PromptLayout {
  /** FIM token ids; without them the prompt is the prefix alone (plain left-to-right completion). */
  fim: FimTokenIds | undefined;
  /** The order the model was trained with (see above). */
  fimOrder: FimOrder;
  /** Token to start every prompt with, when the model wants one. */
  bos: number | undefined;
}

export interface PromptBudget {
  contextSize: number;
  /** Tokens reserved for the completion. */
  maxTokens: number;
  /** Largest share of the prompt budget the suffix may take. */
  suffixShare: number;
  /** The prefix is cut only at line starts whose index is a multiple of this. */
  lineGroup: number;
}

export interface FimPrompt {
  tokens: number[];
  /** Text of the prefix's last token, removed for healing ('' when none was removed). */
  healText: string;
  prefixTruncated: boolean;
  /** Offset in the prefix where the prompt's text starts (0 when not truncated). */
  cut: number;
}

export const defaultBudget: Omit<PromptBudget, 'contextSize' | 'maxTokens'> = { suffixShare: 0.25, lineGroup: 8 };

/** Share of the prefix budget a new cut leaves free, so that typing does not move it at once. */
const slack = 0.15;

/** Generous bound on characters per token, used only to avoid tokenizing a whole file. */
const maxCharsPerToken = 16;

export function buildFimPrompt(
  tokenizer: TextTokenizer,
  layout: PromptLayout,
  prefix: string,
  suffix: string,
  budget: PromptBudget,
  heal: boolean,
  previousCut?: number,
  context?: { text: string; maxTokens: number },
): FimPrompt {
  const specials = (layout.fim ? 3 : 0) + (layout.bos === undefined ? 0 : 1);
  const available = budget.contextSize - budget.maxTokens - specials;
  if (available < 1) {
    throw new RangeError(`A context of ${budget.contextSize} tokens leaves no room for a prompt after ${budget.maxTokens} completion tokens.`);
  }
  const suffixTokens = layout.fim && suffix.length > 0
    ? fitSuffix(tokenizer, suffix, Math.floor(available * budget.suffixShare))
    : [];
  const contextTokens = context && context.text ? fitContext(tokenizer, context.text, Math.min(context.maxTokens, Math.floor((available - suffixTokens.length) / 2))) : [];
  const { tokens: prefixTokens, truncated, cut } = fitPrefix(tokenizer, prefix, available - suffixTokens.length - contextTokens.length, budget.lineGroup, previousCut);
  prefixTokens.unshift(...contextTokens);

  let healText = '';
  if (heal && prefixTokens.length > 0) {
    const whole = tokenizer.detokenize(prefixTokens);
    const kept = tokenizer.detokenize(prefixTokens.slice(0, -1));
    // Heal only when the last token's text is exactly the end of the prefix
    // (not a fragment of a multi-byte character).
    if (whole.startsWith(kept) && whole.length > kept.length && !whole.endsWith('\uFFFD')) {
      healText = whole.slice(kept.length);
      prefixTokens.pop();
    }
  }

  const tokens: number[] = [];
  if (layout.bos !== undefined) tokens.push(layout.bos);
  if (layout.fim && layout.fimOrder === 'spm') {
    tokens.push(layout.fim.prefix, layout.fim.suffix, ...suffixTokens, layout.fim.middle, ...prefixTokens);
  } else if (layout.fim) {
    tokens.push(layout.fim.prefix, ...prefixTokens, layout.fim.suffix, ...suffixTokens, layout.fim.middle);
  } else {
    tokens.push(...prefixTokens);
  }
  return { tokens, healText, prefixTruncated: truncated, cut };
}

/** The context's first whole lines that fit `budget` tokens (its lines come best first). */
function fitContext(tokenizer: TextTokenizer, text: string, budget: number): number[] {
  if (budget <= 0) return [];
  const lines = text.split('\n').filter((line) => line !== '');
  let low = 0;
  let high = lines.length;
  let best: number[] = [];
  // The most lines whose text fits (token counts grow with the lines kept).
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    const tokens = tokenizer.tokenize(lines.slice(0, middle).join('\n') + '\n');
    if (tokens.length <= budget) {
      best = tokens;
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return best;
}

/** The suffix's first `budget` tokens (what follows the cursor matters most). */
function fitSuffix(tokenizer: TextTokenizer, suffix: string, budget: number): number[] {
  if (budget <= 0) return [];
  const tokens = tokenizer.tokenize(suffix.slice(0, budget * maxCharsPerToken));
  return tokens.slice(0, budget);
}

/** The prefix cut from the left at a stable line start so that it fits `budget` tokens. */
export function fitPrefix(
  tokenizer: TextTokenizer,
  prefix: string,
  budget: number,
  lineGroup: number,
  previousCut?: number,
): { tokens: number[]; truncated: boolean; cut: number } {
  if (budget <= 0) return { tokens: [], truncated: prefix.length > 0, cut: prefix.length };
  if (prefix.length <= budget) {
    // Every token covers at least one character, so this fits whole (the common case in small files).
    const tokens = tokenizer.tokenize(prefix);
    if (tokens.length <= budget) return { tokens, truncated: false, cut: 0 };
  }
  const maxChars = budget * maxCharsPerToken;
  // Keep the previous cut while it still fits: the prompt start, and its KV cache, stay valid.
  if (previousCut !== undefined && previousCut > 0 && previousCut < prefix.length && prefix[previousCut - 1] === '\n'
      && prefix.length - previousCut <= maxChars) {
    const tokens = tokenizer.tokenize(prefix.slice(previousCut));
    if (tokens.length <= budget) return { tokens, truncated: true, cut: previousCut };
  }
  // Candidate cuts: starts of lines 0, g, 2g, ... Only those leaving at most
  // maxChars characters can fit, so the search starts there.
  const cuts = [0];
  let line = 0;
  for (let i = prefix.indexOf('\n'); i !== -1; i = prefix.indexOf('\n', i + 1)) {
    line++;
    if (line % lineGroup === 0 && i + 1 < prefix.length) cuts.push(i + 1);
  }
  const target = Math.max(1, Math.floor(budget * (1 - slack)));
  let low = cuts.findIndex((cut) => prefix.length - cut <= maxChars);
  if (low === -1) low = cuts.length;
  let high = cuts.length - 1;
  let best: number[] | undefined;
  let bestCut = -1;
  // Binary search for the earliest cut whose text fits the target (token counts fall as the cut moves right).
  while (low <= high) {
    const middle = (low + high) >> 1;
    const tokens = tokenizer.tokenize(prefix.slice(cuts[middle]));
    if (tokens.length <= target) {
      best = tokens;
      bestCut = cuts[middle]!;
      high = middle - 1;
    } else {
      low = middle + 1;
    }
  }
  if (best) return { tokens: best, truncated: bestCut > 0, cut: bestCut };
  // The last group of lines is too long: try every line start, then cut at token level (very long lines).
  if (lineGroup > 1) return fitPrefix(tokenizer, prefix, budget, 1);
  const tail = tokenizer.tokenize(prefix.slice(-maxChars));
  return { tokens: tail.slice(-budget), truncated: true, cut: -1 };
}
