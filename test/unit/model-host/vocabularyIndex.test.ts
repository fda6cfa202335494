/** The vocabulary index that token healing uses to find the allowed first tokens. */
import { describe, expect, it } from 'vitest';
import { VocabularyIndex } from '../../../server/model/vocabularyIndex';

describe('VocabularyIndex', () => {
  const texts = ['M', 'MO', 'MOVE', 'MOVE ', 'MOVES', 'N', ' ', '  ', '<fim>', 'MOV', ''];
  const index = new VocabularyIndex(texts, (id) => id !== 8);

  it('finds every usable token starting with a text, and only those', () => {
    expect(index.tokensStartingWith('MOV').sort()).toEqual([2, 3, 4, 9]);
    expect(index.tokensStartingWith('MOVE').sort()).toEqual([2, 3, 4]);
    expect(index.tokensStartingWith(' ').sort()).toEqual([6, 7]);
    expect(index.tokensStartingWith('X')).toEqual([]);
  });

  it('never offers control tokens or empty texts', () => {
    expect(index.tokensStartingWith('<')).toEqual([]);
    expect(index.tokensStartingWith('').includes(10)).toBe(false);
    expect(index.size).toBe(texts.length);
  });
});
