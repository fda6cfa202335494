/**
 * Rename of data items, condition and index names, files, paragraphs and
 * sections across the program and its copybooks: one WorkspaceEdit over
 * every URI involved. Refused, with the reason, for reserved words, invalid
 * COBOL words, names already taken in the program, and names whose text
 * comes from COPY REPLACING (they must be renamed in the COPY statement).
 * Fixed-format lines keep their columns (see `fitEditsToLayout`); a name
 * that cannot fit before column 73 is refused with the file and line.
 */
import * as path from 'node:path';
import { type Location, type Position, type Range, ResponseError, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { type CobolSymbol, fitEditsToLayout, type FrontEndSettings, isReservedWord, occurrenceRange, occurrencesOf } from '../cobol';
import { type NavigationContext, symbolAt } from './navigationFeatures';

const renamable = new Set(['data', 'condition', 'index', 'file', 'paragraph', 'section']);
const cobolWord = /^(?=.*[A-Za-z])[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/;

/** The range to rename and its current text, or an error saying why not. */
export function prepareRename(context: NavigationContext, position: Position): { range: Range; placeholder: string } | ResponseError<void> {
  const found = symbolAt(context, position);
  if (!found) return new ResponseError(0, 'Put the cursor on a data name, paragraph or section to rename it.');
  if (!renamable.has(found.symbol.kind)) return new ResponseError(0, `A ${found.symbol.kind} cannot be renamed.`);
  if (found.occurrence.replaced) return new ResponseError(0, `${found.symbol.name} here comes from COPY … REPLACING: rename it in the COPY statement.`);
  const token = found.occurrence;
  return { range: occurrenceRange(token), placeholder: found.symbol.name };
}

/** What a rename needs beyond the analysis: the files' texts (to keep their layout) and uses in other programs. */
export interface RenameSources {
  /** The current text of a file by front-end id (open document or disk); undefined when unreadable. */
  text(id: string): string | undefined;
  format: FrontEndSettings['sourceFormat'];
  /** Uses of a copybook-declared symbol in other programs that copy it (optional). */
  usesElsewhere?(symbol: CobolSymbol): Location[];
}

export function rename(context: NavigationContext, position: Position, newName: string, sources: RenameSources): WorkspaceEdit | ResponseError<void> {
  const prepared = prepareRename(context, position);
  if (prepared instanceof ResponseError) return prepared;
  const { symbol } = symbolAt(context, position)!;
  const upper = newName.toUpperCase();
  if (!cobolWord.test(newName) || newName.length > 30) {
    return new ResponseError(0, `'${newName}' is not a COBOL name: 1-30 letters, digits and hyphens, with a letter, not starting or ending with a hyphen.`);
  }
  if (isReservedWord(upper)) return new ResponseError(0, `'${upper}' is a COBOL reserved word.`);
  if (upper === symbol.name) return { changes: {} };
  const model = context.analysis.model.programs.find((candidate) => candidate.node === symbol.program);
  const clash = model?.byName.get(upper)?.[0];
  if (clash) return new ResponseError(0, `'${upper}' already names a ${clash.kind} in this program (line ${clash.declaration.range.start.line + 1}); renaming would make references ambiguous.`);
  const occurrences = occurrencesOf(context.analysis, symbol);
  const replaced = occurrences.find((occurrence) => occurrence.replaced);
  if (replaced) return new ResponseError(0, `${symbol.name} is partly produced by COPY … REPLACING (line ${replaced.line + 1}); rename it in the COPY statement instead.`);
  const changes: Record<string, TextEdit[]> = {};
  const seen = new Set<string>();
  for (const occurrence of occurrences) {
    const id = context.analysis.files[occurrence.file]?.id ?? context.id;
    const uri = id === context.id ? context.uri : context.uris.toUri(id);
    const key = `${uri}:${occurrence.line}:${occurrence.col}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (changes[uri] ??= []).push({ range: occurrenceRange(occurrence), newText: newName });
  }
  for (const use of sources.usesElsewhere?.(symbol) ?? []) {
    const key = `${use.uri}:${use.range.start.line}:${use.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (changes[use.uri] ??= []).push({ range: use.range, newText: newName });
  }
  return keepLayout(changes, context, sources);
}

/** Every file's edits made layout-preserving, or the first file and line where the new name does not fit. */
function keepLayout(changes: Record<string, TextEdit[]>, context: NavigationContext, sources: RenameSources): WorkspaceEdit | ResponseError<void> {
  const fitted: Record<string, TextEdit[]> = {};
  for (const [uri, edits] of Object.entries(changes)) {
    const id = uri === context.uri ? context.id : context.uris.toId(uri);
    const text = sources.text(id);
    if (text === undefined) return new ResponseError(0, `Cannot read ${path.basename(id)} to keep its fixed-format columns; rename refused.`);
    const result = fitEditsToLayout(text, sources.format, edits);
    if ('error' in result) return new ResponseError(0, `The new name does not fit ${path.basename(id)}: ${result.error}.`);
    fitted[uri] = result.edits;
  }
  return { changes: fitted };
}
