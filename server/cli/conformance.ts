/**
 * The conformance summary: on the programs GnuCOBOL accepts, every error we
 * report is a false error (cobc compiled it), so the share of those programs
 * with zero errors from us is how far a shop can trust our red squiggles on
 * its code. `cobol-assist check --summary` and `npm run bench:conformance`
 * print it; the front-end benchmark records it.
 */
import type { FileDiagnostic } from './frontEnd';

export type CobcVerdict = 'default' | 'ibm' | 'rejected' | 'unavailable';

export interface ConformanceEntry {
  file: string;
  lines: number;
  /** Whether cobc -fsyntax-only accepts the program: as it is, only with -std=ibm, not at all, or cobc is missing. */
  cobc: CobcVerdict;
  /** Our errors (severity error) in the program and its copybooks. */
  errors: FileDiagnostic[];
}

export interface WorstFile {
  file: string;
  errors: number;
  /** Error codes with their counts, most frequent first. */
  codes: Record<string, number>;
  /** The first error, as `line:col message [code]`, to see the class at a glance. */
  first: string;
}

export interface ConformanceSummary {
  programs: number;
  lines: number;
  /** Programs cobc accepts (either dialect); null when cobc could not be run. */
  cobcAccepted: number | null;
  cobcAcceptedOnlyWithIbm: number | null;
  /** Of the cobc-accepted programs, those with zero errors from us. */
  zeroErrorPrograms: number | null;
  /** zeroErrorPrograms ÷ cobcAccepted (1 when cobc accepts none); null without cobc. */
  zeroErrorShare: number | null;
  /** Errors on cobc-accepted programs (false errors), by code. */
  errorsByCode: Record<string, number>;
  /** The cobc-accepted programs with most errors from us. */
  worstFiles: WorstFile[];
  /** For reference: programs cobc rejects (missing precompiler, dialect), with and without errors from us. */
  rejectedByCobc: { programs: number; withErrors: number } | null;
}

export function summariseConformance(entries: readonly ConformanceEntry[], worstCount = 10): ConformanceSummary {
  const cobcRan = entries.length === 0 || entries.some((entry) => entry.cobc !== 'unavailable');
  const accepted = entries.filter((entry) => entry.cobc === 'default' || entry.cobc === 'ibm');
  const rejected = entries.filter((entry) => entry.cobc === 'rejected');
  const errorsByCode: Record<string, number> = {};
  for (const entry of accepted) for (const error of entry.errors) errorsByCode[error.code] = (errorsByCode[error.code] ?? 0) + 1;
  const zero = accepted.filter((entry) => entry.errors.length === 0).length;
  const worstFiles = accepted
    .filter((entry) => entry.errors.length > 0)
    .sort((a, b) => b.errors.length - a.errors.length || (a.file < b.file ? -1 : 1))
    .slice(0, worstCount)
    .map((entry) => worstFile(entry));
  return {
    programs: entries.length,
    lines: entries.reduce((sum, entry) => sum + entry.lines, 0),
    cobcAccepted: cobcRan ? accepted.length : null,
    cobcAcceptedOnlyWithIbm: cobcRan ? accepted.filter((entry) => entry.cobc === 'ibm').length : null,
    zeroErrorPrograms: cobcRan ? zero : null,
    zeroErrorShare: cobcRan ? (accepted.length === 0 ? 1 : zero / accepted.length) : null,
    errorsByCode: sortedCounts(errorsByCode),
    worstFiles,
    rejectedByCobc: cobcRan ? { programs: rejected.length, withErrors: rejected.filter((entry) => entry.errors.length > 0).length } : null,
  };
}

function worstFile(entry: ConformanceEntry): WorstFile {
  const codes: Record<string, number> = {};
  for (const error of entry.errors) codes[error.code] = (codes[error.code] ?? 0) + 1;
  const firstError = entry.errors[0];
  const where = firstError.file === entry.file ? '' : `${firstError.file}:`;
  return {
    file: entry.file,
    errors: entry.errors.length,
    codes: sortedCounts(codes),
    first: `${where}${firstError.range.start.line + 1}:${firstError.range.start.character + 1} ${firstError.message} [${firstError.code}]`,
  };
}

function sortedCounts(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/** The summary as a few readable lines (the CLI prints them on stderr after the diagnostics). */
export function formatConformance(summary: ConformanceSummary): string {
  const lines: string[] = [];
  const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
  lines.push(`conformance: ${summary.programs} programs, ${summary.lines.toLocaleString('en-US')} lines`);
  if (summary.cobcAccepted === null) {
    lines.push('  cobc (GnuCOBOL) could not be run: without it the programs that compile are unknown, so no share is given.');
  } else {
    lines.push(`  cobc -fsyntax-only accepts ${summary.cobcAccepted} (${summary.cobcAcceptedOnlyWithIbm} only with -std=ibm)`);
    lines.push(`  zero errors from cobol-assist on ${summary.zeroErrorPrograms} of them: ${percent(summary.zeroErrorShare ?? 1)}`);
    const codes = Object.entries(summary.errorsByCode);
    if (codes.length > 0) lines.push(`  errors on programs cobc accepts, by code: ${codes.map(([code, n]) => `${code} ${n}`).join(', ')}`);
    if (summary.worstFiles.length > 0) {
      lines.push('  worst files:');
      for (const worst of summary.worstFiles) lines.push(`    ${worst.file}: ${worst.errors} error${worst.errors === 1 ? '' : 's'}, first ${worst.first}`);
    }
    if (summary.rejectedByCobc) {
      lines.push(`  cobc rejects ${summary.rejectedByCobc.programs} (EXEC SQL/CICS/DLI without a precompiler, dialect extensions); we report errors in ${summary.rejectedByCobc.withErrors} of those`);
    }
  }
  return lines.join('\n') + '\n';
}
