/**
 * The activity log: every event of a task, one JSON object per line, in
 * `<storage>/agent/tasks/<taskId>.jsonl` (the extension's workspace
 * storage, never the workspace). Written as events happen, so a task cut
 * short (VS Code closed, server killed) keeps everything up to that moment;
 * `list` reads what is there and marks such a task `interrupted`.
 * Snapshots of the files a task writes sit beside it, for restore.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AgentEvent, TaskSummary } from './events';

export class ActivityLog {
  readonly folder: string;

  constructor(storageFolder: string) {
    this.folder = path.join(storageFolder, 'agent', 'tasks');
    fs.mkdirSync(this.folder, { recursive: true });
  }

  file(taskId: string): string {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(taskId)) throw new Error(`'${taskId}' is not a task id.`);
    return path.join(this.folder, `${taskId}.jsonl`);
  }

  append(taskId: string, event: AgentEvent): void {
    fs.appendFileSync(this.file(taskId), `${JSON.stringify(event)}\n`);
  }

  read(taskId: string): AgentEvent[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file(taskId), 'utf8');
    } catch {
      return [];
    }
    const events: AgentEvent[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        events.push(JSON.parse(line) as AgentEvent);
      } catch {
        // A line cut short by a crash: the events before it still count.
      }
    }
    return events;
  }

  /** Past tasks, newest first. */
  list(limit = 100): TaskSummary[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.folder).filter((name) => name.endsWith('.jsonl'));
    } catch {
      return [];
    }
    const summaries: TaskSummary[] = [];
    for (const name of names) {
      const taskId = name.slice(0, -'.jsonl'.length);
      const events = this.read(taskId);
      const first = events[0];
      if (!first) continue;
      const states = events.filter((event) => event.type === 'state');
      const last = states[states.length - 1];
      const finalState = last && last.type === 'state' ? last.state : 'planning';
      const terminal = ['done', 'rejected', 'stopped', 'failed'].includes(finalState);
      summaries.push({ taskId, goal: first.type === 'goal' ? first.text : taskId, startedAt: first.time, state: terminal ? finalState : 'interrupted', events: events.length });
    }
    return summaries.sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, limit);
  }

  snapshotFolder(taskId: string): string {
    return path.join(path.dirname(this.folder), 'snapshots', taskId);
  }
}
