/**
 * How check results are printed: compiler-style text lines that editors and
 * CI problem matchers understand (`file:line:col: severity: message [code]`,
 * one-based positions), or one JSON object per file and line for tools
 * (zero-based LSP-style ranges).
 */
import type { CheckedFile, FileDiagnostic } from './frontEnd';

const severityWords: Record<FileDiagnostic['severity'], string> = {
  error: 'error',
  warning: 'warning',
  information: 'info',
  hint: 'note',
};

export function formatText(checked: CheckedFile): string {
  return checked.diagnostics
    .map((d) => {
      const { line, character } = d.range.start;
      return `${d.file}:${line + 1}:${character + 1}: ${severityWords[d.severity]}: ${d.message} [${d.code}]\n`;
    })
    .join('');
}

export function formatJson(checked: CheckedFile): string {
  return JSON.stringify({
    file: checked.file,
    lines: checked.lines,
    diagnostics: checked.diagnostics.map((d) => ({
      file: d.file,
      range: d.range,
      severity: d.severity,
      code: d.code,
      message: d.message,
    })),
  }) + '\n';
}

/** A file that could not be checked, in the same JSON-lines stream, so tools see every input. */
export function formatJsonProblem(file: string, message: string): string {
  return JSON.stringify({ file, error: message }) + '\n';
}

export function formatSummary(files: number, errors: number, warnings: number, problems: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [`${plural(files, 'file')} checked`, plural(errors, 'error'), plural(warnings, 'warning')];
  if (problems > 0) parts.push(`${plural(problems, 'input')} not checked`);
  return parts.join(', ') + '\n';
}
