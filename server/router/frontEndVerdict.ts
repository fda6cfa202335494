/**
 * The front end's verdict on a suggestion, a router feature: how many errors
 * the COBOL front end reports on the cursor's line once the suggestion is in
 * place (a name that is not declared, a broken statement, a layout fault).
 * The front end never throws and is linear in the text, so this is safe on
 * any document.
 */
import { analyseProgram, type CopybookResolver } from '../cobol';

export function frontEndErrorsOnLine(prefix: string, completion: string, suffix: string, resolver?: CopybookResolver, id = 'suggestion.cbl'): number {
  const line = countNewlines(prefix);
  const lastLine = line + countNewlines(completion);
  const analysis = analyseProgram({ id, text: prefix + completion + suffix, resolver });
  return analysis.diagnostics.filter((d) => d.file === id && d.severity === 'error' && d.range.start.line >= line && d.range.start.line <= lastLine).length;
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
