/**
 * What a user sees with VS Code's default Dark Modern theme: the grammar's scopes must map to distinct colours
 * for keywords, comments (the sequence and identification areas included), strings, numbers and names. The
 * end-to-end test checks keyword and comment colours in a real editor; this checks every class offline.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IRawTheme } from 'vscode-textmate';
import { describe, expect, it } from 'vitest';
import { themedColours } from './grammarHarness';

const darkModern = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/grammar/dark-modern-token-colors.json', import.meta.url)), 'utf8'),
) as { defaultForeground: string; tokenColors: IRawTheme['settings'] };
const theme: IRawTheme = {
  name: 'Dark Modern',
  settings: [{ settings: { foreground: darkModern.defaultForeground, background: '#1F1F1F' } }, ...darkModern.tokenColors],
};

const source = [
  '000100 IDENTIFICATION DIVISION.                                         PAYROLL1',
  '000200* A COMMENT LINE                                                  PAYROLL1',
  '000300 01  WS-TOTAL           PIC S9(7)V99 COMP-3 VALUE ZERO.           PAYROLL1',
  '000400 MAIN-PARA.                                                       PAYROLL1',
  '000500     PERFORM CALC-PARA                                            PAYROLL1',
  '000600     MOVE "TEXT" TO WS-NAME *> FLOATING                           PAYROLL1',
  '000700     ADD 12 TO WS-TOTAL                                           PAYROLL1',
].join('\n');

describe('Dark Modern colours', () => {
  it('colours each kind of token as a user expects', async () => {
    const expected: [string, string][] = [
      ['000100', '#6A9955'], // sequence area: comment green
      ['PAYROLL1', '#6A9955'], // identification area: comment green
      ['IDENTIFICATION', '#569CD6'], // keyword blue
      ['A COMMENT LINE', '#6A9955'],
      ['01  WS-TOTAL', '#B5CEA8'], // level number: numeric
      ['WS-TOTAL', '#9CDCFE'], // data name: variable
      ['S9(7)V99', '#569CD6'], // PICTURE string: storage type
      ['ZERO', '#569CD6'], // figurative constant: language constant
      ['MAIN-PARA', '#DCDCAA'], // paragraph: function
      ['PERFORM', '#C586C0'], // flow control
      ['CALC-PARA', '#DCDCAA'],
      ['MOVE', '#569CD6'],
      ['"TEXT"', '#CE9178'], // string
      ['*> FLOATING', '#6A9955'],
      ['12 TO', '#B5CEA8'],
    ];
    expect(await themedColours(theme, source, expected.map(([needle]) => needle))).toEqual(expected.map(([, colour]) => colour));
  });

  it('gives keywords and comments different colours (what the end-to-end test checks)', async () => {
    const [keyword, comment] = await themedColours(theme, source, ['MOVE', 'A COMMENT LINE']);
    expect(keyword).not.toBe(comment);
  });
});
