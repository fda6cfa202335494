/**
 * The workspace index: a compact summary per file (programs, outline-level
 * symbols, copybooks used, CALL targets) so that workspace-wide questions
 * (workspace symbols, who calls a program, who copies a copybook) need no
 * tokens or texts in memory. Summaries are replaced when files change.
 */
import type { Analysis } from './analysis';
import type { Range } from './diagnostic';
import { tokenRangeIn } from './navigation';
import type { SymbolKind } from './symbols';

export interface SummarySymbol {
  name: string;
  kind: SymbolKind;
  range: Range;
  /** The enclosing group, section or program. */
  container: string | undefined;
}

/** How a summary stores a symbol: positions as numbers, strings detached from the file's text. */
interface CompactSymbol {
  name: string;
  kind: SymbolKind;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
  container: string | undefined;
}

export interface FileSummary {
  id: string;
  lineCount: number;
  fragment: boolean;
  programs: { name: string; range: Range }[];
  /** Symbols declared in this file (not in its copybooks). */
  symbols: CompactSymbol[];
  /** Copybook names as written in its COPY statements, upper case. */
  copybooks: string[];
  calls: { name: string; range: Range }[];
}

export function summarise(analysis: Analysis): FileSummary {
  const summary: FileSummary = {
    id: analysis.id,
    lineCount: analysis.lineCount,
    fragment: analysis.fragment,
    programs: [],
    symbols: [],
    copybooks: [...new Set(analysis.copies.filter((copy) => copy.file === 0).map((copy) => detach(copy.name.toUpperCase())))],
    calls: [],
  };
  for (const model of analysis.model.programs) {
    const programName = model.node.name || undefined;
    if (model.symbol && model.symbol.declaration.file === 0) summary.programs.push({ name: detach(model.symbol.name), range: model.symbol.declaration.range });
    for (const symbol of model.symbols) {
      if (symbol.declaration.file !== 0 || symbol.name === 'FILLER') continue;
      const container = symbol.parent?.name ?? programName;
      const { start, end } = symbol.declaration.range;
      summary.symbols.push({
        name: detach(symbol.name), kind: symbol.kind, line: start.line, character: start.character, endLine: end.line, endCharacter: end.character,
        container: container === undefined ? undefined : detach(container),
      });
    }
    for (const call of model.node.calls) {
      const range = tokenRangeIn(analysis, call.token, 0);
      if (range) summary.calls.push({ name: detach(call.name.toUpperCase()), range });
    }
  }
  return summary;
}

export interface IndexedSymbol extends SummarySymbol {
  file: string;
}

export class WorkspaceIndex {
  private readonly summaries = new Map<string, FileSummary>();

  update(summary: FileSummary): void {
    this.summaries.set(summary.id, summary);
  }

  remove(id: string): void {
    this.summaries.delete(id);
  }

  get(id: string): FileSummary | undefined {
    return this.summaries.get(id);
  }

  get size(): number {
    return this.summaries.size;
  }

  files(): IterableIterator<FileSummary> {
    return this.summaries.values();
  }

  /** Symbols whose name contains every character of `query` in order (case-insensitive), best matches first. */
  search(query: string, limit = 200): IndexedSymbol[] {
    const upper = query.toUpperCase();
    const scored: { symbol: IndexedSymbol; score: number }[] = [];
    for (const summary of this.summaries.values()) {
      for (const program of summary.programs) {
        const score = matchScore(program.name, upper);
        if (score > 0) scored.push({ symbol: { name: program.name, kind: 'program', range: program.range, container: undefined, file: summary.id }, score });
      }
      for (const symbol of summary.symbols) {
        const score = matchScore(symbol.name, upper);
        if (score === 0) continue;
        const range = { start: { line: symbol.line, character: symbol.character }, end: { line: symbol.endLine, character: symbol.endCharacter } };
        scored.push({ symbol: { name: symbol.name, kind: symbol.kind, range, container: symbol.container, file: summary.id }, score });
      }
    }
    scored.sort((a, b) => b.score - a.score || a.symbol.name.localeCompare(b.symbol.name));
    return scored.slice(0, limit).map((entry) => entry.symbol);
  }

  /** Files whose PROGRAM-ID is `name`. */
  programsNamed(name: string): { file: string; range: Range }[] {
    const upper = name.toUpperCase();
    const result: { file: string; range: Range }[] = [];
    for (const summary of this.summaries.values()) {
      for (const program of summary.programs) if (program.name === upper) result.push({ file: summary.id, range: program.range });
    }
    return result;
  }

  /** CALL sites of program `name`. */
  callersOf(name: string): { file: string; range: Range }[] {
    const upper = name.toUpperCase();
    const result: { file: string; range: Range }[] = [];
    for (const summary of this.summaries.values()) {
      for (const call of summary.calls) if (call.name === upper) result.push({ file: summary.id, range: call.range });
    }
    return result;
  }

  /** Files that COPY a copybook with this name (without extension). */
  filesCopying(copybookName: string): string[] {
    const upper = copybookName.toUpperCase();
    return [...this.summaries.values()].filter((summary) => summary.copybooks.includes(upper)).map((summary) => summary.id);
  }
}

const detached = new Map<string, string>();

/**
 * A copy of a name that does not keep its file's text alive (V8 strings cut
 * from a larger one point into it), shared by every summary that uses it.
 */
function detach(name: string): string {
  let copy = detached.get(name);
  if (copy === undefined) {
    copy = JSON.parse(JSON.stringify(name)) as string;
    detached.set(copy, copy);
  }
  return copy;
}

/** 0 for no match; higher for exact, prefix and substring matches than for scattered ones. */
function matchScore(name: string, query: string): number {
  if (query.length === 0) return 1;
  if (name === query) return 4;
  if (name.startsWith(query)) return 3;
  if (name.includes(query)) return 2;
  let at = 0;
  for (const character of query) {
    at = name.indexOf(character, at);
    if (at < 0) return 0;
    at++;
  }
  return 1;
}
