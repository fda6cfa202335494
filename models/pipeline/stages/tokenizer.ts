/**
 * Tokenizer stage: trains the byte-level BPE on the training split and writes
 * models/.work/tokenizer.json (also committed as models/tokenizer.json so tests
 * and evaluation of the bundled models do not need the work folder).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer, trainTokenizer } from '../tokenizer';
import type { CorpusDoc } from './corpus';

export function readSplit(workDir: string, split: 'train' | 'validation' | 'test'): CorpusDoc[] {
  return readFileSync(join(workDir, 'corpus', `${split}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CorpusDoc);
}

export function buildTokenizer(workDir: string, vocabSize: number, log: (m: string) => void): Record<string, unknown> {
  const train = readSplit(workDir, 'train');
  const data = trainTokenizer(train.map((d) => d.text), vocabSize, log);
  const tok = new Tokenizer(data);
  const test = readSplit(workDir, 'test');
  let chars = 0;
  let tokens = 0;
  for (const d of test) {
    const ids = tok.encode(d.text);
    if (tok.decode(ids) !== d.text) throw new Error(`tokenizer does not round-trip ${d.id}`);
    chars += d.text.length;
    tokens += ids.length;
  }
  writeFileSync(join(workDir, 'tokenizer.json'), JSON.stringify(data) + '\n');
  const stats = { vocabSize: data.tokens.length, merges: data.merges.length, testChars: chars, testTokens: tokens, charsPerToken: +(chars / tokens).toFixed(3) };
  log(`tokenizer: ${JSON.stringify(stats)}`);
  return stats;
}
