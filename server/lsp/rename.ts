/**
 * Rename of data items, condition and index names, files, paragraphs and
 * sections across the program and its copybooks: one WorkspaceEdit over
 * every URI involved. Refused, with the reason, for reserved words, invalid
 * COBOL words, names already taken in the program, and names whose text
 * comes from COPY REPLACING (they must be renamed in the COPY statement).
 */
import { type Position, type Range, ResponseError, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { isReservedWord, occurrenceRange, occurrencesOf } from '../cobol';
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

export function rename(context: NavigationContext, position: Position, newName: string): WorkspaceEdit | ResponseError<void> {
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
  return { changes };
}
