/**
 * Fixed-format typing as pure functions: Enter, paste, typing and deleting,
 * toggle comment. Each case simulates what VS Code does to the text (Enter
 * with its auto-indent, a paste, a keystroke) and then applies the layout
 * edits, so the expectations read as the lines a user sees. fast-check
 * properties check that the identification area stays at column 73 and that
 * no character is lost.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyLineEdits, layoutAfterChange, toggleComment, type TypingDocument, type UserChange } from '../../../server/cobol/fixedFormatTyping';
import { formatsByLine, type SourceFormat } from '../../../server/cobol/sourceFormat';

function documentOf(lines: string[], format: SourceFormat = 'fixed'): TypingDocument {
  const formats = formatsByLine(lines, format);
  return { lineCount: lines.length, line: (i) => lines[i], format: (i) => formats[i] };
}

/** Applies the user's change as the editor does, then the layout edits; returns the lines and the cursor. */
function type(lines: string[], change: UserChange, format: SourceFormat = 'fixed') {
  const { start, end } = change.range;
  const head = lines[start.line].slice(0, start.character);
  const tail = lines[end.line].slice(end.character);
  const inserted = (head + change.text + tail).split('\n');
  const edited = [...lines.slice(0, start.line), ...inserted, ...lines.slice(end.line + 1)];
  const result = layoutAfterChange(documentOf(edited, format), change);
  return { lines: applyLineEdits(edited, result.edits), cursor: result.cursor, message: result.message };
}

const at = (line: number, character: number) => ({ line, character });
const enter = (line: number, character: number, indent = ''): UserChange => ({ range: { start: at(line, character), end: at(line, character) }, text: `\n${indent}` });
const tagged = (sequence: string, code: string, tag = 'CUSTRPT ') => `${sequence} ${code}`.padEnd(72, ' ') + tag;

const program = [
  tagged('000100', 'PROCEDURE DIVISION.'),
  tagged('000200', '0000-MAIN.'),
  tagged('000300', '    MOVE WS-A TO WS-B'),
  tagged('000400', '    STOP RUN.'),
];

describe('Enter in fixed format', () => {
  it('keeps the tag on its line and starts the new line in Area B with a sequence number between its neighbours', () => {
    const cut = program[2].indexOf(' TO');
    const { lines, cursor } = type(program, enter(2, cut));
    expect(lines[2]).toBe(tagged('000300', '    MOVE WS-A'));
    expect(lines[3]).toBe('000310     TO WS-B');
    expect(cursor).toEqual(at(3, 11));
    expect(lines[4]).toBe(program[3]);
  });

  it('at the end of the code: an empty new line, the tag left behind', () => {
    const cut = program[2].trimEnd().length - 'CUSTRPT'.length;
    const end = program[2].slice(0, 72).trimEnd().length;
    const { lines, cursor } = type(program, enter(2, end));
    expect(lines[2]).toBe(program[2]);
    expect(lines[3]).toBe('000310     ');
    expect(cursor).toEqual(at(3, 11));
    expect(cut).toBeGreaterThan(0);
  });

  it('after a paragraph header goes to Area B, after a division header to Area A', () => {
    expect(type(program, enter(1, program[1].indexOf('.') + 1)).lines[2]).toBe('000210     ');
    expect(type(program, enter(0, program[0].indexOf('.') + 1)).lines[1]).toBe('000110 ');
  });

  it('after a block opener indents one step; after a full stop in the PROCEDURE DIVISION returns to Area B', () => {
    const nested = [tagged('000100', 'PROCEDURE DIVISION.'), tagged('000200', '    IF WS-A > 1'), tagged('000300', '        DISPLAY WS-A.')];
    expect(type(nested, enter(1, nested[1].indexOf('1') + 1)).lines[2]).toBe('000210         ');
    expect(type(nested, enter(2, nested[2].indexOf('.') + 1)).lines[3]).toBe('000400     ');
  });

  it('keeps blank sequence areas blank, continues a comment as a comment, and replaces the auto-indent', () => {
    const blank = ['       PROCEDURE DIVISION.', '       0000-MAIN.', '           DISPLAY "A" UPON CONSOLE.'];
    const { lines, cursor } = type(blank, enter(2, blank[2].indexOf(' UPON'), '           '));
    expect(lines.slice(2)).toEqual(['           DISPLAY "A"', '           UPON CONSOLE.']);
    expect(cursor).toEqual(at(3, 11));
    const comment = [`${'000100* A LONG COMMENT ABOUT IT'.padEnd(72, ' ')}CUSTRPT `];
    const split = type(comment, enter(0, comment[0].indexOf('ABOUT')));
    expect(split.lines[1].slice(0, 8)).toBe('000200* ');
    expect(split.lines[1]).toContain('ABOUT IT');
  });

  it('on the last line, in a file without an identification area, and with CRLF text', () => {
    const last = ['       PROCEDURE DIVISION.', '           STOP RUN.'];
    expect(type(last, enter(1, last[1].length)).lines).toEqual(['       PROCEDURE DIVISION.', '           STOP RUN.', '           ']);
    const crlf = type(program, { range: { start: at(2, 20), end: at(2, 20) }, text: '\r\n' });
    expect(crlf.lines[2].length).toBe(80);
  });

  it('leaves lines with tabs, free format and cuts outside columns 8-72 alone', () => {
    const tabbed = ['\tMOVE A TO B'];
    expect(layoutAfterChange(documentOf(['\tMOVE A', ' TO B']), enter(0, 7)).edits).toEqual([]);
    expect(tabbed).toHaveLength(1);
    expect(layoutAfterChange(documentOf(['MOVE A', ' TO B'], 'free'), enter(0, 6)).edits).toEqual([]);
    expect(layoutAfterChange(documentOf(['0001', '00 MOVE A']), enter(0, 4)).edits).toEqual([]);
  });

  it('property: the tag stays at column 73 on the first line and no code is lost', () => {
    const word = fc.stringMatching(/^[A-Z][A-Z0-9-]{0,10}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.nat(), fc.boolean(), (words, cutSeed, numbered) => {
        const code = `    ${words.join(' ')}`.slice(0, 64);
        const sequence = numbered ? '000500' : '      ';
        const line = tagged(sequence, code, 'TAG00001');
        const cut = 7 + (cutSeed % (code.length + 2));
        const { lines } = type([tagged(sequence, 'PROCEDURE DIVISION.'), line, tagged(numbered ? '000600' : '      ', 'STOP RUN.')], enter(1, cut));
        expect(lines[1].slice(72)).toBe('TAG00001');
        expect(lines[1].length).toBe(80);
        expect(lines[2].length).toBeLessThanOrEqual(72);
        expect(lines[2][6]).toBe(' ');
        const visible = (text: string) => text.slice(7, 72).replace(/ /g, '');
        expect(visible(lines[1]) + visible(lines[2])).toBe(visible(line));
      }),
      { numRuns: 300 },
    );
  });
});

describe('paste of several lines', () => {
  it('keeps the tag on the first line and drops it from the last', () => {
    const at20 = program[2].indexOf(' TO');
    const { lines } = type(program, { range: { start: at(2, at20), end: at(2, at20) }, text: ' TO WS-C\n           MOVE WS-C' });
    expect(lines[2]).toBe(tagged('000300', '    MOVE WS-A TO WS-C'));
    expect(lines[3]).toBe('           MOVE WS-C TO WS-B');
  });
});

describe('bad input', () => {
  const paste = (line: number, character: number, text: string): UserChange => ({ range: { start: at(line, character), end: at(line, character) }, text });

  it('paste and toggle comment on the last line, Enter and paste on an 80-column line', () => {
    const last = type(program, paste(3, 20, 'A\n           DISPLAY B'));
    expect(last.lines[3].slice(72)).toBe('CUSTRPT ');
    expect(last.lines[4]).toBe('           DISPLAY B'); // the padding and the tag copy after the paste are gone
    const toggled = applyLineEdits(program, toggleComment(documentOf(program), 3, 3)!);
    expect(toggled[3]).toBe(`000400*${program[3].slice(7)}`);
    const full = tagged('000100', `    MOVE ${'A'.repeat(56)}`);
    expect(full.length).toBe(80);
    const split = type([full], enter(0, 40));
    expect(split.lines[0].slice(72)).toBe('CUSTRPT ');
    expect((split.lines[0] + split.lines[1]).replace(/ /g, '').length).toBe(full.replace(/ /g, '').length + 6);
  });

  it('a copybook with blank sequence areas and no tags: Enter and paste add no tag and no number', () => {
    const copybook = ['       01  CUSTOMER-RECORD.', '           05  CUST-ID PIC 9(6).'];
    expect(type(copybook, enter(1, 22)).lines.slice(1)).toEqual(['           05  CUST-ID', '           PIC 9(6).']);
    expect(type(copybook, paste(1, 22, '\n           X')).lines.slice(1)).toEqual(['           05  CUST-ID', '           X PIC 9(6).']);
  });

  it('property: a paste of several lines keeps the tag on its first line and loses no character', () => {
    const segment = fc.stringMatching(/^[A-Z0-9 '.-]{0,20}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 2, maxLength: 4 }), fc.integer({ min: 7, max: 40 }), (segments, cut) => {
        const line = tagged('000300', '    MOVE WS-AMOUNT TO WS-TOTAL');
        const text = `X${segments.join('\n')}`; // a paste, not an Enter (its own case above)
        const { lines } = type([line], paste(0, cut, text));
        expect(lines[0].slice(72)).toBe('CUSTRPT ');
        const visible = (value: string) => [...value.replace(/\s/g, '')].sort().join('');
        expect(visible(lines.join(''))).toBe(visible(line + text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('typing and deleting in Area B', () => {
  const insert = (line: number, character: number, text: string): UserChange => ({ range: { start: at(line, character), end: at(line, character) }, text });
  const remove = (line: number, from: number, to: number): UserChange => ({ range: { start: at(line, from), end: at(line, to) }, text: '' });

  it('keeps the tag at column 73 while the line has room', () => {
    const typed = type(program, insert(2, 16, 'X'));
    expect(typed.lines[2]).toBe(tagged('000300', '    MOVE XWS-A TO WS-B'));
    expect(type(program, remove(2, 16, 18)).lines[2]).toBe(tagged('000300', '    MOVE -A TO WS-B'));
    expect(type(program, insert(2, 30, 'ABC')).lines[2].slice(72)).toBe('CUSTRPT ');
  });

  it('says when a line runs past column 72, and loses nothing', () => {
    const full = tagged('000300', `    MOVE ${'A'.repeat(56)}`);
    expect(full.slice(0, 72).endsWith('A')).toBe(true);
    const { lines, message } = type([full], insert(0, 20, 'XY'));
    expect(message).toMatch(/Line 1 runs past column 72/);
    expect(lines[0].replace(/ /g, '').length).toBe(full.replace(/ /g, '').length + 2);
    const untagged = `       ${'B'.repeat(65)}`;
    expect(type([untagged], insert(0, 30, 'Z')).message).toMatch(/runs past column 72/);
  });

  it('property: single insertions and deletions with room keep the tag at column 73 and every character', () => {
    fc.assert(
      fc.property(fc.integer({ min: 7, max: 40 }), fc.stringMatching(/^[A-Z0-9 -]{1,6}$/), fc.integer({ min: 0, max: 5 }), (position, text, length) => {
        const line = tagged('000300', '    MOVE WS-AMOUNT TO WS-TOTAL');
        const inserted = type([line], insert(0, position, text)).lines[0];
        expect(inserted.slice(72)).toBe('CUSTRPT ');
        expect(inserted.slice(0, 72).replace(/ /g, '')).toBe((line.slice(0, position) + text + line.slice(position, 72)).replace(/ /g, ''));
        const deleted = type([line], remove(0, position, position + length)).lines[0];
        expect(deleted.slice(72)).toBe('CUSTRPT ');
        expect(deleted.length).toBe(80);
      }),
      { numRuns: 300 },
    );
  });
});

describe('toggle comment', () => {
  it('writes and clears * in column 7 in fixed format, leaving blank lines alone', () => {
    const lines = [program[2], '', program[3]];
    const on = applyLineEdits(lines, toggleComment(documentOf(lines), 0, 2)!);
    expect(on.map((line) => line[6] ?? '')).toEqual(['*', '', '*']);
    expect(on[0].slice(72)).toBe('CUSTRPT ');
    const off = applyLineEdits(on, toggleComment(documentOf(on), 0, 2)!);
    expect(off).toEqual(lines);
  });

  it('comments a short line and an 80-column line without moving anything', () => {
    const lines = ['000100', 'X'.repeat(80)];
    const on = applyLineEdits(lines, toggleComment(documentOf(lines), 0, 1)!);
    expect(on).toEqual(['000100*', `${'X'.repeat(6)}*${'X'.repeat(73)}`]);
  });

  it('leaves free format to the editor', () => {
    expect(toggleComment(documentOf(['MOVE A TO B.'], 'free'), 0, 0)).toBeUndefined();
  });
});
