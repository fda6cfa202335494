/**
 * A change the agent proposes: text edits per workspace file, never written
 * by the tool that made them. Only the engine's apply step turns an approved
 * change into one WorkspaceEdit for the editor's refactor preview.
 */
import type { Range } from '../cobol';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface FileChange {
  /** Path relative to its workspace root. */
  file: string;
  absolute: string;
  edits: TextEdit[];
}

export interface ProposedChange {
  /** One line for the log and the preview's label. */
  summary: string;
  files: FileChange[];
  /** What the task could not decide safely and leaves to the developer. */
  undecided: string[];
  /** Programs whose compilation the change affects (they copy a changed copybook), relative paths. */
  affectedPrograms: string[];
}

export class TaskRefused extends Error {}

/** Merges the changes of several steps; two steps editing the same range are refused. */
export function mergeChanges(changes: readonly ProposedChange[]): ProposedChange {
  const files = new Map<string, FileChange>();
  for (const change of changes) {
    for (const file of change.files) {
      const existing = files.get(file.absolute);
      if (!existing) {
        files.set(file.absolute, { ...file, edits: [...file.edits] });
        continue;
      }
      for (const edit of file.edits) {
        if (existing.edits.some((other) => overlaps(other.range, edit.range))) {
          throw new TaskRefused(`Two steps edit the same text in ${file.file} (line ${edit.range.start.line + 1}); run them as separate tasks.`);
        }
        existing.edits.push(edit);
      }
    }
  }
  return {
    summary: changes.map((change) => change.summary).join('; '),
    files: [...files.values()],
    undecided: changes.flatMap((change) => change.undecided),
    affectedPrograms: [...new Set(changes.flatMap((change) => change.affectedPrograms))],
  };
}

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** Applies edits to a text (for shadow copies and tests); edits must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (position: Range['start']) => {
    if (position.line >= lineStarts.length) return text.length;
    return Math.min(text.length, lineStarts[position.line] + position.character);
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}
