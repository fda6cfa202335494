/**
 * Finds a named data item, paragraph or section for a task: by name in a
 * program (or in a copybook, through a program that copies it), refusing
 * names that are missing or ambiguous with the reason.
 */
import type { Analysis, CobolSymbol } from '../../cobol';
import type { AgentWorkspace } from '../agentWorkspace';
import { TaskRefused } from '../proposedChange';
import { type ConfinedFile, isCopybookPath } from '../workspaceFiles';

export interface FoundSymbol {
  /** The program analysed to see the symbol (the file itself, or a program that copies the copybook). */
  program: ConfinedFile;
  analysis: Analysis;
  symbol: CobolSymbol;
  /** Absolute path of the file that declares it. */
  declaredIn: string;
}

export function findSymbol(workspace: AgentWorkspace, file: string, name: string, kinds: readonly string[]): FoundSymbol {
  const target = workspace.files.resolve(file);
  const upper = name.toUpperCase();
  const candidates = isCopybookPath(target.absolute) ? workspace.programsCopying(target.absolute) : [target];
  if (candidates.length === 0) throw new TaskRefused(`No program in the workspace copies ${target.relative}, so its names cannot be resolved.`);
  for (const program of candidates) {
    const analysis = workspace.analyse(program);
    const found = analysis.model.programs.flatMap((model) => model.byName.get(upper) ?? []).filter((symbol) => kinds.includes(symbol.kind));
    const inTarget = found.filter((symbol) => analysis.files[symbol.declaration.file]?.id === target.absolute);
    const matches = inTarget.length > 0 ? inTarget : isCopybookPath(target.absolute) ? [] : found;
    if (matches.length > 1) {
      const lines = matches.map((symbol) => symbol.declaration.range.start.line + 1).join(', ');
      throw new TaskRefused(`${upper} is declared ${matches.length} times in ${program.relative} (lines ${lines}); qualify it by renaming in the editor.`);
    }
    if (matches.length === 1) {
      const symbol = matches[0];
      return { program, analysis, symbol, declaredIn: analysis.files[symbol.declaration.file]?.id ?? program.absolute };
    }
  }
  throw new TaskRefused(`${upper} (${kinds.join(' or ')}) is not declared in ${target.relative}.`);
}
