/**
 * Fixed-format typing: what the editor must do after an edit so that a
 * fixed-format line keeps its columns, as ISPF and IBM Z Open Editor do.
 *
 * - Enter in columns 8-72 splits the code only: the first line keeps its
 *   identification area (columns 73-80) at column 73, the new line gets a
 *   sequence area like the file's (a number between its neighbours' or
 *   blank), the indicator of a comment when it splits a comment, and the
 *   indentation of the indentation rules; the cursor goes to its code.
 * - A paste of several lines keeps the identification area on the first line
 *   and drops the copy of it from the last.
 * - Typing or deleting within columns 8-72 of a line with an identification
 *   area takes blanks from, or gives blanks to, the run just before column 73,
 *   so the tag stays at column 73 while the line has room; when it has none,
 *   nothing is lost and the result says so.
 * - Toggle comment writes `*` in column 7, or clears it.
 *
 * Pure functions over lines of text: no editor, no LSP. Edits never delete a
 * non-blank character, and never move text across column 73 except where the
 * user's own typing pushed it there (reported in `message`).
 */
import { fixedColumns, type SourceFormat } from './sourceFormat';

export interface LinePosition {
  line: number;
  character: number;
}

/** A replacement of characters `start`..`end` of one line. */
export interface LineEdit {
  line: number;
  start: number;
  end: number;
  text: string;
}

/** Read access to the document after the edit; lines carry no end-of-line characters. */
export interface TypingDocument {
  lineCount: number;
  line(index: number): string;
  /** Format of each line (a `>>SOURCE FORMAT` directive may switch it). */
  format(index: number): SourceFormat;
}

/** The edit the user made: its range before the edit, and the text it inserted. */
export interface UserChange {
  range: { start: LinePosition; end: LinePosition };
  text: string;
}

export interface TypingResult {
  edits: LineEdit[];
  /** Where the cursor belongs after the edits (Enter only). */
  cursor?: LinePosition;
  /** Said to the user when a line runs past column 72. */
  message?: string;
}

const { indicator: indicatorColumn, areaA, areaB, identification: codeEnd } = fixedColumns;
const indentStep = 4;
const nothing: TypingResult = { edits: [] };

/** The edits that restore the fixed-format layout after `change`; none in free format or when the layout needs nothing. */
export function layoutAfterChange(document: TypingDocument, change: UserChange): TypingResult {
  const { start, end } = change.range;
  if (start.line >= document.lineCount || document.format(start.line) !== 'fixed') return nothing;
  const newlines = change.text.split(/\r\n|\r|\n/);
  if (newlines.length > 1) {
    if (start.character < areaA || end.character > codeEnd) return nothing; // a split of whole lines, or in the tag area
    const enter = /^[ \t]*$/.test(newlines.slice(1).join('')) && newlines[0] === '';
    return enter ? afterEnter(document, change, newlines) : afterPaste(document, change, newlines);
  }
  if (start.line !== end.line) return nothing; // lines joined (a deletion across lines): the next edit or the diagnostics handle it
  return afterLineEdit(document, change);
}

/** `code` (columns 1-72 at most) padded to column 72, then `tag`; the code alone when there is no tag. */
function withTag(code: string, tag: string): string {
  if (tag.trim() === '') return code.replace(/[ ]+$/, '');
  return code.length >= codeEnd ? code + tag : code.padEnd(codeEnd, ' ') + tag;
}

function afterEnter(document: TypingDocument, change: UserChange, newlines: string[]): TypingResult {
  const first = change.range.start.line;
  const next = first + newlines.length - 1;
  if (next >= document.lineCount) return nothing;
  const before = document.line(first);
  const after = document.line(next);
  const insertedIndent = newlines[newlines.length - 1].length; // what the editor's auto-indent put on the new line
  if (before.includes('\t') || after.includes('\t')) return nothing; // columns depend on the tab width: the tab diagnostic says so
  // What Enter carried down starts at the original line's column `change.range.end.character`.
  const cut = change.range.start.character;
  const carried = after.slice(insertedIndent);
  const tagInCarried = codeEnd - change.range.end.character;
  const tag = carried.slice(tagInCarried);
  const carriedCode = carried.slice(0, tagInCarried);
  const code = carriedCode.trim();
  const leading = carriedCode.length - carriedCode.trimStart().length;

  const firstCode = before.slice(0, cut);
  const indicator = isComment(before) ? before[indicatorColumn] : ' ';
  const sequence = sequenceForNewLine(document, first, next);
  // A comment goes on as a comment, its text aligned with the text above.
  const commentText = before.slice(areaA, cut);
  const indent = indicator === ' ' ? indentationAfter(document, first, firstCode, code) : areaA + (commentText.length - commentText.trimStart().length);
  const prefix = `${sequence}${indicator}`.padEnd(indent, ' ');

  const edits: LineEdit[] = [];
  const restoredFirst = withTag(firstCode, tag);
  if (restoredFirst !== before) edits.push({ line: first, start: 0, end: before.length, text: restoredFirst });
  // The new line: the prefix up to the code (the cursor lands after it), then the carried code without its padding and tag.
  const codeStart = insertedIndent + leading;
  if (code === '') {
    edits.push({ line: next, start: 0, end: after.length, text: prefix });
  } else {
    edits.push({ line: next, start: 0, end: codeStart, text: prefix });
    const codeEndOnLine = codeStart + code.length;
    if (codeEndOnLine < after.length) edits.push({ line: next, start: codeEndOnLine, end: after.length, text: '' });
  }
  return { edits, cursor: { line: next, character: prefix.length } };
}

function afterPaste(document: TypingDocument, change: UserChange, newlines: string[]): TypingResult {
  const first = change.range.start.line;
  const last = first + newlines.length - 1;
  if (last >= document.lineCount) return nothing;
  const firstLine = document.line(first);
  const lastLine = document.line(last);
  // The rest of the original line follows the pasted text on the last line, shifted by this much.
  const shift = newlines[newlines.length - 1].length - change.range.end.character;
  const tagStart = codeEnd + shift;
  if (lastLine.length <= tagStart || tagStart < newlines[newlines.length - 1].length) return nothing;
  const tag = lastLine.slice(tagStart);
  if (tag.trim() === '') return nothing;
  const edits: LineEdit[] = [];
  const messages: string[] = [];
  const firstCode = firstLine.slice(0, Math.min(firstLine.length, codeEnd)).replace(/[ ]+$/, '');
  if (firstLine.length > codeEnd && firstLine.slice(codeEnd).trim() !== '') {
    messages.push(overflowMessage(first));
  } else {
    const restored = withTag(firstCode, tag);
    if (restored !== firstLine) edits.push({ line: first, start: 0, end: firstLine.length, text: restored });
  }
  // Drop the tag (and the blanks before it) from the last line: it stayed on the first.
  let cut = tagStart;
  while (cut > newlines[newlines.length - 1].length && lastLine[cut - 1] === ' ') cut--;
  edits.push({ line: last, start: cut, end: lastLine.length, text: '' });
  if (cut > codeEnd) messages.push(overflowMessage(last));
  return { edits, ...(messages.length > 0 ? { message: messages.join(' ') } : {}) };
}

function afterLineEdit(document: TypingDocument, change: UserChange): TypingResult {
  const { start, end } = change.range;
  const line = document.line(start.line);
  if (line.includes('\t') || start.character >= codeEnd || start.character < indicatorColumn) return nothing;
  const delta = change.text.length - (end.character - start.character);
  if (delta === 0) return nothing;
  const originalLength = line.length - delta;
  const tagStart = codeEnd + delta;
  const typedEnd = start.character + change.text.length;
  if (originalLength <= codeEnd || tagStart < typedEnd) {
    // No identification area before the edit: only say so when code now reaches past column 72.
    return line.length > codeEnd && line.slice(codeEnd).trim() !== '' && originalLength <= codeEnd ? { edits: [], message: overflowMessage(start.line) } : nothing;
  }
  const tag = line.slice(tagStart);
  if (tag.trim() === '') {
    // Only blanks past column 72: trim what the typing pushed there.
    return line.length > codeEnd && line.slice(codeEnd).trim() === '' && delta > 0 ? { edits: [{ line: start.line, start: Math.max(codeEnd, line.replace(/[ ]+$/, '').length), end: line.length, text: '' }] } : nothing;
  }
  if (delta < 0) return { edits: [{ line: start.line, start: tagStart, end: tagStart, text: ' '.repeat(-delta) }] };
  let blanks = 0;
  while (blanks < delta && tagStart - blanks - 1 >= typedEnd && line[tagStart - blanks - 1] === ' ') blanks++;
  const edits = blanks > 0 ? [{ line: start.line, start: tagStart - blanks, end: tagStart, text: '' }] : [];
  return blanks < delta ? { edits, message: overflowMessage(start.line) } : { edits };
}

function overflowMessage(line: number): string {
  return `Line ${line + 1} runs past column 72: columns 73-80 are the identification area, which the compiler ignores. Nothing was removed; continue the statement on the next line.`;
}

function isComment(line: string): boolean {
  const indicator = line[indicatorColumn];
  return indicator === '*' || indicator === '/';
}

/** A sequence area for a line inserted between `above` and the line after `inserted`: numbered like its neighbours, or blank. */
export function sequenceForNewLine(document: TypingDocument, above: number, inserted: number): string {
  const number = (index: number): number | undefined => {
    if (index < 0 || index >= document.lineCount) return undefined;
    const area = document.line(index).slice(0, indicatorColumn);
    return /^[0-9]{6}$/.test(area) ? Number(area) : undefined;
  };
  const previous = number(above);
  if (previous === undefined) return ' '.repeat(indicatorColumn);
  let following: number | undefined;
  for (let index = inserted + 1; index < Math.min(document.lineCount, inserted + 50) && following === undefined; index++) following = number(index);
  let step: number;
  if (following === undefined) {
    const earlier = number(above - 1);
    step = earlier !== undefined && previous > earlier ? previous - earlier : 100;
  } else {
    const gap = following - previous;
    if (gap < 2) return ' '.repeat(indicatorColumn); // no number fits: blank, as unnumbered lines are
    step = 10 ** Math.floor(Math.log10(gap / 2));
  }
  const value = previous + step;
  return value > 999_999 ? ' '.repeat(indicatorColumn) : String(value).padStart(indicatorColumn, '0');
}

const sentenceHeader = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\s+SECTION)?\s*\.\s*(?:\*>.*)?$/i;
const divisionOrSection = /^(?:[A-Za-z0-9-]+\s+)?(?:DIVISION|SECTION)\b.*\.\s*$|^[A-Za-z0-9-]+\s+(?:DIVISION|SECTION)(?:\s+USING\b.*)?\s*\.\s*$/i;
const blockOpener =
  /^(?:IF|ELSE|EVALUATE|WHEN|SEARCH|READ|RETURN|PERFORM\s*$|PERFORM\s+(?:UNTIL|VARYING|WITH|TEST|FOREVER)\b|PERFORM\s+\S+\s+TIMES\b|(?:NOT\s+)?(?:AT\s+END|INVALID(?:\s+KEY)?|ON\s+(?:SIZE\s+ERROR|OVERFLOW|EXCEPTION)|SIZE\s+ERROR|OVERFLOW|EXCEPTION)\b)/i;
const blockCloser = /^(?:END-[A-Z][A-Z-]*|ELSE|WHEN|NOT\s+(?:AT\s+END|INVALID|ON\s+(?:SIZE|OVERFLOW|EXCEPTION)|SIZE|OVERFLOW|EXCEPTION))\b/i;

/**
 * The zero-based column where the new line's code starts, from the line above
 * (`firstCode`, cut at the cursor) and the code carried down:
 * - after a DIVISION or SECTION header: Area A (level 01s and paragraph names go there);
 * - after any other header or entry in Area A (a paragraph name, a level 01): Area B;
 * - after a block opener (IF, ELSE, PERFORM UNTIL...) without a period: one step deeper;
 * - after a sentence ending with a period in the PROCEDURE DIVISION: Area B;
 * - otherwise the indentation of the line above; END-IF, ELSE, WHEN carried down go one step back.
 */
export function indentationAfter(document: TypingDocument, above: number, firstCode: string, carriedCode: string): number {
  let reference = firstCode;
  for (let index = above; codeOf(reference) === undefined && index > 0 && above - index < 200; ) reference = document.line(--index);
  const code = codeOf(reference);
  if (code === undefined) return areaB;
  const column = code.column;
  const text = code.text;
  let indent: number;
  if (divisionOrSection.test(text)) indent = areaA;
  else if (column < areaB) indent = areaB;
  else if (blockOpener.test(text) && !/\.\s*(?:\*>.*)?$/.test(text) && !/\bEND-(?:IF|EVALUATE|SEARCH|READ|RETURN|PERFORM)\b/i.test(text)) indent = column + indentStep;
  else if (/\.\s*(?:\*>.*)?$/.test(text) && !sentenceHeader.test(text) && inProcedureDivision(document, above)) indent = areaB;
  else indent = column;
  if (blockCloser.test(carriedCode)) indent = Math.max(areaB, indent - indentStep);
  return Math.min(indent, codeEnd - 1);
}

/** Columns 8-72 of a code line: the text and where it starts; undefined for blank and comment lines. */
function codeOf(line: string): { column: number; text: string } | undefined {
  if (line.length <= areaA || isComment(line)) return undefined;
  const area = line.slice(areaA, codeEnd);
  const text = area.trim();
  if (text === '' || text.startsWith('*>')) return undefined;
  return { column: areaA + (area.length - area.trimStart().length), text };
}

function inProcedureDivision(document: TypingDocument, from: number): boolean {
  for (let index = from; index >= 0; index--) {
    const code = codeOf(document.line(index));
    if (!code) continue;
    const division = /^(IDENTIFICATION|ID|ENVIRONMENT|DATA|PROCEDURE)\s+DIVISION\b/i.exec(code.text);
    if (division) return division[1].toUpperCase() === 'PROCEDURE';
  }
  return false;
}

/**
 * Toggle line comment over lines `first`..`last`: in fixed format `*` in
 * column 7 (or a blank there when every non-blank line is already a comment);
 * undefined when a line is in free format, where the editor's own `*>`
 * comment applies.
 */
export function toggleComment(document: TypingDocument, first: number, last: number): LineEdit[] | undefined {
  const lines: number[] = [];
  for (let index = first; index <= Math.min(last, document.lineCount - 1); index++) {
    if (document.format(index) !== 'fixed') return undefined;
    if (document.line(index).trim() !== '') lines.push(index);
  }
  if (lines.length === 0) return [];
  const uncomment = lines.every((index) => isComment(document.line(index)));
  return lines.map((index) => {
    const text = document.line(index);
    if (text.length <= indicatorColumn) return { line: index, start: 0, end: text.length, text: `${text.padEnd(indicatorColumn, ' ')}*` };
    return { line: index, start: indicatorColumn, end: indicatorColumn + 1, text: uncomment ? ' ' : '*' };
  });
}

/** `text` with `edits` applied (edits on distinct, non-overlapping ranges), for tests and callers without an editor. */
export function applyLineEdits(lines: readonly string[], edits: readonly LineEdit[]): string[] {
  const result = [...lines];
  const sorted = [...edits].sort((a, b) => a.line - b.line || b.start - a.start);
  for (const edit of sorted) {
    const text = result[edit.line];
    result[edit.line] = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  return result;
}
