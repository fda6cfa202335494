/**
 * Turns the model's raw text into what the editor shows, or nothing:
 * - cut to the shape (one line, or at most `maxLines` lines ending before a
 *   blank line or a repeated line);
 * - fixed format: nothing written past column 72; a following line keeps
 *   columns 1-7 blank (or the file's sequence digits) with code from column 8,
 *   a statement verb written in Area A is moved to Area B, a paragraph name
 *   stays in Area A;
 * - on a blank line, the code starts at the cursor (the user's indentation;
 *   in fixed format when the cursor is in Area B);
 * - the file's case: an upper-case suggestion in a lower-case file is
 *   lowered outside literals;
 * - dropped when empty, whitespace only, or a repeat of the text after the
 *   cursor or of the next lines; an end that repeats the rest of the line
 *   is trimmed (the model closed what the suffix already closes).
 */
import { statementVerbs } from '../cobol/reservedWords';
import type { SuggestionShape } from './shape';

export interface PostProcessInput {
  raw: string;
  /** The cursor's line before / after the cursor. */
  lineBefore: string;
  lineAfter: string;
  /** The lines after the cursor's line (a few). */
  nextLines: readonly string[];
  fixed: boolean;
  lowerCase: boolean;
  shape: SuggestionShape;
}

export type PostProcessResult = { text: string } | { text: ''; reason: string };

export function postProcess(input: PostProcessInput): PostProcessResult {
  const { fixed, shape, lineBefore } = input;
  let lines = input.raw.replace(/\r/g, '').split('\n');
  if (!shape.multiline) lines = lines.slice(0, 1);
  // The first line continues the cursor's line.
  if (fixed) {
    if (lineBefore.length >= 72) return { text: '', reason: 'no room before column 73' };
    lines[0] = codeAreaOf(lineBefore + lines[0]!).slice(lineBefore.length);
  }
  lines[0] = lines[0]!.trimEnd();
  // On a blank line the cursor sits at the indentation the user chose (in Area B when fixed): the code starts there.
  const blankBefore = (fixed ? lineBefore.slice(7) : lineBefore).trim() === '';
  if (blankBefore && (!fixed || lineBefore.length >= 11)) lines[0] = lines[0]!.trimStart();
  const kept: string[] = [lines[0]!];
  const sequenceDigits = fixed && /^\d{6}/.test(lineBefore) ? lineBefore.slice(0, 6) : undefined;
  for (let i = 1; i < lines.length && kept.length < shape.maxLines; i++) {
    let line = lines[i]!.trimEnd();
    if (line.trim() === '') break;
    if (line === kept[kept.length - 1]) break; // a repeated line: the model is looping
    if (fixed) {
      const fitted = fitFixedLine(line, sequenceDigits);
      if (fitted === undefined) break;
      line = fitted;
    }
    kept.push(line);
  }
  let text = kept.join('\n');
  if (input.lowerCase) text = lowerOutsideLiterals(text);
  // The model often closes what the rest of the line already closes: "X)." before ")." — keep one.
  const after = input.lineAfter.trim();
  if (!shape.multiline && after !== '' && text.trimEnd().endsWith(after) && text.trim() !== after) {
    text = text.trimEnd().slice(0, text.trimEnd().length - after.length);
  }
  if (text.trim() === '') return { text: '', reason: 'empty suggestion' };
  if (after !== '' && after.startsWith(text.trim())) return { text: '', reason: 'repeats the text after the cursor' };
  if (shape.multiline && kept.length > 1) {
    const next = input.nextLines.filter((line) => line.trim() !== '').slice(0, kept.length - 1).map((line) => codeOf(line, fixed));
    const proposed = kept.slice(1).map((line) => codeOf(line, fixed));
    if (next.length > 0 && proposed.slice(0, next.length).every((line, i) => line === next[i])) return { text: '', reason: 'repeats the next lines' };
  }
  return { text };
}

/** A following line in fixed format: columns 1-7, Area A / B, nothing past 72; undefined to stop before it. */
function fitFixedLine(line: string, sequenceDigits: string | undefined): string | undefined {
  const sequence = line.slice(0, 6);
  const indicator = line[6] ?? ' ';
  if (!/^[ 0-9]{0,6}$/.test(sequence) || (indicator !== ' ' && indicator !== '-')) return undefined;
  let code = codeAreaOf(line).slice(7).trimEnd();
  if (code === '') return undefined;
  const firstWord = code.trimStart().split(/[\s.]/)[0]!.toUpperCase();
  const inAreaA = /^\s{0,3}\S/.test(code);
  if (inAreaA && statementVerbs.has(firstWord)) code = '    ' + code.trimStart(); // a statement belongs in Area B
  const area = sequenceDigits !== undefined && /^\d{6}$/.test(sequence) ? sequence : '      ';
  return (area + indicator + code).slice(0, 72);
}

/**
 * A fixed-format line up to column 72. A word that runs across column 72
 * is the model writing the identification area (columns 73-80) one column
 * early: it goes too.
 */
export function codeAreaOf(line: string): string {
  if (line.length <= 72) return line;
  let code = line.slice(0, 72);
  if (code[71] !== ' ' && line[72] !== ' ') code = code.replace(/\S+$/, '');
  return code.trimEnd();
}

function codeOf(line: string, fixed: boolean): string {
  return (fixed ? line.slice(7, 72) : line).trim().toUpperCase();
}

export function lowerOutsideLiterals(text: string): string {
  let out = '';
  let quote = '';
  for (const c of text) {
    if (quote) {
      out += c;
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
      out += c;
    } else {
      out += c.toLowerCase();
    }
  }
  return out;
}

/** Whether the code near the cursor is written in lower case (letters outside literals). */
export function writtenInLowerCase(recentCode: string): boolean {
  let lower = 0;
  let upper = 0;
  let quote = '';
  for (const c of recentCode) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c >= 'a' && c <= 'z') lower++;
    else if (c >= 'A' && c <= 'Z') upper++;
  }
  return lower > 3 * upper && lower > 8;
}
