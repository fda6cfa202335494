/**
 * Restore: the change that puts back exactly the files a task snapshotted
 * before writing, as one more WorkspaceEdit for the refactor preview. Files
 * the task did not write (untracked ones included) are never touched, and
 * nothing is deleted; the snapshot's list is read as data and confined again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ActivityLog } from './activityLog';
import type { AgentWorkspace } from './agentWorkspace';
import { type ProposedChange, TaskRefused } from './proposedChange';

export function restoreChange(log: ActivityLog, workspace: AgentWorkspace, taskId: string): ProposedChange {
  const folder = log.snapshotFolder(taskId);
  let listed: { file: string }[];
  try {
    listed = JSON.parse(fs.readFileSync(path.join(folder, 'files.json'), 'utf8')) as { file: string }[];
  } catch {
    throw new TaskRefused(`Task ${taskId} wrote no files, so there is nothing to restore.`);
  }
  const change: ProposedChange = { summary: `Restore ${listed.length} file(s) written by task ${taskId}`, files: [], undecided: [], affectedPrograms: [] };
  for (const entry of listed) {
    const file = workspace.files.resolve(String(entry.file));
    const saved = fs.readFileSync(path.join(folder, ...file.relative.split('/')), 'utf8');
    const current = workspace.textOfAbsolute(file.absolute) ?? '';
    if (current === saved) continue;
    const lines = current.split('\n');
    change.files.push({ file: file.relative, absolute: file.absolute, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } }, newText: saved }] });
  }
  return change;
}
