/**
 * `analyseProgram`: one COBOL source (a program or a copybook) through every
 * stage — reader, preprocessor, parser, semantic model — into an `Analysis`.
 * Never throws: an internal failure becomes a diagnostic on the first line.
 */
import type { CopybookResolver } from './copybookResolver';
import type { Diagnostic } from './diagnostic';
import { LexCache } from './lineCache';
import { parse } from './parser';
import { type CopyStatement, type FileDiagnostic, preprocess, type SourceFile } from './preprocessor';
import { buildSemanticModel, type SemanticModel } from './semanticModel';
import { checkLayout } from './sourceFormat';
import type { ProgramNode } from './syntaxTree';
import type { Token } from './token';

export interface FrontEndSettings {
  /** `auto` detects fixed or free format per file. */
  sourceFormat: 'auto' | 'fixed' | 'free';
  /** Report sequence areas (columns 1-6) that are neither blank nor digits. */
  checkSequenceArea: boolean;
}

export const defaultFrontEndSettings: FrontEndSettings = { sourceFormat: 'auto', checkSequenceArea: false };

export interface AnalyseOptions {
  /** Identifies the source: a file path (copybooks are then also searched next to it) or any URI. */
  id: string;
  text: string;
  settings?: Partial<FrontEndSettings>;
  /** Finds copybooks; without one every COPY is reported missing. */
  resolver?: CopybookResolver;
  /**
   * Pass the same cache (from `createAnalysisCache`) to successive analyses
   * of one document: unchanged lines are then not read again.
   */
  cache?: AnalysisCache;
}

/** Opaque state kept between analyses of one document. */
export type AnalysisCache = LexCache;

export function createAnalysisCache(): AnalysisCache {
  return new LexCache();
}

/** A diagnostic in one of the analysed files. */
export interface AnalysisDiagnostic extends Diagnostic {
  /** Id of the file it is in: the program's id or a copybook's path. */
  file: string;
}

export interface Analysis {
  id: string;
  /** Source files: [0] is the analysed text, then each copybook inclusion (a copybook copied twice appears twice). */
  files: SourceFile[];
  /** The preprocessed token stream the tree's token indexes point into. */
  tokens: Token[];
  /** Top-level programs; nested programs hang below. */
  programs: ProgramNode[];
  copies: CopyStatement[];
  model: SemanticModel;
  diagnostics: AnalysisDiagnostic[];
  /** The text has no IDENTIFICATION DIVISION: a copybook analysed on its own. */
  fragment: boolean;
  lineCount: number;
}

export function analyseProgram(options: AnalyseOptions): Analysis {
  const settings = { ...defaultFrontEndSettings, ...options.settings };
  try {
    const pre = preprocess({ id: options.id, text: options.text, format: settings.sourceFormat, resolver: options.resolver, cache: options.cache });
    const parsed = parse(pre.tokens);
    const model = buildSemanticModel(parsed.programs, pre.tokens);
    const layout = checkLayout(pre.lines, { format: pre.files[0].format, checkSequenceArea: settings.checkSequenceArea });
    const all: FileDiagnostic[] = [...layout.map((d) => ({ ...d, file: 0 })), ...pre.diagnostics, ...parsed.diagnostics, ...model.diagnostics];
    all.push(...copybookSummaries(all, pre.files));
    return {
      id: options.id,
      files: pre.files,
      tokens: pre.tokens,
      programs: parsed.programs,
      copies: pre.copies,
      model,
      diagnostics: locate(all, pre.files),
      fragment: parsed.programs.every((program) => !program.hasIdentification),
      lineCount: pre.lines.length,
    };
  } catch (error) {
    // A bug must cost one diagnostic, not the editor's whole language support.
    const message = error instanceof Error ? error.message : String(error);
    return {
      id: options.id, files: [], tokens: [], programs: [], copies: [], model: { programs: [], occurrences: [], diagnostics: [] },
      diagnostics: [{ file: options.id, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, severity: 'error', code: 'internal', message: `Internal error in the COBOL front end: ${message}` }],
      fragment: false, lineCount: 0,
    };
  }
}

/**
 * One error on each top-level COPY statement whose copybooks hold errors, so
 * a program shows that something is wrong inside what it copies.
 */
function copybookSummaries(diagnostics: readonly FileDiagnostic[], files: readonly SourceFile[]): FileDiagnostic[] {
  const byCopy = new Map<number, FileDiagnostic[]>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.file === 0 || diagnostic.severity !== 'error') continue;
    let top = diagnostic.file;
    while (files[top] && files[top].parent > 0) top = files[top].parent;
    if (!files[top]?.copyRange) continue;
    const list = byCopy.get(top);
    if (list) list.push(diagnostic);
    else byCopy.set(top, [diagnostic]);
  }
  return [...byCopy].map(([top, errors]) => {
    const first = errors[0];
    const where = `${baseName(files[first.file].id)} line ${first.range.start.line + 1}`;
    const count = errors.length === 1 ? 'an error' : `${errors.length} errors`;
    return {
      file: 0,
      range: files[top].copyRange!,
      severity: 'error' as const,
      code: 'copybook/errors',
      message: `The copied text has ${count}; first, at ${where}: ${first.message}`,
    };
  });
}

function baseName(id: string): string {
  return id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf('\\')) + 1);
}

/** Names each diagnostic's file and drops duplicates (a copybook included twice reports once). */
function locate(diagnostics: readonly FileDiagnostic[], files: readonly SourceFile[]): AnalysisDiagnostic[] {
  const seen = new Set<string>();
  const result: AnalysisDiagnostic[] = [];
  for (const { file, ...diagnostic } of diagnostics) {
    const id = files[file]?.id ?? files[0]?.id ?? '';
    const { start, end } = diagnostic.range;
    const key = `${id}\u0000${start.line}:${start.character}-${end.line}:${end.character}\u0000${diagnostic.code}\u0000${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ ...diagnostic, file: id });
  }
  return result;
}
