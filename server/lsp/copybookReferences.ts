/**
 * References to a copybook's names from the programs that copy it, for a
 * copybook opened on its own: the programs are found through the workspace
 * index, analysed with their copybooks, and every occurrence of the symbol
 * declared at the same place in the copybook is collected.
 */
import * as path from 'node:path';
import type { Location, Position } from 'vscode-languageserver/node';
import { type Analysis, type CobolSymbol, occurrenceAt, occurrenceRange, type WorkspaceIndex } from '../cobol';

/** Programs analysed per request at most, so a widely used copybook cannot stall the server. */
const maxPrograms = 50;

export function referencesFromPrograms(
  copybookId: string,
  symbol: CobolSymbol,
  index: WorkspaceIndex,
  analyse: (programId: string) => Analysis | undefined,
  toUri: (id: string) => string,
): Location[] {
  const name = path.basename(copybookId).replace(/\.(cpy|cbl|cob|copy)$/i, '');
  const { start } = symbol.declaration.range;
  const result: Location[] = [];
  for (const programId of index.filesCopying(name).slice(0, maxPrograms)) {
    if (programId === copybookId) continue;
    const analysis = analyse(programId);
    if (!analysis) continue;
    const sameDeclaration = (candidate: CobolSymbol) => {
      const at = candidate.declaration;
      return analysis.files[at.file]?.id === copybookId && at.range.start.line === start.line && at.range.start.character === start.character;
    };
    for (const occurrence of analysis.model.occurrences) {
      if (occurrence.declaration || !sameDeclaration(occurrence.symbol)) continue;
      const id = analysis.files[occurrence.file]?.id;
      if (id === undefined || id === copybookId) continue;
      result.push({ uri: toUri(id), range: occurrenceRange(occurrence) });
    }
  }
  return result;
}

/**
 * Go to definition in a copybook opened on its own, for a name it uses but
 * does not declare (PROCEDURE DIVISION code copied into programs uses their
 * data): the declaration as the first program that copies it resolves it.
 */
export function definitionFromPrograms(
  copybookId: string,
  position: Position,
  index: WorkspaceIndex,
  analyse: (programId: string) => Analysis | undefined,
  toUri: (id: string) => string,
): Location[] {
  const name = path.basename(copybookId).replace(/\.(cpy|cbl|cob|copy)$/i, '');
  for (const programId of index.filesCopying(name).slice(0, maxPrograms)) {
    if (programId === copybookId) continue;
    const analysis = analyse(programId);
    const occurrence = analysis && occurrenceAt(analysis, copybookId, position);
    if (!analysis || !occurrence) continue;
    const { declaration } = occurrence.symbol;
    const id = analysis.files[declaration.file]?.id;
    if (id !== undefined) return [{ uri: toUri(id), range: declaration.range }];
  }
  return [];
}
