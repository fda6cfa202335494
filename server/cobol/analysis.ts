/**
 * `analyseProgram`: one COBOL source (a program or a copybook) through every
 * stage — reader, preprocessor, parser, semantic model — into an `Analysis`.
 * Never throws: an internal failure becomes a diagnostic on the first line.
 */
import { systemCopybookVocabulary } from './suppliedNames';
import type { CopybookResolver } from './copybookResolver';
import { type Diagnostic, escapeInvisible } from './diagnostic';
import { incompletePrograms, withheldNamesNotes } from './incompletePrograms';
import { LexCache } from './lineCache';
import { parse } from './parser';
import { type CopyStatement, type FileDiagnostic, preprocess, type SourceFile } from './preprocessor';
import { buildSemanticModel, type SemanticModel } from './semanticModel';
import { checkLayout, codeInSequenceArea } from './sourceFormat';
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
    // A program missing copied text gets one note for its undefined names, not a cascade of errors.
    const incomplete = incompletePrograms(parsed.programs, pre.tokens, pre.files, pre.copies);
    const supplied = new Set(pre.copies.filter((copy) => copy.skipped === 'system').map((copy) => systemCopybookVocabulary(copy.name) ?? ''));
    const model = buildSemanticModel(parsed.programs, pre.tokens, new Set(incomplete.keys()), supplied);
    const notes = withheldNamesNotes(model.withheld, incomplete, pre.diagnostics);
    const layout = checkLayout(pre.lines, { format: pre.files[0].format, checkSequenceArea: settings.checkSequenceArea });
    // Code typed into the sequence area makes names and syntax on its line look wrong: the layout error says why, alone.
    const misplacedLines = new Set(layout.filter((d) => d.code === codeInSequenceArea).map((d) => d.range.start.line));
    const others = [...pre.diagnostics, ...notes, ...parsed.diagnostics, ...model.diagnostics].filter((d) => d.file !== 0 || !misplacedLines.has(d.range.start.line));
    const all: FileDiagnostic[] = [...layout.map((d) => ({ ...d, file: 0 })), ...others];
    all.push(...copybookSummaries(all, pre.files));
    return {
      id: options.id,
      files: pre.files,
      tokens: pre.tokens,
      programs: parsed.programs,
      copies: pre.copies,
      model,
      diagnostics: locate(all, pre.files, pre.droppedDiagnostics + model.droppedDiagnostics),
      fragment: parsed.programs.every((program) => !program.hasIdentification),
      lineCount: pre.lines.length,
    };
  } catch (error) {
    // A bug must cost one diagnostic, not the editor's whole language support.
    const message = error instanceof Error ? error.message : String(error);
    return {
      id: options.id, files: [], tokens: [], programs: [], copies: [], model: { programs: [], occurrences: [], diagnostics: [], droppedDiagnostics: 0, withheld: new Map(), undeclared: [] },
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

/** Diagnostics reported per file at most; the rest are counted in one final note. */
export const maxDiagnosticsPerFile = 1_000;
/**
 * Diagnostics reported per analysis (the program and all its copybooks) at
 * most: 990 copybooks of 1,000 errors each must not become a million
 * diagnostics per keystroke. The rest are counted in one note on the program.
 */
export const maxDiagnosticsPerAnalysis = 5_000;
const severityRank = { error: 0, warning: 1, information: 2, hint: 3 } as const;

/**
 * Names each diagnostic's file, drops duplicates (a copybook included twice
 * reports once) and keeps at most `maxDiagnosticsPerFile` per file and
 * `maxDiagnosticsPerAnalysis` in all, the most severe first (the program's
 * own before its copybooks'), so a garbage file cannot flood the editor.
 * Linear: a diagnostic past a cap costs a counter, not a copy.
 */
function locate(diagnostics: readonly FileDiagnostic[], files: readonly SourceFile[], droppedAtSource = 0): AnalysisDiagnostic[] {
  const programId = files[0]?.id ?? '';
  const idOf = (file: number) => files[file]?.id ?? programId;
  const seen = new Set<string>();
  const located = (index: number): AnalysisDiagnostic | undefined => {
    const { file, ...diagnostic } = diagnostics[index];
    const id = idOf(file);
    const { start, end } = diagnostic.range;
    const key = `${id}\u0000${start.line}:${start.character}-${end.line}:${end.character}\u0000${diagnostic.code}\u0000${diagnostic.message}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    // Messages quote source text: no raw control characters may reach an editor or a terminal.
    return { ...diagnostic, message: escapeInvisible(diagnostic.message), file: id };
  };
  if (diagnostics.length <= maxDiagnosticsPerFile && droppedAtSource === 0) {
    const result: AnalysisDiagnostic[] = [];
    for (let i = 0; i < diagnostics.length; i++) {
      const diagnostic = located(i);
      if (diagnostic) result.push(diagnostic);
    }
    return result;
  }
  // Visit in rank order (severity, then the program before its copybooks), original order within a rank.
  const buckets: number[][] = Array.from({ length: 8 }, () => []);
  for (let index = 0; index < diagnostics.length; index++) {
    const { severity, file } = diagnostics[index];
    buckets[severityRank[severity] * 2 + (file === 0 ? 0 : 1)].push(index);
  }
  const kept: (AnalysisDiagnostic | undefined)[] = new Array(diagnostics.length);
  const keptPerFile = new Map<string, number>();
  const hiddenPerFile = new Map<string, { count: number; lastLine: number }>();
  let keptTotal = 0;
  let hiddenTotal = droppedAtSource;
  for (const bucket of buckets) {
    for (const index of bucket) {
      const { file, range } = diagnostics[index];
      const id = idOf(file);
      const inFile = keptPerFile.get(id) ?? 0;
      if (inFile >= maxDiagnosticsPerFile) {
        const hidden = hiddenPerFile.get(id);
        if (hidden) {
          hidden.count++;
          hidden.lastLine = range.start.line;
        } else hiddenPerFile.set(id, { count: 1, lastLine: range.start.line });
        continue;
      }
      if (keptTotal >= maxDiagnosticsPerAnalysis) {
        hiddenTotal++;
        continue;
      }
      const diagnostic = located(index);
      if (!diagnostic) continue;
      kept[index] = diagnostic;
      keptPerFile.set(id, inFile + 1);
      keptTotal++;
    }
  }
  const result = kept.filter((diagnostic): diagnostic is AnalysisDiagnostic => diagnostic !== undefined);
  for (const [file, { count, lastLine }] of hiddenPerFile) {
    if (result.length >= maxDiagnosticsPerAnalysis + 100) break; // the analysis note below counts the rest
    result.push({
      file,
      range: { start: { line: lastLine, character: 0 }, end: { line: lastLine, character: 0 } },
      severity: 'information',
      code: 'diagnostics/truncated',
      message: `${count.toLocaleString('en-US')} more problem${count === 1 ? '' : 's'} in this file not shown: at most ${maxDiagnosticsPerFile.toLocaleString('en-US')} are reported per file, errors first.`,
    });
  }
  if (hiddenTotal > 0) {
    result.push({
      file: programId,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: 'information',
      code: 'diagnostics/truncated-analysis',
      message: `${hiddenTotal.toLocaleString('en-US')} more problem${hiddenTotal === 1 ? '' : 's'} in this program and its copybooks not shown: at most ${maxDiagnosticsPerAnalysis.toLocaleString('en-US')} are reported per analysis, errors first.`,
    });
  }
  return result;
}
