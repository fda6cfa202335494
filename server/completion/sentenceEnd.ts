/**
 * Whether the line being completed ends with a period, from the lines around
 * it rather than the model's guess (the last tokens, which the model is least
 * sure of, and document candidates copied from lines that ended otherwise):
 * - DATA DIVISION: an entry ends with a period when the next code line starts
 *   another entry (a level number), a section or division, or a COPY; a line
 *   that goes on with a clause (VALUE, OCCURS…) has none.
 * - PROCEDURE DIVISION: a period is due before a paragraph or section header
 *   and at the end; none before ELSE, WHEN, END-… and the other phrases that
 *   continue a statement; before another statement, the line above says
 *   which style the paragraph is written in.
 * Undefined where the lines do not say (a suggestion keeps its own).
 */

export interface SentenceEndInput {
  /** Code lines above the cursor's line, nearest last (comments and blanks allowed: skipped). */
  previousLines: readonly string[];
  /** Lines below the cursor's line, nearest first. */
  nextLines: readonly string[];
  fixed: boolean;
  inProcedure: boolean;
}

const continuesStatement = /^(ELSE|WHEN|END-[A-Z]+|NOT|AT|ON|INVALID|OVERFLOW|THEN|AND|OR|TO|FROM|GIVING|USING|DELIMITED|INTO|WITH|BY|VARYING|UNTIL|AFTER|BEFORE|RETURNING|TALLYING|REPLACING|ALSO|THRU|THROUGH|OTHER|UPON|COUNT|POINTER|KEY|CORR|CORRESPONDING|ROUNDED|SIZE|EXCEPTION|END-OF-PAGE|EOP|[<>=+*\/(-]|'|")/;

export function periodExpected(input: SentenceEndInput): boolean | undefined {
  const code = (line: string) => (input.fixed ? (line[6] === '*' || line[6] === '/' ? '' : line.slice(7, 72)) : line.replace(/\*>.*$/, '')).trimEnd();
  const next = input.nextLines.map(code).find((line) => line.trim() !== '');
  if (next === undefined) return undefined;
  const word = /^\s*([^\s.]+)/.exec(next.toUpperCase())?.[1] ?? '';
  const header = /\b(DIVISION|SECTION)\s*\.?\s*$/i.test(next) || /^\s*END\s+PROGRAM\b/i.test(next);
  if (!input.inProcedure) {
    if (/^\d{1,2}$/.test(word) || header || word === 'COPY') return true;
    if (/^(PIC|PICTURE|VALUE|VALUES|OCCURS|USAGE|REDEFINES|COMP|COMP-\d|BINARY|PACKED-DECIMAL|INDEXED|ASCENDING|DESCENDING|DEPENDING|SIGN|JUST|JUSTIFIED|SYNC|BLANK)$/.test(word)) return false;
    return undefined;
  }
  const areaA = input.fixed ? /^ {0,3}\S/.test(next) : false;
  const paragraph = /^\s*[A-Z0-9][A-Z0-9-]*(\s+SECTION)?\s*\.\s*$/i.test(next) && !/^\s*(EXIT|GOBACK|CONTINUE|STOP\s+RUN)\s*\.?\s*$/i.test(next);
  if (header || paragraph || (areaA && /\.\s*$/.test(next) && !/\s/.test(next.trim().replace(/\s+SECTION\s*\.$/i, '')))) return true;
  if (continuesStatement.test(word)) return false;
  const previous = [...input.previousLines].reverse().map(code).find((line) => line.trim() !== '');
  if (previous === undefined) return undefined;
  return /\.\s*$/.test(previous) && !/^\s*[A-Z0-9][A-Z0-9-]*(\s+SECTION)?\s*\.\s*$/i.test(previous) ? true : /\.\s*$/.test(previous) ? undefined : false;
}
