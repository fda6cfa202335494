/**
 * What the bad-input property tests drive: the front end as the server runs
 * it, given a program's text and in-memory copybooks, and the invariants
 * every result must satisfy (valid ranges inside the file they name,
 * non-empty messages and codes without control characters, known
 * severities, at most 1,000 diagnostics per file plus one note).
 *
 * The one place these tests touch the front end's API, so they follow it as
 * it grows.
 */
import { analyseProgram, type CopybookResolver, type Diagnostic } from '../../server/cobol/index';
import type { SourceFormatSetting } from '../../server/settings';

export interface AnalysisUnderTest {
  /** Every diagnostic, with the text of the file it lies in. */
  diagnostics: { fileText: string; fileId: string; diagnostic: Diagnostic }[];
}

export interface AnalyseOptions {
  format?: SourceFormatSetting;
  /** Copybooks by name (case-insensitive), served from memory. */
  copybooks?: Record<string, string>;
}

const programId = '/property/PROGRAM.cbl';

/** Serves copybooks from memory, the way a resolver over the disk would: by name, case-insensitively. */
function memoryResolver(copybooks: Record<string, string>): CopybookResolver {
  const byName = new Map(Object.entries(copybooks).map(([name, text]) => [name.toUpperCase(), { name, text }]));
  return {
    resolve(request) {
      const found = byName.get(request.name.toUpperCase());
      return found ? { file: `/property/copybooks/${found.name}.cpy`, text: found.text } : undefined;
    },
  };
}

export function analyse(text: string, options: AnalyseOptions = {}): AnalysisUnderTest {
  const copybooks = options.copybooks ?? {};
  const analysis = analyseProgram({
    id: programId,
    text,
    settings: { sourceFormat: options.format ?? 'auto' },
    resolver: memoryResolver(copybooks),
  });
  const texts = new Map<string, string>([[programId, text]]);
  for (const [name, body] of Object.entries(copybooks)) texts.set(`/property/copybooks/${name}.cpy`, body);
  return {
    diagnostics: analysis.diagnostics.map(({ file, ...diagnostic }) => ({
      fileId: file,
      // An unknown file id leaves no text: the invariant check reports it.
      fileText: texts.get(file) ?? '',
      diagnostic,
    })),
  };
}

const severities = new Set(['error', 'warning', 'information', 'hint']);

/** Line lengths of a text, split as the front end splits it (LF, CRLF, lone CR). */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

/**
 * Returns a description of the first broken invariant, or undefined when the
 * result is sound. A range may end one past the last character of its line
 * (LSP ranges are half-open) and at most at the end of the file.
 */
export function brokenInvariant(result: AnalysisUnderTest): string | undefined {
  const lengthsByFile = new Map<string, number[]>();
  const countByFile = new Map<string, number>();
  for (const { fileText, fileId, diagnostic } of result.diagnostics) {
    const count = (countByFile.get(fileId) ?? 0) + 1;
    countByFile.set(fileId, count);
    // At most 1,000 per file, plus the note that counts the rest.
    if (count > 1001) return `more than 1,001 diagnostics in ${fileId}`;
    let lengths = lengthsByFile.get(fileId);
    if (!lengths) {
      lengths = lineLengths(fileText);
      lengthsByFile.set(fileId, lengths);
    }
    const where = `${fileId} ${JSON.stringify(diagnostic)}`.slice(0, 400);
    // The front end turns its own crashes into an 'internal' diagnostic: for these tests that is a crash.
    if (diagnostic.code === 'internal') return `the front end threw: ${where}`;
    if (typeof diagnostic.message !== 'string' || diagnostic.message.trim() === '') return `empty message: ${where}`;
    // Control characters (NUL above all) break terminals, JSON consumers and the Problems panel.
    if (/[\u0000-\u001f\u007f]/.test(diagnostic.message)) return `control character in message: ${where}`;
    if (typeof diagnostic.code !== 'string' || diagnostic.code.trim() === '') return `empty code: ${where}`;
    if (!severities.has(diagnostic.severity)) return `unknown severity: ${where}`;
    const { start, end } = diagnostic.range ?? {};
    for (const position of [start, end]) {
      if (!position || !Number.isInteger(position.line) || !Number.isInteger(position.character)) return `malformed range: ${where}`;
      if (position.line < 0 || position.line >= lengths.length) return `line outside the file (${lengths.length} lines): ${where}`;
      if (position.character < 0 || position.character > lengths[position.line]) {
        return `character outside line ${position.line} (length ${lengths[position.line]}): ${where}`;
      }
    }
    if (start!.line > end!.line || (start!.line === end!.line && start!.character > end!.character)) {
      return `range ends before it starts: ${where}`;
    }
  }
  return undefined;
}
