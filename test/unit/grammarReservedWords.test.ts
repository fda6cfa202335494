/** Tests of the reserved-word tables (grammars/reservedWords.json) and their typed view (grammars/reservedWords.ts). */
import { describe, expect, it } from 'vitest';
import { intrinsicFunctionNames, isReservedWord, keywordGroupOf, keywordGroups, reservedWords } from '../../grammars/reservedWords';

describe('reserved words', () => {
  it('lists every word once, in upper case, as a valid COBOL word, each group sorted', () => {
    const seen = new Map<string, string>();
    for (const [group, { words, description }] of Object.entries(keywordGroups)) {
      expect(description, group).not.toBe('');
      expect(words.length, group).toBeGreaterThan(0);
      expect([...words].sort(), `${group} is sorted`).toEqual(words);
      for (const word of words) {
        expect(word, group).toMatch(/^[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?$/);
        if (group === 'intrinsicFunctions') continue;
        expect(seen.get(word), `${word} is in ${seen.get(word)} and ${group}`).toBeUndefined();
        seen.set(word, group);
      }
    }
    expect(reservedWords.size).toBe(seen.size);
  });

  it('covers the words every COBOL program uses', () => {
    for (const word of ['MOVE', 'PERFORM', 'END-IF', 'PIC', 'COMP-3', 'ZEROS', 'WORKING-STORAGE', 'PROGRAM-ID', 'GOBACK', 'EVALUATE', 'COPY', 'RETURN-CODE']) {
      expect(isReservedWord(word), word).toBe(true);
    }
    expect(intrinsicFunctionNames.has('CURRENT-DATE')).toBe(true);
  });

  it('classifies words case-insensitively and leaves user-defined words alone', () => {
    expect(keywordGroupOf('move')).toBe('statements');
    expect(keywordGroupOf('End-Perform')).toBe('scopeTerminators');
    expect(keywordGroupOf('PIC')).toBe('dataClauses');
    expect(keywordGroupOf('WS-CUSTOMER-NAME')).toBeUndefined();
    expect(isReservedWord('CURRENT-DATE')).toBe(false);
    expect(isReservedWord('MAIN-PARA')).toBe(false);
  });
});
