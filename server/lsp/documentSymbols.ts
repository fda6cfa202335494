/**
 * Outline: document symbols (program → divisions → sections → paragraphs;
 * data records with their subordinate items; files) and folding ranges.
 * Symbols declared in a copybook appear at their COPY statement, each with a
 * range ending one character later than the one before: VS Code sorts the
 * Outline by range and breaks ties by name, so equal ranges would list a
 * copied record layout alphabetically instead of in declaration order.
 */
import { type DocumentSymbol, type FoldingRange, FoldingRangeKind, SymbolKind } from 'vscode-languageserver/node';
import { type Analysis, type CobolSymbol, nodeRangeIn, type ProgramModel, type Range, type SyntaxNode, tokenRangeIn } from '../cobol';

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const result: DocumentSymbol[] = [];
  const order: CopiedOrder = { next: 0 };
  const models = new Map(analysis.model.programs.map((model) => [model.node, model]));
  for (const program of analysis.programs) {
    const model = models.get(program);
    if (!model) continue;
    const symbol = programSymbol(analysis, model, models, order);
    if (!symbol) continue;
    if (program.hasIdentification) result.push(symbol);
    else result.push(...(symbol.children ?? [])); // a copybook: its contents are the outline
  }
  return result;
}

/** Counts the copied symbols seen so far, in declaration order. */
interface CopiedOrder {
  next: number;
}

/** `range` (a COPY statement's) made unique for the next copied symbol, or `range` itself for a symbol of this file. */
function ordered(analysis: Analysis, tokenIndex: number, range: Range, order: CopiedOrder): Range {
  if ((analysis.tokens[tokenIndex]?.file ?? 0) === 0) return range;
  return { start: range.start, end: { line: range.end.line, character: range.end.character + ++order.next } };
}

function programSymbol(analysis: Analysis, model: ProgramModel, models: Map<SyntaxNode, ProgramModel>, order: CopiedOrder): DocumentSymbol | undefined {
  const range = nodeRangeIn(analysis, model.node);
  if (!range) return undefined;
  const entries = new Map<SyntaxNode, CobolSymbol>();
  for (const symbol of model.symbols) if (symbol.data) entries.set(symbol.data.entry.node, symbol);
  const procedures = new Map<number, CobolSymbol>();
  for (const symbol of model.symbols) if (symbol.kind === 'section' || symbol.kind === 'paragraph') procedures.set(symbol.nameToken, symbol);
  const children: DocumentSymbol[] = [];
  for (const child of model.node.children) {
    if (child.kind === 'program') {
      const nested = models.get(child);
      const symbol = nested && programSymbol(analysis, nested, models, order);
      if (symbol) children.push(symbol);
    } else children.push(...nodeSymbols(analysis, child, entries, procedures, order));
  }
  const selection = model.node.nameToken >= 0 ? tokenRangeIn(analysis, model.node.nameToken) : undefined;
  return make(model.node.name || 'PROGRAM', SymbolKind.Module, range, selection, children, 'program');
}

function nodeSymbols(analysis: Analysis, node: SyntaxNode, entries: Map<SyntaxNode, CobolSymbol>, procedures: Map<number, CobolSymbol>, order: CopiedOrder): DocumentSymbol[] {
  const nodeRange = nodeRangeIn(analysis, node);
  if (!nodeRange) return [];
  const range = node.kind === 'dataEntry' ? nodeRange : ordered(analysis, node.start, nodeRange, order);
  const inner = () => node.children.flatMap((child) => nodeSymbols(analysis, child, entries, procedures, order));
  const selection = node.nameToken >= 0 ? tokenRangeIn(analysis, node.nameToken) : undefined;
  switch (node.kind) {
    case 'division':
      return [make(`${node.name} DIVISION`, SymbolKind.Namespace, range, selection, inner())];
    case 'section':
      return [make(`${node.name} SECTION`, procedures.has(node.nameToken) ? SymbolKind.Class : SymbolKind.Package, range, selection, inner())];
    case 'paragraph':
      return [make(node.name, SymbolKind.Method, range, selection, [])];
    case 'select':
      return [make(node.name, SymbolKind.File, range, selection, [], 'SELECT')];
    case 'fileDescription':
      return [make(node.name, SymbolKind.File, range, selection, [], 'FD')];
    case 'dataEntry': {
      const symbol = entries.get(node);
      if (!symbol || symbol.parent) return []; // subordinates (66-level RENAMES included) come with their record
      return [dataSymbol(analysis, symbol, order)].filter((s): s is DocumentSymbol => s !== undefined);
    }
    default:
      return [];
  }
}

function dataSymbol(analysis: Analysis, symbol: CobolSymbol, order: CopiedOrder): DocumentSymbol | undefined {
  const data = symbol.data;
  const declared = data ? nodeRangeIn(analysis, data.entry.node) : tokenRangeIn(analysis, symbol.nameToken);
  if (!declared) return undefined;
  const nodeRange = ordered(analysis, data ? data.entry.node.start : symbol.nameToken, declared, order);
  const children = symbol.children.map((child) => dataSymbol(analysis, child, order)).filter((s): s is DocumentSymbol => s !== undefined);
  let range = nodeRange;
  for (const child of children) range = union(range, child.range);
  const selection = symbol.nameToken >= 0 ? tokenRangeIn(analysis, symbol.nameToken) : undefined;
  const kind = symbol.kind === 'condition' ? SymbolKind.EnumMember : symbol.children.some((c) => c.kind === 'data') ? SymbolKind.Struct : SymbolKind.Field;
  const detail = data ? [String(data.level).padStart(2, '0'), data.entry.picture ? `PIC ${data.entry.picture}` : '', data.usage !== 'DISPLAY' ? data.usage : ''].filter(Boolean).join(' ') : '88';
  return make(symbol.name, kind, range, selection, children, detail);
}

function make(name: string, kind: SymbolKind, range: Range, selection: Range | undefined, children: DocumentSymbol[], detail?: string): DocumentSymbol {
  // The client rejects a selection range outside the full range.
  const selectionRange = selection && contains(range, selection) ? selection : { start: range.start, end: range.start };
  return { name, kind, range, selectionRange, children, ...(detail ? { detail } : {}) };
}

function contains(outer: Range, inner: Range): boolean {
  return before(outer.start, inner.start) && before(inner.end, outer.end);
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function union(a: Range, b: Range): Range {
  return { start: before(a.start, b.start) ? a.start : b.start, end: before(a.end, b.end) ? b.end : a.end };
}

/** Folding for programs, divisions, sections, paragraphs, data groups, multi-line statements and EXEC blocks. */
export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const result: FoldingRange[] = [];
  const add = (range: Range | undefined, kind?: FoldingRangeKind) => {
    if (range && range.end.line > range.start.line) result.push({ startLine: range.start.line, endLine: range.end.line, ...(kind ? { kind } : {}) });
  };
  const visit = (node: SyntaxNode) => {
    if (node.kind !== 'dataEntry') add(nodeRangeIn(analysis, node), node.kind === 'directive' ? FoldingRangeKind.Imports : undefined);
    for (const child of node.children) visit(child);
  };
  for (const program of analysis.programs) visit(program);
  for (const model of analysis.model.programs) {
    for (const record of model.records) foldData(analysis, record, add);
  }
  return result;
}

function foldData(analysis: Analysis, symbol: CobolSymbol, add: (range: Range | undefined) => void): void {
  const members = symbol.children.filter((child) => child.kind === 'data');
  if (members.length === 0 || !symbol.data) return;
  const start = nodeRangeIn(analysis, symbol.data.entry.node);
  let last: CobolSymbol = members[members.length - 1];
  while (last.children.some((child) => child.kind === 'data')) last = last.children.filter((child) => child.kind === 'data').pop()!;
  const end = last.data ? nodeRangeIn(analysis, last.data.entry.node) : undefined;
  if (start && end) add({ start: start.start, end: end.end });
  for (const member of members) foldData(analysis, member, add);
}
