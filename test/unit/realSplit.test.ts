import { describe, expect, it } from 'vitest';
import { HELD_OUT_REPOSITORIES, defaultRealCorpusDir, readRealCorpus, realTestSplit, realTrainingFiles } from '../../models/eval/realSplit';
import { existsSync } from 'node:fs';

describe('the real-code test split', () => {
  // CI and every developer have ../shared beside the checkout: its absence is a failure, not a skip.
  const corpus = defaultRealCorpusDir();

  it('finds the shared real corpus beside the repository', () => {
    expect(corpus, 'expected ../shared/corpus/real beside the repository').toBeDefined();
  });

  it('holds out whole repositories, each present with programs, and keeps them out of training', () => {
    const all = readRealCorpus(corpus!);
    const test = realTestSplit(corpus!);
    const training = realTrainingFiles(corpus!);
    expect(test.length + training.length).toBe(all.length);
    for (const repository of HELD_OUT_REPOSITORIES) {
      expect(test.filter((file) => file.repository === repository && file.kind === 'program').length, repository).toBeGreaterThan(0);
    }
    const testHashes = new Set(test.map((file) => file.sha256));
    expect(training.filter((file) => testHashes.has(file.sha256))).toEqual([]);
    expect(test.every((file) => existsSync(file.file))).toBe(true);
  });
});
