/**
 * Quick fixes and the workspace facts behind missing-copybook diagnostics:
 * - a missing copybook that exists elsewhere in the workspace: add its folder
 *   to `cobolAssist.copybookPaths` (the extension's `cobolAssist.addCopybookPath`
 *   writes the setting; the server never writes settings);
 * - an undefined data name or paragraph: "did you mean" the names in scope
 *   nearest by edit distance, applied so the fixed-format columns stay put;
 * - code typed into the sequence area: move it to Area B;
 * - each missing copybook named, on the diagnostics, with the names it would
 *   have defined where the workspace holds a file of that name.
 */
import * as path from 'node:path';
import { type CodeAction, CodeActionKind, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver/node';
import { type Analysis, type CobolSymbol, type ProgramNode, fitEditsToLayout, programAt, type SourceFormat, type WorkspaceIndex } from '../cobol';
import { splitLines } from '../cobol';

export const addCopybookPathCommand = 'cobolAssist.addCopybookPath';

export interface CodeActionInput {
  analysis: Analysis;
  uri: string;
  /** The document's text now. */
  text: string;
  format: SourceFormat | 'auto';
  index: WorkspaceIndex;
  /** Workspace folders (file-system paths), for relative copybook folders. */
  roots: readonly string[];
  copybookPaths: readonly string[];
}

export function codeActions(input: CodeActionInput, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'cobol-assist') continue;
    if (diagnostic.code === 'copybook/missing') actions.push(...copybookPathFixes(input, diagnostic));
    else if (diagnostic.code === 'semantic/undefined') actions.push(...didYouMean(input, diagnostic));
    else if (diagnostic.code === 'fixed-format/code-in-sequence-area') actions.push(...moveToAreaB(input, diagnostic));
  }
  return actions;
}

/** Files in the workspace index whose name (without extension) is the copybook's, in a folder named like its library if it has one. */
export function copybookCandidates(index: WorkspaceIndex, name: string, library: string | undefined): string[] {
  const wanted = name.toUpperCase();
  const found: string[] = [];
  for (const summary of index.files()) {
    const base = path.basename(summary.id);
    const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
    if (stem.toUpperCase() !== wanted) continue;
    if (library && path.basename(path.dirname(summary.id)).toUpperCase() !== library.toUpperCase()) continue;
    found.push(summary.id);
  }
  return found.sort();
}

function copybookPathFixes(input: CodeActionInput, diagnostic: Diagnostic): CodeAction[] {
  const copy = copyAt(input.analysis, diagnostic.range);
  if (!copy) return [];
  const known = new Set(input.copybookPaths.map((folder) => folder.replace(/\\/g, '/').replace(/\/+$/, '')));
  const actions: CodeAction[] = [];
  for (const file of copybookCandidates(input.index, copy.name, copy.library)) {
    const folder = path.dirname(copy.library ? path.dirname(file) : file);
    const root = input.roots.find((candidate) => folder === candidate || folder.startsWith(candidate + path.sep));
    if (!root) continue; // outside the workspace: never suggested
    const relative = path.relative(root, folder).split(path.sep).join('/') || '.';
    if (known.has(relative)) continue;
    known.add(relative);
    actions.push({
      title: `Add '${relative}' to cobolAssist.copybookPaths (${path.basename(file)} is there)`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: actions.length === 0,
      command: { title: 'Add copybook folder', command: addCopybookPathCommand, arguments: [input.uri, relative] },
    });
  }
  return actions;
}

function copyAt(analysis: Analysis, range: Range) {
  return analysis.copies.find(
    (copy) => copy.file === 0 && copy.skipped === 'missing' && copy.nameRange.start.line === range.start.line && copy.nameRange.start.character === range.start.character,
  );
}

const dataKinds = new Set<CobolSymbol['kind']>(['data', 'condition', 'index', 'file', 'special-name']);
const procedureKinds = new Set<CobolSymbol['kind']>(['paragraph', 'section']);

function didYouMean(input: CodeActionInput, diagnostic: Diagnostic): CodeAction[] {
  const { range } = diagnostic;
  if (range.start.line !== range.end.line) return [];
  const line = splitLines(input.text)[range.start.line] ?? '';
  const typed = line.slice(range.start.character, range.end.character);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(typed)) return [];
  const model = programAt(input.analysis, range.start);
  if (!model) return [];
  const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
  const kinds = message.includes('paragraph or section') ? procedureKinds : dataKinds;
  const names = new Set<string>();
  for (let program: typeof model | undefined = model; program; ) {
    for (const symbol of program.symbols) if (kinds.has(symbol.kind) && symbol.name !== 'FILLER') names.add(symbol.name);
    const parent: ProgramNode | undefined = program.node.parent;
    program = parent ? input.analysis.model.programs.find((candidate) => candidate.node === parent) : undefined;
  }
  const lowerCase = typed === typed.toLowerCase();
  return nearestNames(typed, names).map((name, position) => {
    const newText = lowerCase ? name.toLowerCase() : name;
    const fitted = fitEditsToLayout(input.text, input.format, [{ range, newText }]);
    const edits = 'edits' in fitted ? fitted.edits : [];
    return {
      title: `Change to '${newText}'`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: position === 0,
      edit: { changes: { [input.uri]: edits } },
    } satisfies CodeAction;
  }).filter((action) => (action.edit.changes[input.uri]?.length ?? 0) > 0);
}

/** Up to three names within a small edit distance of `typed` (case-insensitive), nearest first. */
export function nearestNames(typed: string, names: Iterable<string>): string[] {
  const target = typed.toUpperCase();
  const limit = Math.max(1, Math.min(3, Math.floor(target.length / 3)));
  const scored: { name: string; distance: number }[] = [];
  for (const name of names) {
    if (Math.abs(name.length - target.length) > limit) continue;
    const distance = editDistance(target, name.toUpperCase(), limit);
    if (distance <= limit && distance > 0) scored.push({ name, distance });
  }
  return scored.sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name)).slice(0, 3).map((s) => s.name);
}

/** Optimal-string-alignment distance (a swap of two neighbours counts one), stopping early past `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2][j - 2] + 1);
      row.push(value);
      best = Math.min(best, value);
    }
    rows.push(row);
    if (best > limit) return best;
  }
  return rows[a.length][b.length];
}

function moveToAreaB(input: CodeActionInput, diagnostic: Diagnostic): CodeAction[] {
  const lineNumber = diagnostic.range.start.line;
  const line = splitLines(input.text)[lineNumber] ?? '';
  const code = line.slice(0, Math.min(line.length, 72)).trim();
  const moved = `${' '.repeat(11)}${code}`;
  if (moved.length > 72) return [];
  const tag = line.length > 72 ? line.slice(72) : '';
  const newText = tag.trim() === '' ? moved : moved.padEnd(72, ' ') + tag;
  return [{
    title: 'Move the code to Area B (column 12)',
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: true,
    edit: { changes: { [input.uri]: [{ range: { start: { line: lineNumber, character: 0 }, end: { line: lineNumber, character: line.length } }, newText }] } },
  }];
}

/**
 * Says, on the diagnostics of missing copybooks and on the note that
 * summarises undefined names, which file of that name the workspace holds
 * and which of the undefined names it would define, one entry per copybook.
 */
export function explainMissingCopybooks(analysis: Analysis, diagnostics: Diagnostic[], uri: string, index: WorkspaceIndex, toUri: (id: string) => string): void {
  const missing = analysis.copies.filter((copy) => copy.file === 0 && copy.skipped === 'missing');
  if (missing.length === 0) return;
  const withheld = new Set<string>();
  for (const names of analysis.model.withheld.values()) for (const name of names) withheld.add(name.toUpperCase());
  const related: DiagnosticRelatedInformation[] = [];
  const seen = new Set<string>();
  for (const copy of missing) {
    const key = copy.name.toUpperCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const files = copybookCandidates(index, copy.name, copy.library);
    if (files.length === 0) {
      related.push({ location: { uri, range: copy.nameRange }, message: `${key}: no file of that name in the workspace.` });
      continue;
    }
    const summary = index.get(files[0]);
    const defines = [...new Set((summary?.symbols ?? []).map((symbol) => symbol.name.toUpperCase()))].filter((name) => withheld.has(name));
    const shown = defines.slice(0, 12).join(', ') + (defines.length > 12 ? ', …' : '');
    related.push({
      location: { uri: toUri(files[0]), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
      message: defines.length > 0 ? `${key} (${path.basename(files[0])}, not on the copybook path) would define ${shown}.` : `${key} (${path.basename(files[0])}, not on the copybook path) defines none of the undefined names.`,
    });
  }
  for (const diagnostic of diagnostics) {
    if (diagnostic.code === 'semantic/undefined-withheld' || diagnostic.code === 'copybook/missing') diagnostic.relatedInformation = related;
  }
}
