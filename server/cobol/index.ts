/**
 * The COBOL front end: a plain library, independent of LSP and VS Code, used
 * by the language server, the `cobol-assist` command line and the model
 * pipeline.
 *
 * Entry point:
 *
 *   analyseProgram({ id, text, settings?, resolver? }) → Analysis
 *
 * - `id`: the source's identity, a file path (copybooks are then also looked
 *   up next to it) or any URI for unsaved text.
 * - `settings`: `{ sourceFormat: 'auto'|'fixed'|'free', checkSequenceArea }`.
 * - `cache`: optional `createAnalysisCache()` kept per document: unchanged
 *   lines are not read again on the next analysis.
 * - `resolver`: a `CopybookResolver`; `FileSystemCopybookResolver` searches
 *   the including file's folder, the program's folder and search paths
 *   (globs relative to a workspace root) through an injectable
 *   `CopybookFileSystem` (`nodeFileSystem` for the disk).
 *
 * An `Analysis` holds `files` (the program and each copybook inclusion),
 * `tokens` (each with its file index, line and column), `programs` (syntax
 * trees, nested programs below their parents), `copies` (COPY statements),
 * `model` (symbols with byte sizes and offsets, resolved occurrences) and
 * `diagnostics`, each naming its file (program id or copybook path) with a
 * zero-based range. Navigation helpers (`occurrenceAt`, `occurrencesOf`,
 * `nodeRangeIn`, …) answer position questions; `summarise` makes the compact
 * record the workspace index keeps. `fitEditsToLayout` turns word
 * replacements (rename) into edits that keep fixed-format columns in place.
 *
 * Invariants: the front end never throws and always terminates; its time is
 * linear in the input; it never reads a file except through the resolver,
 * and the disk only through the file-access gate (`fileGate.ts`).
 */
export { analyseProgram, createAnalysisCache, defaultFrontEndSettings } from './analysis';
export type { AnalyseOptions, Analysis, AnalysisCache, AnalysisDiagnostic, FrontEndSettings } from './analysis';
export { FileSystemCopybookResolver, copybookExtensions } from './copybookResolver';
export type { CopybookFileSystem, CopybookRequest, CopybookResolver, DirectoryEntry, ResolvedCopybook } from './copybookResolver';
export type { Diagnostic, Position, Range, Severity } from './diagnostic';
export { nodeFileSystem } from './nodeFileSystem';
export { checkGated, defaultMaxFileBytes, formatBytes, isNetworkPath, isRefusal, isUnderRoots, readGated, readTextFile, realFolder } from './fileGate';
export type { AccessPolicy, FileProblem, FileRefusal, GatedRead } from './fileGate';
export { compare, declarationFile, nodeRangeIn, occurrenceAt, occurrencesInFile, occurrencesOf, programAt, tokenRangeIn } from './navigation';
export type { CopyStatement, SourceFile } from './preprocessor';
export { analysePicture, storageSize } from './picture';
export type { PictureCategory, PictureInfo } from './picture';
export { isReservedWord, reservedWords } from './reservedWords';
export { occurrenceRange, qualifiedName } from './symbols';
export type { CobolSymbol, DataInfo, Occurrence, ProgramModel, SourceLocation, SymbolKind } from './symbols';
export type { DataEntry, NameReference, ProgramNode, SyntaxNode } from './syntaxTree';
export { detectSourceFormat, formatsByLine, splitLines } from './sourceFormat';
export { applyLineEdits, layoutAfterChange, type LineEdit, toggleComment, type TypingDocument, type TypingResult, type UserChange } from './fixedFormatTyping';
export { fitEditsToLayout } from './layoutEdits';
export type { LayoutResult, WordEdit } from './layoutEdits';
export type { SourceFormat } from './sourceFormat';
export { WorkspaceIndex, summarise } from './workspaceIndex';
export type { FileSummary, IndexedSymbol, SummarySymbol } from './workspaceIndex';
export { describeSymbol } from './describe';
