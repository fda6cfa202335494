/**
 * Questions asked of an analysis by editors, the command line and the agent:
 * which symbol is at a position, where are its occurrences, what range does
 * a node or token cover in a given file (a span inside a copybook maps to
 * its COPY statement in the including file).
 */
import type { Analysis } from './analysis';
import type { Position, Range } from './diagnostic';
import type { CobolSymbol, Occurrence, ProgramModel } from './symbols';
import type { SyntaxNode } from './syntaxTree';

/** A token's range in file `file`, following COPY statements up from the copybook it is in. */
export function tokenRangeIn(analysis: Analysis, tokenIndex: number, file = 0): Range | undefined {
  const token = analysis.tokens[tokenIndex];
  if (!token) return undefined;
  let current = token.file;
  let range: Range = { start: { line: token.line, character: token.col }, end: { line: token.endLine, character: token.endCol } };
  while (current !== file) {
    const source = analysis.files[current];
    if (!source || source.parent < 0 || !source.copyRange) return undefined;
    range = source.copyRange;
    current = source.parent;
  }
  return range;
}

/** A node's range in file `file` (0: the analysed text). */
export function nodeRangeIn(analysis: Analysis, node: SyntaxNode, file = 0): Range | undefined {
  const start = tokenRangeIn(analysis, node.start, file);
  const end = tokenRangeIn(analysis, Math.max(node.start, node.end - 1), file);
  if (!start || !end) return undefined;
  return { start: start.start, end: end.end };
}

const occurrenceIndex = new WeakMap<Analysis, Map<string, Occurrence[]>>();

/** Occurrences in the file with this id, sorted by position. */
export function occurrencesInFile(analysis: Analysis, fileId: string): Occurrence[] {
  let index = occurrenceIndex.get(analysis);
  if (!index) {
    index = new Map();
    for (const occurrence of analysis.model.occurrences) {
      const id = analysis.files[occurrence.file]?.id;
      if (id === undefined) continue;
      const list = index.get(id);
      if (list) list.push(occurrence);
      else index.set(id, [occurrence]);
    }
    for (const list of index.values()) list.sort((a, b) => a.line - b.line || a.col - b.col);
    occurrenceIndex.set(analysis, index);
  }
  return index.get(fileId) ?? [];
}

/** The occurrence (declaration or reference) under `position` in file `fileId`. */
export function occurrenceAt(analysis: Analysis, fileId: string, position: Position): Occurrence | undefined {
  const list = occurrencesInFile(analysis, fileId);
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const occurrence = list[middle];
    if (occurrence.endLine < position.line || (occurrence.endLine === position.line && occurrence.endCol < position.character)) low = middle + 1;
    else if (occurrence.line > position.line || (occurrence.line === position.line && occurrence.col > position.character)) high = middle - 1;
    else return occurrence;
  }
  return undefined;
}

/** Every occurrence of the symbol: its declaration and its references, in any file. */
export function occurrencesOf(analysis: Analysis, symbol: CobolSymbol): Occurrence[] {
  return analysis.model.occurrences.filter((occurrence) => occurrence.symbol === symbol);
}

/** The file id of a symbol's declaration. */
export function declarationFile(analysis: Analysis, symbol: CobolSymbol): string | undefined {
  return analysis.files[symbol.declaration.file]?.id;
}

/** The program whose text covers `position` in the analysed file (the innermost nested one). */
export function programAt(analysis: Analysis, position: Position): ProgramModel | undefined {
  let best: ProgramModel | undefined;
  for (const model of analysis.model.programs) {
    const range = nodeRangeIn(analysis, model.node, 0);
    if (!range) continue;
    if (compare(range.start, position) <= 0 && compare(position, range.end) <= 0) best = model;
  }
  return best ?? analysis.model.programs[0];
}

export function compare(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}
