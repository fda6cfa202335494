import { describe, expect, it } from 'vitest';
import { lex } from '../../../server/cobol/lexer';
import { TokenKind } from '../../../server/cobol/token';
import { fixed } from './helpers';

const kinds: Record<number, string> = {
  [TokenKind.Word]: 'w', [TokenKind.Number]: 'n', [TokenKind.String]: 's', [TokenKind.Period]: '.', [TokenKind.Picture]: 'pic',
  [TokenKind.Directive]: 'dir', [TokenKind.Exec]: 'exec', [TokenKind.PseudoText]: '==', [TokenKind.Operator]: 'op',
  [TokenKind.LParen]: '(', [TokenKind.RParen]: ')', [TokenKind.Colon]: ':', [TokenKind.Unknown]: '?',
};

/** Tokens as `kind:text@line:col`, the reader's whole observable output. */
function check(text: string, format: 'auto' | 'fixed' | 'free' = 'auto'): string[] {
  return lex(text, 0, format).tokens.map((t) => `${kinds[t.kind]}:${t.text}@${t.line}:${t.col}`);
}

describe('source reader', () => {
  it('reads fixed format columns 8-72 and never columns 73-80 or the sequence area', () => {
    const text = `${'000100 MOVE A TO B.'.padEnd(72)}ZZ99MOVE`;
    expect(check(text, 'fixed')).toEqual(['w:MOVE@0:7', 'w:A@0:12', 'w:TO@0:14', 'w:B@0:17', '.:.@0:18']);
  });

  it('skips comment, page and debugging lines, and *> comments', () => {
    const text = fixed('|      * COMMENT MOVE', '|      / PAGE', '|      D DISPLAY X', 'MOVE A *> TO B', 'TO B.');
    expect(check(text, 'fixed').map((t) => t.split('@')[0])).toEqual(['w:MOVE', 'w:A', 'w:TO', 'w:B', '.:.']);
  });

  it('continues a literal with either quote on a continuation line', () => {
    const first = '       DISPLAY "HELLO WORLD THIS LITERAL RUNS TO COLUMN SEVENTY-TWO AND';
    const text = [first.padEnd(72), "      -    'ON AND ENDS HERE\".", "      -    \"ANOTHER\"."].join('\n');
    const tokens = lex(text, 0, 'fixed').tokens;
    expect(tokens[1].kind).toBe(TokenKind.String);
    expect(tokens[1].text).toBe(`${first.slice(15).padEnd(57)}ON AND ENDS HERE"`);
    expect([tokens[1].endLine, tokens[1].endCol]).toEqual([1, 29]);
    expect(lex(text, 0, 'fixed').diagnostics).toEqual([]);
  });

  it('reports a literal that is neither closed nor continued', () => {
    const result = lex(fixed('DISPLAY "OPEN', 'STOP RUN.'), 0, 'fixed');
    expect(result.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}`)).toEqual(['0:15 syntax/unterminated-literal']);
    expect(result.tokens.map((t) => t.text).slice(-3)).toEqual(['STOP', 'RUN', '.']);
  });

  it('reports a literal continued and then left open over its whole span (found by the token-soup property)', () => {
    const result = lex('       "UNCLOSED\n      -" IDENTIFICATION', 0, 'fixed');
    expect(result.diagnostics.map((d) => [d.code, d.range])).toEqual([
      ['syntax/unterminated-literal', { start: { line: 0, character: 7 }, end: { line: 1, character: 23 } }],
    ]);
  });

  it('keeps >> directives and CBL/PROCESS lines as directive tokens and switches format', () => {
    const text = ['       CBL LIB,APOST', '       >>SOURCE FORMAT FREE', 'identification division.', 'program-id. x. *> free now'].join('\n');
    expect(check(text, 'fixed')).toEqual([
      'dir:CBL LIB,APOST@0:7', 'dir:>>SOURCE FORMAT FREE@1:7', 'w:identification@2:0', 'w:division@2:15', '.:.@2:23',
      'w:program-id@3:0', '.:.@3:10', 'w:x@3:12', '.:.@3:13',
    ]);
  });

  it('reads PICTURE strings whole, stopping before a separator period', () => {
    expect(check(fixed('05 A PIC S9(5)V99 COMP-3.', '05 B PICTURE IS ZZ,ZZ9.99-.'), 'fixed').map((t) => t.split('@')[0])).toEqual([
      'n:05', 'w:A', 'w:PIC', 'pic:S9(5)V99', 'w:COMP-3', '.:.', 'n:05', 'w:B', 'w:PICTURE', 'w:IS', 'pic:ZZ,ZZ9.99-', '.:.',
    ]);
  });

  it('keeps EXEC … END-EXEC whole with host variables and their positions', () => {
    const text = fixed('EXEC SQL SELECT NAME INTO :WS-NAME:WS-IND', "  FROM T WHERE ID = :WS-ID AND X = ':NOT-HOST'", 'END-EXEC.');
    const [exec, period] = lex(text, 0, 'fixed').tokens;
    expect(exec.kind).toBe(TokenKind.Exec);
    expect(exec.exec?.language).toBe('SQL');
    expect(exec.exec?.hostVariables.map((h) => `${h.name}@${h.line}:${h.col}`)).toEqual(['WS-NAME@0:34', 'WS-IND@0:42', 'WS-ID@1:28']);
    expect([exec.endLine, exec.endCol, period.kind]).toEqual([2, 15, TokenKind.Period]);
  });

  it('skips comment entries such as AUTHOR, whatever they contain', () => {
    const text = fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. X.', "AUTHOR. O'BRIEN, \"THE\" TEAM.", "    SECOND LINE IT'S FREE TEXT.", 'DATA DIVISION.');
    const result = lex(text, 0, 'fixed');
    expect(result.diagnostics).toEqual([]);
    expect(result.tokens.map((t) => t.text)).toEqual(['IDENTIFICATION', 'DIVISION', '.', 'PROGRAM-ID', '.', 'X', '.', 'AUTHOR', '.', 'DATA', 'DIVISION', '.']);
  });

  it('lexes free format with lower case, operators and numbers', () => {
    expect(check('compute x = y ** 2 - 1.5 * z(1:2).', 'free').map((t) => t.split('@')[0])).toEqual([
      'w:compute', 'w:x', 'op:=', 'w:y', 'op:**', 'n:2', 'op:-', 'n:1.5', 'op:*', 'w:z', '(:(', 'n:1', ':::', 'n:2', '):)', '.:.',
    ]);
  });

  it('keeps :TAG: placeholders inside words for REPLACING', () => {
    expect(check('01 :PFX:-REC. 05 WS-:PFX:-ID PIC X.', 'free').map((t) => t.split('@')[0])).toEqual([
      'n:01', 'w::PFX:-REC', '.:.', 'n:05', 'w:WS-:PFX:-ID', 'w:PIC', 'pic:X', '.:.',
    ]);
  });
});
