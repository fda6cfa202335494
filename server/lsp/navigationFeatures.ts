/**
 * Definition, declaration, references, document highlights and hover over
 * the front end's resolved occurrences. Locations in copybooks get the
 * copybook's URI, so the editor opens the copybook at the declaration.
 */
import { DocumentHighlight, DocumentHighlightKind, type Hover, type Location, MarkupKind, type Position } from 'vscode-languageserver/node';
import { type Analysis, type CobolSymbol, compare, describeSymbol, type Occurrence, occurrenceAt, occurrenceRange, occurrencesOf, type Range } from '../cobol';
import type { WorkspaceIndex } from '../cobol';
import type { UriMapper } from './uris';

export interface NavigationContext {
  analysis: Analysis;
  /** The document's URI and front-end id. */
  uri: string;
  id: string;
  uris: UriMapper;
}

export function symbolAt(context: NavigationContext, position: Position): { symbol: CobolSymbol; occurrence: Occurrence } | undefined {
  const occurrence = occurrenceAt(context.analysis, context.id, position);
  return occurrence ? { symbol: occurrence.symbol, occurrence } : undefined;
}

export function definition(context: NavigationContext, position: Position, index: WorkspaceIndex | undefined): Location[] {
  const found = symbolAt(context, position);
  if (found) {
    const { symbol } = found;
    return [location(context, symbol.declaration.file, symbol.declaration.range)];
  }
  // On a COPY statement's name: open the copybook.
  for (const copy of context.analysis.copies) {
    if (context.analysis.files[copy.file]?.id !== context.id || !inside(copy.nameRange, position)) continue;
    if (copy.included === undefined) return [];
    const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return [location(context, copy.included, zero)];
  }
  // On a CALL 'PROGRAM' literal: the called program, from the workspace index.
  if (index) {
    for (const model of context.analysis.model.programs) {
      for (const call of model.node.calls) {
        const token = context.analysis.tokens[call.token];
        if (token.file !== 0 || !inside({ start: { line: token.line, character: token.col }, end: { line: token.endLine, character: token.endCol } }, position)) continue;
        return index.programsNamed(call.name).map((program) => ({ uri: context.uris.toUri(program.file), range: program.range }));
      }
    }
  }
  return [];
}

export function references(context: NavigationContext, position: Position, includeDeclaration: boolean): Location[] {
  const found = symbolAt(context, position);
  if (!found) return [];
  const seen = new Set<string>();
  const result: Location[] = [];
  for (const occurrence of occurrencesOf(context.analysis, found.symbol)) {
    if (occurrence.declaration && !includeDeclaration) continue;
    const loc = location(context, occurrence.file, occurrenceRange(occurrence));
    const key = `${loc.uri}:${loc.range.start.line}:${loc.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(loc);
  }
  return result.sort((a, b) => a.uri.localeCompare(b.uri) || compare(a.range.start, b.range.start));
}

export function highlights(context: NavigationContext, position: Position): DocumentHighlight[] {
  const found = symbolAt(context, position);
  if (!found) return [];
  return occurrencesOf(context.analysis, found.symbol)
    .filter((occurrence) => context.analysis.files[occurrence.file]?.id === context.id)
    .map((occurrence) => DocumentHighlight.create(occurrenceRange(occurrence), occurrence.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read));
}

export function hover(context: NavigationContext, position: Position): Hover | undefined {
  const found = symbolAt(context, position);
  if (!found) return copyHover(context, position);
  return { contents: { kind: MarkupKind.Markdown, value: describeSymbol(context.analysis, found.symbol) }, range: occurrenceRange(found.occurrence) };
}

/** On a COPY statement's name: which file it found, or that it found none. */
function copyHover(context: NavigationContext, position: Position): Hover | undefined {
  const { analysis } = context;
  const copy = analysis.copies.find((candidate) => analysis.files[candidate.file]?.id === context.id && inside(candidate.nameRange, position));
  if (!copy) return undefined;
  const included = copy.included === undefined ? undefined : analysis.files[copy.included];
  const value = included
    ? `Copybook **${copy.name}**${copy.library ? ` in ${copy.library}` : ''}: \`${included.id}\` (${included.lineCount} lines, ${included.format} format)`
    : `Copybook **${copy.name}** was not expanded (see the diagnostic on this line).`;
  return { contents: { kind: MarkupKind.Markdown, value }, range: copy.nameRange };
}

function location(context: NavigationContext, file: number, range: Range): Location {
  const id = context.analysis.files[file]?.id ?? context.id;
  return { uri: id === context.id ? context.uri : context.uris.toUri(id), range };
}

function inside(range: Range, position: Position): boolean {
  return compare(range.start, position) <= 0 && compare(position, range.end) <= 0;
}
