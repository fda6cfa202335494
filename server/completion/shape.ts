/**
 * How much to suggest. Single line mid-statement (stop at the line break);
 * several lines where COBOL invites a block: a blank line of the PROCEDURE
 * DIVISION right after a paragraph header, after `IF condition` or
 * `EVALUATE subject` with no body yet, or after `ELSE` / `WHEN`.
 */

export interface SuggestionShape {
  multiline: boolean;
  maxTokens: number;
  /** Generation stops at these (cut before them). */
  stop: string[];
  /** Most lines a multi-line suggestion keeps. */
  maxLines: number;
}

export const singleLine: SuggestionShape = { multiline: false, maxTokens: 40, stop: ['\n'], maxLines: 1 };
export const blockShape: SuggestionShape = { multiline: true, maxTokens: 96, stop: ['\n\n'], maxLines: 5 };

/**
 * @param lineBefore the cursor's line up to the cursor
 * @param previousLines code areas of the lines above, nearest last (a few suffice)
 */
export function shapeFor(lineBefore: string, previousLines: readonly string[], fixed: boolean, inProcedure: boolean): SuggestionShape {
  const code = fixed ? lineBefore.slice(7) : lineBefore;
  if (!inProcedure || code.trim() !== '') return singleLine;
  const previous = [...previousLines].reverse().find((line) => line.trim() !== '' && !isComment(line, fixed));
  if (previous === undefined) return singleLine;
  const area = (fixed ? previous.slice(7, 72) : previous).trimEnd();
  const upper = area.toUpperCase();
  const paragraphHeader = (fixed ? /^\s{0,3}[A-Z0-9][A-Z0-9-]*(\s+SECTION)?\s*\.$/ : /^\s*[A-Z0-9][A-Z0-9-]*(\s+SECTION)?\s*\.$/).test(upper)
    && !/^\s*(EXIT|GOBACK|CONTINUE)\s*\.$/.test(upper);
  const openBlock = /^\s*(IF|EVALUATE)\b(?!.*\.\s*$)/.test(upper) && !/\b(END-IF|END-EVALUATE)\b/.test(upper)
    || /^\s*(ELSE|WHEN\b.*)$/.test(upper) && !upper.endsWith('.');
  const procedureHeader = /PROCEDURE\s+DIVISION\b.*\.$/.test(upper);
  return paragraphHeader || openBlock || procedureHeader ? blockShape : singleLine;
}

function isComment(line: string, fixed: boolean): boolean {
  return fixed ? line[6] === '*' || line[6] === '/' : line.trimStart().startsWith('*>');
}
