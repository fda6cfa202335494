import { describe, expect, it } from 'vitest';
import { completionListFor, nameRangeBefore } from '../../../server/lsp/completionRange';

describe('completion replacement range', () => {
  it('covers the whole hyphenated name typed so far', () => {
    const line = '           MOVE OUT-R';
    expect(nameRangeBefore(line, 4, line.length)).toEqual({ start: { line: 4, character: 16 }, end: { line: 4, character: line.length } });
    const trailing = '           MOVE WS-';
    expect(nameRangeBefore(trailing, 0, trailing.length).start.character).toBe(16);
  });

  it('is empty after a space and stops at punctuation', () => {
    expect(nameRangeBefore('           MOVE ', 0, 16).start.character).toBe(16);
    expect(nameRangeBefore('       X(WS-I', 0, 13).start.character).toBe(9);
  });

  it('accepting an item never duplicates the prefix', () => {
    const line = '           MOVE OUT-RATE';
    const range = nameRangeBefore(line, 0, line.length);
    const list = completionListFor([{ label: 'OUT-RATE' }], range, false);
    const edit = list.items[0].textEdit as { range: typeof range; newText: string };
    const result = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
    expect(result).toBe('           MOVE OUT-RATE');
    expect(completionListFor([{ label: 'A' }], range, true).itemDefaults?.editRange).toEqual(range);
  });
});
