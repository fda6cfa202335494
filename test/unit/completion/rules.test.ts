/**
 * The engine's pure stages: trigger rules, shape, post-processing
 * (fixed format, repeats, case), validation, the cache and typing-along,
 * the adaptive debounce, and name-aware decoding's token choices.
 */
import { describe, expect, it } from 'vitest';
import { AdaptiveDebounce } from '../../../server/completion/debounce';
import { codeAreaOf, postProcess, writtenInLowerCase } from '../../../server/completion/postProcess';
import { blockShape, shapeFor, singleLine } from '../../../server/completion/shape';
import { SuggestionCache } from '../../../server/completion/suggestionCache';
import { triggerRule } from '../../../server/completion/triggerRules';
import { validateSuggestion } from '../../../server/completion/validate';
import { NameConstraint, upperVocabulary } from '../../../server/model/nameDecoding';

const fixedLine = (code: string) => `000100 ${code}`.padEnd(72) + 'PROG0001';

describe('trigger rules', () => {
  it.each([
    ['sequence area', fixedLine('    MOVE A TO B.'), 3, true, false],
    ['indicator column', fixedLine('    MOVE A TO B.'), 6, true, false],
    ['columns 73-80', fixedLine('    MOVE A TO B.'), 75, true, false],
    ['comment line', '000100*    MOVE A TO B.', 15, true, false],
    ['inline comment', '           MOVE A TO B. *> note', 30, false, false],
    ['long text right of the cursor', '           MOVE A TO WS-LONG-NAME-HERE.', 16, false, false],
    ['end of a code line', fixedLine('    MOVE A TO '), 21, true, true],
    ['after a tab in fixed format', '000100\tMOVE A TO ', 16, true, false],
    ['after a tab in free format', '\tMOVE A TO ', 11, false, true],
    ['short text right of the cursor', '           MOVE A TO B.', 20, false, true],
  ])('%s', (_name, lineText, character, fixed, expected) => {
    expect(triggerRule({ lineText, character, fixed, manual: false }).trigger).toBe(expected);
  });

  it('a manual request ignores only the text right of the cursor', () => {
    expect(triggerRule({ lineText: '           MOVE A TO WS-LONG-NAME-HERE.', character: 16, fixed: false, manual: true }).trigger).toBe(true);
    expect(triggerRule({ lineText: '000100*    MOVE A TO B.', character: 15, fixed: true, manual: true }).trigger).toBe(false);
  });
});

describe('shape', () => {
  it('is one line mid-statement and several after a paragraph header, an open IF or in a blank PROCEDURE DIVISION line', () => {
    expect(shapeFor('           MOVE A', ['       MAIN-PARA.'], false, true)).toBe(singleLine);
    expect(shapeFor('           ', ['       MAIN-PARA.'], false, true)).toBe(blockShape);
    expect(shapeFor('000300     ', ['000200     IF WS-A > 1'], true, true)).toBe(blockShape);
    expect(shapeFor('           ', ['           MOVE A TO B.'], false, true)).toBe(singleLine);
    expect(shapeFor('           ', ['       PROCEDURE DIVISION.'], false, true)).toBe(blockShape);
    expect(shapeFor('           ', ['       MAIN-PARA.'], false, false)).toBe(singleLine);
  });
});

describe('post-processing', () => {
  const base = { lineAfter: '', nextLines: [], fixed: true, lowerCase: false, shape: singleLine };
  it('never writes past column 72, and drops a word the model put across it (the identification area)', () => {
    const lineBefore = '000100     MOVE WS-A TO ';
    const raw = 'WS-B.' + ' '.repeat(44) + 'PROG0001';
    expect(postProcess({ ...base, raw, lineBefore })).toEqual({ text: 'WS-B.' });
    expect(codeAreaOf('x'.repeat(70) + ' ABCDEF')).toBe('x'.repeat(70));
    expect(postProcess({ ...base, raw: 'X', lineBefore: '0'.repeat(72) })).toMatchObject({ text: '' });
  });

  it('starts the code at the cursor on a blank line in Area B, not deeper', () => {
    expect(postProcess({ ...base, raw: "  MOVE 'N' TO WS-FLAG", lineBefore: '000100     ' })).toEqual({ text: "MOVE 'N' TO WS-FLAG" });
    expect(postProcess({ ...base, raw: '    MOVE 1 TO A', lineBefore: '000100 ' })).toEqual({ text: '    MOVE 1 TO A' }); // Area A: into B
  });

  it('keeps following lines in columns 8-72 and moves a verb out of Area A', () => {
    const result = postProcess({ ...base, shape: blockShape, lineBefore: '           ', raw: 'MOVE A TO B\n       DISPLAY B\n' + '      *comment', fixed: true });
    expect(result.text).toBe('MOVE A TO B\n           DISPLAY B');
  });

  it('drops empty suggestions, repeats of the text after the cursor and of the next lines', () => {
    expect(postProcess({ ...base, raw: '   ', lineBefore: '           MOVE ' })).toMatchObject({ text: '', reason: 'empty suggestion' });
    expect(postProcess({ ...base, fixed: false, raw: 'TO B.', lineBefore: '           MOVE A ', lineAfter: 'TO B.' })).toMatchObject({ text: '' });
    expect(postProcess({ ...base, fixed: false, shape: blockShape, raw: 'X\n           MOVE 1 TO A.', lineBefore: '           ', nextLines: ['           MOVE 1 TO A.'] })).toMatchObject({ text: '' });
  });

  it('trims an end that repeats what the line already closes, and keeps the file\'s case', () => {
    expect(postProcess({ ...base, fixed: false, raw: 'WS-A).', lineBefore: '           COMPUTE X = FUNCTION ABS(', lineAfter: ').' })).toEqual({ text: 'WS-A' });
    expect(postProcess({ ...base, fixed: false, lowerCase: true, raw: "MOVE 'ABC' TO WS-A.", lineBefore: '           ' })).toEqual({ text: "move 'ABC' to ws-a." });
    expect(writtenInLowerCase('       move ws-a to ws-b.\n       display "HELLO WORLD"')).toBe(true);
    expect(writtenInLowerCase('       MOVE WS-A TO WS-B.')).toBe(false);
  });
});

describe('validation', () => {
  const names = new Set(['WS-A', 'WS-B', 'MAIN-PARA']);
  it('finds unterminated literals, unbalanced parentheses and undefined names', () => {
    expect(validateSuggestion({ lineBefore: '           MOVE ', text: 'WS-A TO WS-B.', lineAfter: '', fixed: false, names, inExec: false })).toEqual({ plausible: true, undefinedNames: [], problems: [] });
    expect(validateSuggestion({ lineBefore: '           DISPLAY ', text: '"OPEN', lineAfter: '', fixed: false, names, inExec: false }).problems).toEqual(['unterminated literal']);
    expect(validateSuggestion({ lineBefore: '           COMPUTE X = ', text: 'A)', lineAfter: '', fixed: false, names, inExec: false }).problems).toEqual(['unbalanced parentheses']);
    expect(validateSuggestion({ lineBefore: '           MOVE WS', text: '-C TO WS-B.', lineAfter: '', fixed: false, names, inExec: false }).undefinedNames).toEqual(['WS-C']);
    expect(validateSuggestion({ lineBefore: "           MOVE X'FF' TO ", text: 'WS-B', lineAfter: '', fixed: false, names, inExec: false }).undefinedNames).toEqual([]);
    expect(validateSuggestion({ lineBefore: '           PERFORM ', text: 'MAIN', lineAfter: '', fixed: false, names, inExec: false }).undefinedNames).toEqual([]); // still being written
    expect(validateSuggestion({ lineBefore: '           MOVE FUNCTION ', text: 'CURRENT-DATE TO WS-A', lineAfter: '', fixed: false, names, inExec: false }).undefinedNames).toEqual([]);
    expect(validateSuggestion({ lineBefore: '           SELECT ', text: 'CUSTNO FROM T', lineAfter: '', fixed: false, names, inExec: true }).undefinedNames).toEqual([]);
  });

  it('finds data entries and Area B comment marks written into the PROCEDURE DIVISION, and only there', () => {
    const at = (lineBefore: string, text: string, inProcedure = true) => validateSuggestion({ lineBefore, text, lineAfter: '', fixed: true, names, inExec: false, inProcedure }).problems;
    expect(at('000100     ', '05 WS-A PIC 9(4).')).toEqual(['a data entry in the PROCEDURE DIVISION']);
    expect(at('000100     ', 'MOVE 1 TO WS-A\n000200     15 WS-B.')).toEqual(['a data entry in the PROCEDURE DIVISION']);
    expect(at('000100     ', '* ******************')).toEqual(['a comment mark in Area B']);
    expect(at('000100     ', '*> a floating comment')).toEqual([]);
    // A number opening a statement's continuation line, or after the statement's first words, is no entry.
    expect(at('000100         ', '1 TO WS-A')).toEqual([]);
    expect(at('000100     MOVE ', '05 TO WS-A.')).toEqual([]);
    expect(at('000100     ', '05 WS-A PIC 9(4).', false)).toEqual([]);
  });
});

describe('suggestion cache', () => {
  it('serves the rest of a suggestion while the user types it, and an exact hit from the LRU', () => {
    const cache = new SuggestionCache(3);
    const prefix = '       PROCEDURE DIVISION.\n           MOVE ';
    cache.put('m', prefix, '\n', 'v', { text: 'WS-A TO WS-B.', multiline: false, model: 'm' }, 'doc', 100);
    expect(cache.get('m', prefix, '\n', 'v')?.text).toBe('WS-A TO WS-B.');
    expect(cache.typedAlong('m', 'doc', 103, prefix + 'WS-', '\n')?.text).toBe('A TO WS-B.');
    expect(cache.typedAlong('m', 'doc', 103, prefix + 'WX-', '\n')).toBeUndefined();
    expect(cache.typedAlong('m', 'other', 103, prefix + 'WS-', '\n')).toBeUndefined();
    for (let i = 0; i < 10; i++) cache.put('m', `${prefix}${i}`, '\n', 'v', { text: 'X', multiline: false, model: 'm' }, 'doc', 200 + i);
    expect(cache.size).toBe(3);
  });
});

describe('adaptive debounce', () => {
  it('waits for nothing while a human types and waits out a burst', () => {
    const debounce = new AdaptiveDebounce();
    expect(debounce.delayFor(0)).toBe(0);
    expect(debounce.delayFor(150)).toBe(0);
    const burst = [170, 190, 210, 230].map((t) => debounce.delayFor(t));
    for (const delay of burst) expect(delay).toBeGreaterThan(20);
    expect(debounce.delayFor(2000)).toBe(0);
  });
});

describe('name-aware decoding', () => {
  const texts = ['', 'WS', '-', 'A', 'AM', 'AMOUNT', 'AMOUNT.', 'CUST', 'OMER', ' ', 'ws', '-am', 'ount', 'X', 'MOVE', 'E', ' TO', 'WX', 'Q', '.'];
  const vocabulary = upperVocabulary(texts, () => true);
  const constraint = new NameConstraint(['WS-AMOUNT', 'CUSTOMER', 'WS-A'], vocabulary, 72);
  const allowed = (text: string) => constraint.allowed(text)?.map((token) => texts[token]).sort();

  it('narrows a started name to the tokens that continue a name in scope, in the word\'s case', () => {
    expect(allowed('           MOVE WS-')).toEqual(['A', 'AM', 'AMOUNT', 'AMOUNT.']);
    expect(allowed('           MOVE CUST')).toEqual(['OMER']);
    expect(allowed('           move ws-am')).toEqual(['ount']);
  });

  it('lets a complete word end, keywords through, and no invented word start', () => {
    expect(allowed('           MOVE WS-A')).toEqual(expect.arrayContaining([' ', ' TO', '.', 'M', 'MOUNT', 'MOUNT.'].filter((t) => texts.includes(t))));
    expect(allowed('           MOV')).toEqual(['E']); // MOVE is a reserved word
    const start = allowed('           MOVE ')!;
    expect(start).toEqual(expect.arrayContaining(['WS', 'CUST', 'MOVE', 'X']));
    expect(start).not.toContain('WX'); // nothing known starts with WX
  });

  it('leaves literals, numbers, comments, EXEC lines, columns 73-80 and unknown words alone', () => {
    expect(allowed('           DISPLAY "WS-')).toBeUndefined();
    expect(allowed('           ADD 1')).toBeUndefined();
    expect(allowed('           MOVE A *> WS-')).toBeUndefined();
    expect(allowed('           EXEC SQL SELECT WS-')).toBeUndefined();
    expect(allowed(' '.repeat(72) + 'WS-')).toBeUndefined();
    expect(allowed('           MOVE WX')).toBeUndefined();
  });
});
