/** The FIM prompt builder: layout, fitting into the context, stable cuts, token healing. */
import { describe, expect, it } from 'vitest';
import { TextTokenizer, buildFimPrompt, fitPrefix } from '../../../server/model/fimPrompt';

/** One token per character (code = char code + 10), so counts are easy to reason about. */
const chars: TextTokenizer = {
  tokenize: (text) => [...text].map((c) => c.charCodeAt(0) + 10),
  detokenize: (tokens) => tokens.map((t) => String.fromCharCode(t - 10)).join(''),
};
/** Two characters per token, so the last token of a prompt can cover the cursor. */
const pairs: TextTokenizer = {
  tokenize: (text) => (text.match(/[\s\S]{1,2}/g) ?? []).map((pair) => pair.charCodeAt(0) * 1000 + (pair.charCodeAt(1) || 0)),
  detokenize: (tokens) => tokens.map((t) => String.fromCharCode(Math.floor(t / 1000)) + (t % 1000 ? String.fromCharCode(t % 1000) : '')).join(''),
};
const fim = { prefix: 1, suffix: 2, middle: 3 };
const budget = { contextSize: 100, maxTokens: 20, suffixShare: 0.25, lineGroup: 4 };

describe('buildFimPrompt', () => {
  it('lays out <PRE> prefix <SUF> suffix <MID>, with BOS first when the model wants one', () => {
    const prompt = buildFimPrompt(chars, { fim, fimOrder: 'psm', bos: 9 }, 'ab', 'cd', budget, false);
    expect(prompt.tokens).toEqual([9, 1, ...chars.tokenize('ab'), 2, ...chars.tokenize('cd'), 3]);
    expect(prompt).toMatchObject({ healText: '', prefixTruncated: false });
  });

  it('lays out <PRE> <SUF> suffix <MID> prefix for a model trained in SPM order, healing the prefix end as in PSM', () => {
    const prompt = buildFimPrompt(chars, { fim, fimOrder: 'spm', bos: 9 }, 'ab', 'cd', budget, false);
    expect(prompt.tokens).toEqual([9, 1, 2, ...chars.tokenize('cd'), 3, ...chars.tokenize('ab')]);
    const healed = buildFimPrompt(pairs, { fim, fimOrder: 'spm', bos: undefined }, 'MOVE', ' TO B', budget, true);
    expect(healed.healText).toBe('VE');
    expect(pairs.detokenize(healed.tokens.slice(healed.tokens.indexOf(3) + 1))).toBe('MO');
  });

  it('in SPM order, typing only appends to the prompt (the KV cache keeps all before it)', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `L${String(i).padStart(2, '0')}`).join('\n') + '\n';
    let previous = buildFimPrompt(chars, { fim, fimOrder: 'spm', bos: undefined }, lines, ' TO B.', budget, false);
    for (const typed of ['M', 'MO', 'MOV', 'MOVE', 'MOVE ']) {
      const next = buildFimPrompt(chars, { fim, fimOrder: 'spm', bos: undefined }, lines + typed, ' TO B.', budget, false, previous.cut);
      expect(next.tokens.slice(0, previous.tokens.length)).toEqual(previous.tokens);
      previous = next;
    }
  });

  it('is the prefix alone for a model without FIM tokens', () => {
    const prompt = buildFimPrompt(chars, { fim: undefined, fimOrder: 'psm', bos: undefined }, 'ab', 'cd', budget, false);
    expect(prompt.tokens).toEqual(chars.tokenize('ab'));
  });

  it('keeps the start of a long suffix within its share of the budget', () => {
    const suffix = 'x'.repeat(500);
    const prompt = buildFimPrompt(chars, { fim, fimOrder: 'psm', bos: undefined }, 'ab', suffix, budget, false);
    const available = budget.contextSize - budget.maxTokens - 3;
    const suffixTokens = prompt.tokens.slice(prompt.tokens.indexOf(2) + 1, -1);
    expect(suffixTokens).toHaveLength(Math.floor(available * 0.25));
    expect(prompt.tokens.length).toBeLessThanOrEqual(budget.contextSize - budget.maxTokens);
  });

  it('cuts a long prefix from the left at a line start, leaving room for the completion', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `L${String(i).padStart(2, '0')}`);
    const prefix = lines.join('\n') + '\nMO';
    const prompt = buildFimPrompt(chars, { fim, fimOrder: 'psm', bos: undefined }, prefix, '', budget, false);
    expect(prompt.prefixTruncated).toBe(true);
    expect(prompt.tokens.length).toBeLessThanOrEqual(budget.contextSize - budget.maxTokens);
    const text = chars.detokenize(prompt.tokens.slice(1, prompt.tokens.indexOf(2)));
    expect(prefix.endsWith(text)).toBe(true);
    const firstLine = Number(text.slice(1, 3));
    expect(firstLine % budget.lineGroup).toBe(0); // a line whose index is a multiple of the group
    expect(text.startsWith('L')).toBe(true);
  });

  it('keeps the same cut while the user types, so the prompt start (and its KV cache) is reused', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `LINE ${i}`).join('\n') + '\n';
    const starts = new Set<string>();
    for (let typed = 0; typed < 10; typed++) {
      const tokens = fitPrefix(chars, lines + 'MOVE A TO B'.slice(0, typed), 300, 8).tokens;
      starts.add(chars.detokenize(tokens.slice(0, 10)));
    }
    expect(starts.size).toBe(1);
  });

  it('keeps a previous cut while the prefix still fits from it, and leaves slack after a new cut', () => {
    const lines = Array.from({ length: 60 }, (_, i) => `LINE ${String(i).padStart(2, '0')}`).join('\n') + '\n';
    const first = fitPrefix(chars, lines, 300, 8);
    expect(first.cut).toBeGreaterThan(0);
    expect(first.tokens.length).toBeLessThanOrEqual(300 * 0.85);
    // Typed text that still fits keeps the cut, even past the slack.
    const grown = lines + 'x'.repeat(300 - first.tokens.length);
    expect(fitPrefix(chars, grown, 300, 8, first.cut).cut).toBe(first.cut);
    // One character more and the cut moves on, to a later group start.
    const moved = fitPrefix(chars, grown + 'x', 300, 8, first.cut);
    expect(moved.cut).toBeGreaterThan(first.cut);
    expect(moved.tokens.length).toBeLessThanOrEqual(300);
    // A cut that is not a line start of this text is ignored.
    expect(fitPrefix(chars, lines, 300, 8, first.cut + 1).cut).toBe(first.cut);
  });

  it('cuts at single lines when a group of lines does not fit', () => {
    const lines = Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(40, '.')).join('\n');
    const { cut, tokens } = fitPrefix(chars, lines, 100, 8);
    expect(cut).toBeGreaterThan(0);
    expect(lines[cut - 1]).toBe('\n');
    expect(tokens.length).toBeLessThanOrEqual(100);
  });

  it('falls back to a token-level cut when even the last lines do not fit', () => {
    const prefix = 'y'.repeat(1000);
    const { tokens, truncated } = fitPrefix(chars, prefix, 50, 8);
    expect(truncated).toBe(true);
    expect(tokens).toEqual(chars.tokenize('y'.repeat(50)));
  });

  it('heals: removes the last prefix token and returns its text', () => {
    const prompt = buildFimPrompt(pairs, { fim, fimOrder: 'psm', bos: undefined }, 'MOVE', ' TO B', budget, true);
    expect(prompt.healText).toBe('VE');
    expect(pairs.detokenize(prompt.tokens.slice(1, prompt.tokens.indexOf(2)))).toBe('MO');
  });

  it('throws a RangeError when the context cannot hold a prompt', () => {
    expect(() => buildFimPrompt(chars, { fim, fimOrder: 'psm', bos: undefined }, 'a', '', { ...budget, contextSize: 10, maxTokens: 8 }, false)).toThrow(RangeError);
  });
});
