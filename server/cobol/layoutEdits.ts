/**
 * Keeps fixed-format layout intact under word replacements (rename, agent
 * refactors): an edit that makes a line shorter or longer must not move
 * columns 73-80 (identification area) nor push code past column 72.
 *
 * Per fixed-format line, all its edits are applied together and the change in
 * length is absorbed by blanks outside literals after each replaced word:
 * - shorter: the missing width is added to the first blank run after the
 *   word, so everything after that run keeps its column (aligned PIC clauses
 *   stay aligned); with no such run it goes just before column 73 when the
 *   line has an identification area, and nowhere otherwise;
 * - longer: blank runs after the word give up their extra blanks (one blank
 *   stays between two words), nearest first, then the blanks up to column 72.
 * If that is not enough the edit is refused with the line number: a split by
 * continuation is left to the user. Free-format lines are replaced as is.
 */
import type { Range } from './diagnostic';
import { detectSourceFormat, fixedColumns, formatsByLine, type SourceFormat, splitLines } from './sourceFormat';

export interface WordEdit {
  range: Range;
  newText: string;
}

export type LayoutResult = { edits: WordEdit[] } | { error: string; line: number };

/** Rewrites `edits` of one file's `text` so that its fixed-format lines keep their columns. */
export function fitEditsToLayout(text: string, format: SourceFormat | 'auto', edits: readonly WordEdit[]): LayoutResult {
  const lines = splitLines(text);
  const formats = formatsByLine(lines, format === 'auto' ? detectSourceFormat(lines) : format);
  const result: WordEdit[] = [];
  const byLine = new Map<number, WordEdit[]>();
  for (const edit of edits) {
    const { line } = edit.range.start;
    if (formats[line] !== 'fixed') {
      result.push(edit);
      continue;
    }
    if (edit.range.end.line !== line || /[\r\n]/.test(edit.newText)) {
      return { line, error: `the word on line ${line + 1} is continued onto the next line; join the lines first` };
    }
    let list = byLine.get(line);
    if (!list) byLine.set(line, (list = []));
    list.push(edit);
  }
  for (const [line, lineEdits] of byLine) {
    const fitted = fitLine(lines[line], lineEdits.sort((a, b) => a.range.start.character - b.range.start.character));
    if (typeof fitted === 'string') return { line, error: `line ${line + 1} ${fitted}` };
    if (fitted) result.push({ range: { start: { line, character: fitted.start }, end: { line, character: fitted.end } }, newText: fitted.newText });
  }
  return { edits: result };
}

/** One replacement of `line`'s characters `start`..`end`; undefined when nothing changes; a string says why it cannot fit. */
function fitLine(line: string, edits: WordEdit[]): { start: number; end: number; newText: string } | undefined | string {
  const limit = fixedColumns.identification;
  const codeEnd = Math.min(line.length, limit);
  const hasIdentification = line.length > limit;
  for (let i = 0; i < edits.length; i++) {
    const { start, end } = edits[i].range;
    if (end.character > codeEnd || start.character < fixedColumns.areaA || (i > 0 && start.character < edits[i - 1].range.end.character)) {
      return 'has an edit outside columns 8-72';
    }
  }
  const blank = separatorBlanks(line, codeEnd);
  const first = edits[0].range.start.character;
  let out = line.slice(0, first);
  let carry = 0; // characters to add (negative) or remove (positive) to keep the line's width
  let lastNewEnd = 0;
  for (let i = 0; i < edits.length; i++) {
    const edit = edits[i];
    out += edit.newText;
    lastNewEnd = out.length;
    carry += edit.newText.length - (edit.range.end.character - edit.range.start.character);
    const segmentEnd = i + 1 < edits.length ? edits[i + 1].range.start.character : codeEnd;
    const last = i + 1 === edits.length;
    let k = edit.range.end.character;
    while (k < segmentEnd) {
      if (!blank[k]) {
        out += line[k++];
        continue;
      }
      let runEnd = k;
      while (runEnd < segmentEnd && blank[runEnd]) runEnd++;
      const trailing = last && runEnd === codeEnd;
      let width = runEnd - k;
      if (carry < 0 && !trailing) {
        width -= carry;
        carry = 0;
      } else if (carry > 0) {
        const take = Math.min(carry, trailing ? width : width - 1);
        width -= take;
        carry -= take;
      }
      out += ' '.repeat(width);
      k = runEnd;
    }
  }
  if (carry > 0 && !hasIdentification) carry = Math.max(0, carry - (limit - codeEnd)); // a short line may grow to column 72
  if (carry > 0) return `would need ${carry} more column${carry === 1 ? '' : 's'} than columns 8-72 leave (fixed format); shorten the name or split the line`;
  if (carry < 0 && hasIdentification) out += ' '.repeat(-carry);
  // Report the smallest replacement: from the first edit to the last character that differs.
  let oldEnd = codeEnd;
  let newEnd = out.length;
  const lastOldEnd = edits[edits.length - 1].range.end.character;
  while (oldEnd > lastOldEnd && newEnd > lastNewEnd && line[oldEnd - 1] === out[newEnd - 1]) {
    oldEnd--;
    newEnd--;
  }
  const newText = out.slice(first, newEnd);
  return newText === line.slice(first, oldEnd) ? undefined : { start: first, end: oldEnd, newText };
}

/**
 * Which characters of the code area are blanks that only separate words:
 * not inside an alphanumeric literal (either quote; a literal left open runs
 * to column 72, as a continued literal does) and not in columns 1-7.
 */
function separatorBlanks(line: string, codeEnd: number): boolean[] {
  const blank: boolean[] = new Array(codeEnd).fill(false);
  let quote = '';
  let comment = false;
  for (let i = fixedColumns.areaA; i < codeEnd; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (comment || c === ' ') {
      blank[i] = c === ' ';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '*' && line[i + 1] === '>') {
      comment = true; // quotes in an inline comment open no literal
    }
  }
  return blank;
}
