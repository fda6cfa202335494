/**
 * The pipeline's byte-level BPE: exact round trip (COBOL's spaces before
 * periods and inside quotes survive), the committed tokenizer's special tokens,
 * and deterministic training.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateProgram } from '../../../models/pipeline/corpus/generate';
import { FIM_MID, FIM_PRE, FIM_SUF, SPECIAL_TOKENS, Tokenizer, preTokenize, trainTokenizer, type TokenizerData } from '../../../models/pipeline/tokenizer';

const committed = new Tokenizer(JSON.parse(readFileSync(new URL('../../../models/tokenizer.json', import.meta.url), 'utf8')) as TokenizerData);

describe('byte-level BPE tokenizer', () => {
  it('round-trips COBOL text exactly, including spaces before periods and inside literals', () => {
    const samples = [
      "       01  WS-FLAG  PIC X VALUE ' '.\n           STOP RUN .\n",
      "000100 PROCEDURE DIVISION.                                              PGM001  \n",
      '   MOVE "A ,B" TO X , Y .\n\n\t*> free comment ünïcödé €\n',
      '',
      '   ',
      '\n\n\n',
    ];
    for (const text of samples) expect(committed.decode(committed.encode(text))).toBe(text);
  });

  it('round-trips generated programs of every layout', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { text } = generateProgram(seed);
      expect(committed.decode(committed.encode(text))).toBe(text);
    }
  });

  it('keeps the special tokens at the ids the GGUF metadata names', () => {
    expect(committed.tokens.slice(0, SPECIAL_TOKENS.length)).toEqual([...SPECIAL_TOKENS]);
    expect([FIM_PRE, FIM_SUF, FIM_MID]).toEqual([1, 2, 3]);
    // Special-token text in user code is plain text, never a control token.
    expect(committed.encode('<|fim_prefix|>').some((id) => id < SPECIAL_TOKENS.length)).toBe(false);
  });

  it('pre-tokenises like llama.cpp\'s GPT-2 splitter (spaces join the next word, runs of spaces stand alone)', () => {
    expect(preTokenize('    MOVE A TO B.')).toEqual(['   ', ' MOVE', ' A', ' TO', ' B', '.']);
    expect(preTokenize("X'10'")).toEqual(['X', "'", '10', "'"]);
  });

  it('trains deterministically and compresses COBOL', () => {
    const texts = Array.from({ length: 12 }, (_, i) => generateProgram(100 + i).text);
    const a = trainTokenizer(texts, 600);
    const b = trainTokenizer(texts, 600);
    expect(a).toEqual(b);
    expect(a.tokens).toHaveLength(600);
    const tok = new Tokenizer(a);
    const text = texts.join('');
    expect(text.length / tok.encode(text).length).toBeGreaterThan(2.5);
  });
});
