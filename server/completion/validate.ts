/**
 * Checks a suggestion with what the front end knows, and keeps the verdict
 * (the router reads it with the token probabilities):
 * - plausible syntax of the completed line(s): every literal closed, no
 *   more closing than opening parentheses; in the PROCEDURE DIVISION no line
 *   that reads as a data entry, nor (fixed format) a comment mark in Area B;
 * - in the PROCEDURE DIVISION, every name it writes exists in scope (data,
 *   condition, file, paragraph, section, index names, reserved words,
 *   intrinsic functions, figurative constants, SQL and CICS registers). Inside EXEC blocks names are not checked.
 */
import { intrinsicFunctionNames } from '../../grammars/reservedWords';
import { cicsRegisters, figurativeConstants, isReservedWord, sqlRegisters } from '../cobol/reservedWords';
import { readsAsDataEntry } from './declarationNames';

/** Words every program may write without declaring them. */
const builtin = new Set([...intrinsicFunctionNames, ...figurativeConstants, ...sqlRegisters, ...cicsRegisters]);

export interface Verdict {
  plausible: boolean;
  /** Names the suggestion writes that nothing declares (upper case). */
  undefinedNames: string[];
  problems: string[];
}

export interface ValidationInput {
  lineBefore: string;
  text: string;
  lineAfter: string;
  fixed: boolean;
  /** Names in scope (upper case); undefined when not checked (outside the PROCEDURE DIVISION, no analysis). */
  names: ReadonlySet<string> | undefined;
  /** The cursor is inside an EXEC … END-EXEC block. */
  inExec: boolean;
  /** The cursor is in the PROCEDURE DIVISION: a line there is no data entry and, in fixed format, no comment in Area B. */
  inProcedure?: boolean;
}

export function validateSuggestion(input: ValidationInput): Verdict {
  const problems: string[] = [];
  const lines = (input.lineBefore + input.text + (input.text.includes('\n') ? '' : input.lineAfter)).split('\n');
  for (const [index, line] of lines.entries()) {
    const code = input.fixed ? line.slice(7, 72) : line;
    const continued = input.fixed && lines[index + 1]?.[6] === '-';
    const { openQuote, depth } = scan(code);
    if (openQuote && !continued) problems.push('unterminated literal');
    if (depth < 0) problems.push('unbalanced parentheses');
    // A line the suggestion starts: the model sometimes writes the DATA DIVISION's lines or comment banners here.
    const starts = index > 0 || (input.fixed ? input.lineBefore.slice(7) : input.lineBefore).trim() === '';
    if (input.inProcedure && starts && !input.inExec) {
      const entry = /^\s*\d{1,2}\s+(\S.*)$/.exec(code);
      if (entry && /^[A-Za-z]/.test(entry[1]!) && readsAsDataEntry(entry[1]!) && /[.\s]/.test(entry[1]!)) problems.push('a data entry in the PROCEDURE DIVISION');
      if (input.fixed && /^\s*\*(?!>)/.test(code)) problems.push('a comment mark in Area B');
    }
  }
  const undefinedNames: string[] = [];
  if (input.names && !input.inExec) {
    // The word the cursor is in, completed by the suggestion, counts as one word.
    const partial = /[A-Za-z0-9-]*$/.exec(input.lineBefore)![0];
    const written = wordsOutsideLiterals(partial + input.text);
    let previous = '';
    for (const [index, word] of written.entries()) {
      const upper = word.toUpperCase();
      const last = index === written.length - 1 && /[A-Za-z0-9-]$/.test(input.text) && input.lineAfter.trim() === '';
      const afterPicture = previous === 'PIC' || previous === 'PICTURE' || previous === 'IS';
      previous = upper;
      if (/^[0-9.+-]/.test(upper) || afterPicture || isReservedWord(upper) || builtin.has(upper) || input.names.has(upper)) continue;
      // A word still being written may be the start of a name.
      if (last && [...input.names].some((name) => name.startsWith(upper))) continue;
      undefinedNames.push(upper);
    }
  }
  return { plausible: problems.length === 0, undefinedNames: [...new Set(undefinedNames)], problems: [...new Set(problems)] };
}

function scan(code: string): { openQuote: boolean; depth: number } {
  let quote = '';
  let depth = 0;
  let minDepth = 0;
  for (const c of code) {
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') minDepth = Math.min(minDepth, --depth);
  }
  return { openQuote: quote !== '', depth: minDepth };
}

function wordsOutsideLiterals(text: string): string[] {
  const words: string[] = [];
  let quote = '';
  let word = '';
  const flush = () => {
    if (word !== '') words.push(word.replace(/-+$/, ''));
    word = '';
  };
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") {
      if (/^(X|N|NX|Z|B|G|U)$/i.test(word)) word = ''; // the prefix of a hex, national or other literal
      flush();
      quote = c;
    } else if (/[A-Za-z0-9-]/.test(c)) word += c;
    else flush();
  }
  flush();
  return words.filter((w) => w !== '' && /[A-Za-z]/.test(w));
}
