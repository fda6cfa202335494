/** An agent host for tests and the benchmark: a copied workspace, a log in a temporary folder, and an applier that writes the approved edit to disk (standing in for the editor's refactor preview). */
import * as fs from 'node:fs';
import { ActivityLog } from '../../../server/agent/activityLog';
import { AgentWorkspace } from '../../../server/agent/agentWorkspace';
import { type AgentHost, defaultBudgets, type Budgets } from '../../../server/agent/engine';
import type { AgentEvent } from '../../../server/agent/events';
import type { Planner } from '../../../server/agent/planner';
import { applyEdits, type ProposedChange } from '../../../server/agent/proposedChange';
import type { Workspace } from '../../../server/workspace';
import { temporaryFolder } from './workspaceCopy';

export interface TestHost extends AgentHost {
  events: AgentEvent[];
  applied: ProposedChange[];
  /** Resolves when an event of `type` (and state) arrives. */
  next(predicate: (event: AgentEvent) => boolean): Promise<AgentEvent>;
}

export function testHost(shared: Workspace, options: { planner?: Planner; budgets?: Partial<Budgets>; applies?: boolean } = {}): TestHost {
  const storage = temporaryFolder('agent-storage-');
  const waiters: { predicate: (event: AgentEvent) => boolean; resolve: (event: AgentEvent) => void }[] = [];
  const host: TestHost = {
    events: [],
    applied: [],
    log: new ActivityLog(storage),
    workspace: () => AgentWorkspace.open(shared),
    async applyEdit(change) {
      if (options.applies === false) return { applied: false, reason: 'discarded in the preview' };
      for (const file of change.files) fs.writeFileSync(file.absolute, applyEdits(fs.readFileSync(file.absolute, 'utf8'), file.edits));
      host.applied.push(change);
      return { applied: true };
    },
    planner: () => options.planner,
    preferences: () => [],
    budgets: () => ({ ...defaultBudgets, ...options.budgets }),
    emit(event) {
      host.events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    },
    next(predicate) {
      const seen = host.events.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ predicate, resolve }));
    },
  };
  return host;
}

export const isState = (state: string) => (event: AgentEvent) => event.type === 'state' && event.state === state;
