/**
 * Tests of grammars/language-configuration.json: valid JSON, and the word pattern and indentation rules
 * behave on COBOL lines as VS Code applies them (JavaScript regexes with the given flags).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Pattern {
  readonly pattern: string;
  readonly flags: string;
}

const config = JSON.parse(readFileSync(fileURLToPath(new URL('../../grammars/language-configuration.json', import.meta.url)), 'utf8')) as {
  comments: { lineComment: string };
  wordPattern: Pattern;
  indentationRules: { increaseIndentPattern: Pattern; decreaseIndentPattern: Pattern };
  folding: { markers: { start: string; end: string } };
};
const regex = (p: Pattern) => new RegExp(p.pattern, p.flags);

/** Expectations as data: each line and whether the rule must match it. */
const checkRule = (p: Pattern, cases: ReadonlyArray<readonly [string, boolean]>) =>
  cases.filter(([line, want]) => regex(p).test(line) !== want).map(([line, want]) => `${want ? 'should' : 'should not'} match: ${JSON.stringify(line)}`);

describe('language configuration', () => {
  it('uses the COBOL floating comment for line comments', () => {
    expect(config.comments.lineComment).toBe('*>');
  });

  it('selects whole hyphenated COBOL words and decimal numbers', () => {
    const words = (text: string) => text.match(new RegExp(config.wordPattern.pattern, `${config.wordPattern.flags}g`));
    expect(words('MOVE WS-CUSTOMER-NAME TO OUT-REC.')).toEqual(['MOVE', 'WS-CUSTOMER-NAME', 'TO', 'OUT-REC']);
    expect(words('COMPUTE X = 3.14 * COMP-3-FIELD(1)')).toEqual(['COMPUTE', 'X', '3.14', 'COMP-3-FIELD', '1']);
    expect(words('A - B')).toEqual(['A', 'B']);
    // A name being typed keeps its trailing hyphen, so completion keeps filtering on the whole name.
    expect(words('MOVE OUT-')).toEqual(['MOVE', 'OUT-']);
  });

  it('indents after block openers and paragraph headers, not after complete sentences', () => {
    expect(
      checkRule(config.indentationRules.increaseIndentPattern, [
        ['           IF WS-A > 1', true],
        ['000100     if ws-a > 1', true],
        ['           IF WS-A = "A."', true],
        ['           ELSE', true],
        ['           EVALUATE TRUE', true],
        ['               WHEN 1', true],
        ['           PERFORM UNTIL WS-EOF', true],
        ['           PERFORM VARYING I FROM 1 BY 1 UNTIL I > 9', true],
        ['           PERFORM 3 TIMES', true],
        ['           PERFORM', true],
        ['           READ IN-FILE', true],
        ['               AT END', true],
        ['               NOT ON SIZE ERROR', true],
        ['       MAIN-PARA.', true],
        ['MAIN-PARA.', true],
        ['           IF A = B MOVE 1 TO C.', false],
        ['           IF A = B MOVE 1 TO C END-IF', false],
        ['           PERFORM PARA-1', false],
        ['           PERFORM PARA-1 UNTIL WS-EOF', false],
        ['           MOVE A TO B', false],
        ['               B.', false],
        ['       01  WS-REC.', false],
      ]),
    ).toEqual([]);
  });

  it('outdents scope terminators, ELSE, WHEN and NOT phrases', () => {
    expect(
      checkRule(config.indentationRules.decreaseIndentPattern, [
        ['           END-IF', true],
        ['           end-perform.', true],
        ['           ELSE', true],
        ['               WHEN OTHER', true],
        ['               NOT AT END', true],
        ['           IF X', false],
        ['           MOVE END-FLAG TO X', false],
      ]),
    ).toEqual([]);
  });

  it('folds *> #region ... *> #endregion in both formats', () => {
    const start = new RegExp(config.folding.markers.start);
    const end = new RegExp(config.folding.markers.end);
    expect(['000100 *> #region totals', '      *> region', '*> #region'].every((l) => start.test(l))).toBe(true);
    expect(['000200 *> #endregion', '*> endregion'].every((l) => end.test(l))).toBe(true);
    expect(start.test('       MOVE A TO B')).toBe(false);
  });
});
