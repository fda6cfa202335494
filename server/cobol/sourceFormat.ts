/**
 * Reference-format layout: which columns are code, and the checks that the
 * layout itself allows (indicator column, tabs, sequence area).
 *
 * Fixed format: columns 1-6 sequence area, 7 indicator, 8-11 Area A,
 * 12-72 Area B, 73-80 identification area (ignored: real code fills it).
 * Free format: `>>SOURCE FORMAT FREE`, `*>` comments, no column rules.
 */
import { Diagnostic, rangeOnLine } from './diagnostic';

export type SourceFormat = 'fixed' | 'free';

/** Zero-based column indexes of the fixed-format areas. */
export const fixedColumns = {
  indicator: 6,
  areaA: 7,
  areaB: 11,
  /** First column past Area B (column 73, one-based). */
  identification: 72,
} as const;

/** Characters allowed in the indicator column (7). */
const validIndicators = new Set([' ', '*', '/', '-', 'D', 'd', '$']);

const directivePattern = /^\s*>>\s*SOURCE(?:\s+FORMAT)?(?:\s+IS)?\s+(FREE|FIXED)\b/i;

/** Splits text into lines, accepting LF, CRLF and lone CR. */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Decides the format of a source: an explicit `>>SOURCE FORMAT` directive in
 * the first lines wins. Otherwise lines vote: code or `*>` starting in
 * columns 1-6 with no valid indicator in column 7 is free-format evidence;
 * a six-digit sequence number, or a blank sequence area with a comment or
 * continuation indicator, is fixed-format evidence; indented code (blank
 * columns 1-7) fits both and does not vote. Ties read as fixed.
 */
export function detectSourceFormat(lines: readonly string[]): SourceFormat {
  const probe = Math.min(lines.length, 300);
  let fixedLike = 0;
  let freeLike = 0;
  for (let i = 0; i < probe; i++) {
    const line = lines[i];
    const directive = directiveAt(line, 0) ?? directiveAt(line, fixedColumns.areaA);
    if (directive) return directive;
    let first = 0;
    while (first < line.length && (line[first] === ' ' || line[first] === '\t')) first++;
    if (first >= line.length) continue;
    const indicator = line.length > fixedColumns.indicator ? line[fixedColumns.indicator] : ' ';
    if (first < fixedColumns.indicator) {
      if (line.startsWith('*>', first) || !validIndicators.has(indicator)) freeLike++;
      else if (/^[0-9]{6}$/.test(line.slice(0, fixedColumns.indicator))) fixedLike++;
    } else if (first === fixedColumns.indicator && (indicator === '*' || indicator === '/' || indicator === '-')) {
      if (!line.startsWith('*>', first)) fixedLike++;
    }
  }
  return freeLike > fixedLike ? 'free' : 'fixed';
}

function directiveAt(line: string, column: number): SourceFormat | undefined {
  if (line.indexOf('>>', column) < 0) return undefined; // the common case, without slicing the line
  const match = directivePattern.exec(line.slice(column));
  if (!match) return undefined;
  return match[1].toUpperCase() === 'FREE' ? 'free' : 'fixed';
}

export interface LayoutCheckOptions {
  format: SourceFormat;
  checkSequenceArea: boolean;
}

/**
 * Checks the reference-format layout line by line. Linear in the text's size
 * and allocation-light, since it runs on every edit of files of any size.
 */
export function checkLayout(lines: readonly string[], options: LayoutCheckOptions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  let format = options.format;
  for (let lineNumber = 0; lineNumber < lines.length; lineNumber++) {
    const line = lines[lineNumber];
    const directive = directiveAt(line, 0) ?? directiveAt(line, fixedColumns.areaA);
    if (directive) {
      format = directive;
      continue;
    }
    if (format === 'free') continue;

    const tab = line.indexOf('\t');
    if (tab >= 0 && tab < fixedColumns.identification) {
      diagnostics.push({
        range: rangeOnLine(lineNumber, tab, tab + 1),
        severity: 'warning',
        code: 'fixed-format/tab',
        message: 'Tab character in fixed-format source: its column depends on the tab width. Use spaces.',
      });
    }
    if (line.length <= fixedColumns.indicator) continue;

    const indicator = line[fixedColumns.indicator];
    const misplaced = codeBeforeAreaA(line);
    if (misplaced !== undefined) {
      diagnostics.push({
        range: rangeOnLine(lineNumber, misplaced, Math.min(line.length, fixedColumns.identification)),
        severity: 'error',
        code: codeInSequenceArea,
        message: `Code in the sequence area: this statement starts in column ${misplaced + 1}, but in fixed format columns 1-6 (sequence) and 7 (indicator) are not code. Start it in column 8 (Area A) or 12 (Area B), or set cobolAssist.sourceFormat to free if the file is free format.`,
      });
    } else if (!validIndicators.has(indicator) && indicator !== '\t') {
      diagnostics.push({
        range: rangeOnLine(lineNumber, fixedColumns.indicator, fixedColumns.indicator + 1),
        severity: 'error',
        code: 'fixed-format/indicator',
        message: `'${indicator}' is not a valid indicator in column 7: use a space, '*' or '/' (comment), '-' (continuation) or 'D' (debugging line).`,
      });
    }
    if (options.checkSequenceArea) {
      const sequence = line.slice(0, fixedColumns.indicator);
      if (!/^(?:[0-9]{6}| {6})$/.test(sequence)) {
        diagnostics.push({
          range: rangeOnLine(lineNumber, 0, fixedColumns.indicator),
          severity: 'warning',
          code: 'fixed-format/sequence',
          message: `Sequence area (columns 1-6) is '${sequence}', not a six-digit sequence number.`,
        });
      }
    }
  }
  return diagnostics;
}

/** The diagnostic code of a fixed-format line whose code starts in columns 1-7; other diagnostics on that line are noise it replaces. */
export const codeInSequenceArea = 'fixed-format/code-in-sequence-area';

/**
 * Where code typed too far left starts (zero-based), or undefined: letters in
 * the sequence area running into an invalid indicator ("    MOVE", "MOVE X"),
 * a word split across columns 6 and 7 by a `-` that reads as a continuation
 * ("MOVE A-B"), or a word starting in the indicator column. Letters in
 * columns 1-6 before a valid indicator are change tags, which real code has.
 */
function codeBeforeAreaA(line: string): number | undefined {
  const sequence = line.slice(0, fixedColumns.indicator);
  const indicator = line[fixedColumns.indicator];
  const next = line[fixedColumns.areaA] ?? ' ';
  const word = /[A-Za-z0-9]/;
  const first = line.search(/\S/);
  if (first < 0 || first > fixedColumns.indicator) return undefined;
  const letters = /[A-Za-z]/.test(sequence);
  if (letters && (!validIndicators.has(indicator) || (indicator === '-' && /[A-Za-z]/.test(sequence[5]) && word.test(next)))) return first;
  if (sequence.trim() === '' && /[A-Za-z]/.test(indicator) && !validIndicators.has(indicator) && word.test(next)) return first;
  return undefined;
}

/**
 * The format each line is read in, starting from `initial` (already
 * detected): a `>>SOURCE FORMAT` directive switches it from the next line on,
 * as the lexer and `checkLayout` do.
 */
export function formatsByLine(lines: readonly string[], initial: SourceFormat): SourceFormat[] {
  const formats: SourceFormat[] = new Array(lines.length);
  let format = initial;
  for (let i = 0; i < lines.length; i++) {
    formats[i] = format;
    format = directiveAt(lines[i], 0) ?? directiveAt(lines[i], fixedColumns.areaA) ?? format;
  }
  return formats;
}
