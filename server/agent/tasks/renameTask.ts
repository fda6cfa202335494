/**
 * Rename a data item, paragraph or section across programs and copybooks:
 * the language server's own rename (`server/lsp/rename.ts`: conflict and
 * reserved-word checks, COPY REPLACING refusal, fixed-format columns kept),
 * run on the declaring file, plus the uses in every other program that
 * copies the declaring copybook. The result is a proposal; nothing is written.
 */
import { fileURLToPath } from 'node:url';
import { referencesFromPrograms } from '../../lsp/copybookReferences';
import { rename } from '../../lsp/rename';
import { UriMapper } from '../../lsp/uris';
import type { AgentWorkspace } from '../agentWorkspace';
import { type FileChange, type ProposedChange, TaskRefused } from '../proposedChange';
import { isCopybookPath } from '../workspaceFiles';
import { findSymbol } from './symbolLookup';

export interface RenameArguments {
  /** The program or copybook that declares the name (relative path). */
  file: string;
  name: string;
  newName: string;
}

export function proposeRename(workspace: AgentWorkspace, args: RenameArguments): ProposedChange {
  const found = findSymbol(workspace, args.file, args.name, ['data', 'condition', 'index', 'file', 'paragraph', 'section']);
  const { analysis, symbol, declaredIn, program } = found;
  const uris = new UriMapper();
  const context = { analysis, uri: uris.toUri(declaredIn), id: declaredIn, uris };
  const declaredInCopybook = symbol.declaration.file !== 0;
  const result = rename(context, symbol.declaration.range.start, args.newName, {
    text: (id) => workspace.textOfAbsolute(id),
    format: workspace.settings.sourceFormat,
    usesElsewhere: (target) => {
      if (!declaredInCopybook) return [];
      return referencesFromPrograms(declaredIn, target, workspace.index(), (programId) => {
        if (programId === program.absolute) return undefined; // already in the analysis renamed
        const confined = workspace.files.confine(programId);
        return confined ? workspace.analyse(confined) : undefined;
      }, (id) => uris.toUri(id));
    },
  });
  if (!('changes' in result) && 'message' in result) throw new TaskRefused(result.message); // the rename's refusal, with its reason
  const files: FileChange[] = [];
  for (const [uri, edits] of Object.entries(result.changes ?? {})) {
    const absolute = fileURLToPath(uri);
    const confined = workspace.files.confine(absolute);
    if (!confined) throw new TaskRefused(`The rename would touch ${absolute}, outside the workspace; refused.`);
    if (edits.length > 0) files.push({ file: confined.relative, absolute: confined.absolute, edits });
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const uses = files.reduce((sum, file) => sum + file.edits.length, 0);
  const affected = declaredInCopybook || isCopybookPath(declaredIn)
    ? [...new Set([program.relative, ...workspace.programsCopying(declaredIn).map((file) => file.relative)])]
    : [program.relative];
  return {
    summary: `Rename ${symbol.name} to ${args.newName.toUpperCase()}: ${uses} place${uses === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}`,
    files,
    undecided: [],
    affectedPrograms: affected.sort(),
  };
}
