/**
 * Training rows: every fill-in-the-middle sample (SPM or PSM order) lies whole inside one row
 * (the model sees one row at a time, and a middle cut off from its prefix
 * cannot be learned), and its prefix, middle and suffix are one piece of the
 * program in order. The legacy `streamed` packing is kept byte for byte for the
 * committed models' first phases; it splits most samples.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateProgram } from '../../../models/pipeline/corpus/generate';
import { buildSamples } from '../../../models/pipeline/samples';
import { EOT, FIM_MID, FIM_PRE, FIM_SUF, Tokenizer, type TokenizerData } from '../../../models/pipeline/tokenizer';

const tok = new Tokenizer(JSON.parse(readFileSync(new URL('../../../models/tokenizer.json', import.meta.url), 'utf8')) as TokenizerData);
const docs = Array.from({ length: 24 }, (_, i) => generateProgram(500 + i).text);
const ctx = 256;

/** FIM samples of a row: [start, end) of each PRE ... EOT, and the MID tokens without a PRE before them in the row. */
function fimSamples(row: readonly number[]) {
  const whole: Array<[number, number]> = [];
  let orphanMiddles = 0;
  for (let i = 0; i < row.length; i++) {
    // A sample's PRE comes before its MID: a MID with no PRE before it in the row began in an earlier row.
    if (row[i] === FIM_MID && row.lastIndexOf(FIM_PRE, i) < 0) orphanMiddles++;
    if (row[i] !== FIM_PRE) continue;
    const end = row.indexOf(EOT, i);
    whole.push([i, end < 0 ? row.length : end + 1]);
  }
  return { whole, orphanMiddles };
}

const rowsOf = (data: Uint16Array) => Array.from({ length: data.length / (ctx + 1) }, (_, r) => Array.from(data.subarray(r * (ctx + 1), (r + 1) * (ctx + 1))));

describe('training rows', () => {
  const aligned = rowsOf(buildSamples(docs, tok, { contextLength: ctx, seed: 5, minTokens: 40_000 }));

  it('hold every FIM sample whole: PRE, SUF, MID and the closing EOT in the same row', () => {
    let samples = 0;
    for (const row of aligned) {
      const { whole, orphanMiddles } = fimSamples(row);
      expect(orphanMiddles).toBe(0);
      for (const [start, end] of whole) {
        const sample = row.slice(start, end);
        expect(sample.at(-1)).toBe(EOT);
        expect(sample.filter((t) => t === FIM_SUF)).toHaveLength(1);
        expect(sample.filter((t) => t === FIM_MID)).toHaveLength(1);
        samples++;
      }
    }
    expect(samples).toBeGreaterThan(aligned.length / 2);
  });

  it('cut each sample from one program: prefix + middle + suffix is a piece of it, in order, in either FIM order', () => {
    let checked = 0;
    let spm = 0;
    for (const row of aligned.slice(0, 60)) {
      for (const [start, end] of fimSamples(row).whole) {
        const sample = row.slice(start, end);
        const suf = sample.indexOf(FIM_SUF);
        const mid = sample.indexOf(FIM_MID);
        if (suf === 1) {
          // SPM: <PRE> <SUF> suffix <MID> prefix middle: the text after <MID> runs on from the prefix, so it is one piece.
          const [suffix, prefixAndMiddle] = [tok.decode(sample.slice(2, mid)), tok.decode(sample.slice(mid + 1, -1))];
          expect(docs.some((d) => d.includes(prefixAndMiddle + suffix))).toBe(true);
          spm++;
        } else {
          const [prefix, suffix, middle] = [tok.decode(sample.slice(1, suf)), tok.decode(sample.slice(suf + 1, mid)), tok.decode(sample.slice(mid + 1, -1))];
          expect(docs.some((d) => d.includes(prefix + middle + suffix))).toBe(true);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // About three in four FIM samples are SPM (config.ts FIM.spmRate).
    expect(spm / checked).toBeGreaterThan(0.55);
    expect(spm / checked).toBeLessThan(0.95);
  });

  it('are deterministic per seed, and the legacy streamed packing splits samples across rows', () => {
    expect(buildSamples(docs, tok, { contextLength: ctx, seed: 5, minTokens: 40_000 })).toEqual(buildSamples(docs, tok, { contextLength: ctx, seed: 5, minTokens: 40_000 }));
    const streamed = rowsOf(buildSamples(docs, tok, { contextLength: ctx, seed: 5, minTokens: 40_000, packing: 'streamed' }));
    const orphans = streamed.reduce((n, row) => n + fimSamples(row).orphanMiddles, 0);
    expect(orphans).toBeGreaterThan(streamed.length / 4);
  });
});
