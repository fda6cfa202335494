/// <reference lib="dom" />
/**
 * The agent panel's page (runs in the webview, bundled to dist/agentPanel.js):
 * goal, plan (steps with tool and privilege, files, estimated model calls and
 * cost), Approve / Reject / Stop, the live activity log, the result and the
 * preference notes. Built from @vscode-elements/elements, so it follows VS
 * Code's theme; every control is a focusable element reachable with Tab, and
 * Alt+A / Alt+R / Alt+S approve, reject and stop. All state comes from the
 * extension (`reset` on every load), so hiding and reopening the panel
 * restores it exactly.
 */
import '@vscode-elements/elements/dist/bundled.js';
import type { AgentEvent, PlanView, PreferenceNote, TaskState } from '../../server/agentProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export type PanelMessage =
  | { type: 'reset'; events: AgentEvent[]; notes: PreferenceNote[] }
  | { type: 'event'; event: AgentEvent }
  | { type: 'notes'; notes: PreferenceNote[] }
  | { type: 'notice'; text: string };

const vscode = acquireVsCodeApi();
let events: AgentEvent[] = [];
let notes: PreferenceNote[] = [];

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (tag: string, content: string, className?: string) => {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
};

function currentState(): TaskState | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event.type === 'state') return event.state;
  }
  return undefined;
}

function latestPlan(): PlanView | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event.type === 'plan') return event.plan;
  }
  return undefined;
}

function describe(event: AgentEvent): string {
  switch (event.type) {
    case 'goal':
      return `Goal: ${event.text}`;
    case 'state':
      return `State: ${event.state}${event.message ? ` — ${event.message}` : ''}`;
    case 'plan':
      return `Plan${event.plan.revision ? ` (revision ${event.plan.revision})` : ''}: ${event.plan.steps.length} steps, ${event.plan.files.length} file(s)`;
    case 'decision':
      return `Decision: ${event.decision}`;
    case 'toolCall':
      return `Step ${event.step}: ${event.tool} [${event.privilege}] ${JSON.stringify(event.args)}`;
    case 'toolResult':
      return `Step ${event.step} ${event.ok ? 'done' : 'FAILED'} (${event.ms} ms): ${event.summary}`;
    case 'modelCall':
      return `Model ${event.model} (${event.purpose}): ${event.promptTokens}+${event.completionTokens} tokens, ${event.ms} ms, $${event.costUsd.toFixed(4)}${event.ok ? '' : ` — failed: ${event.error ?? ''}`}`;
    case 'question':
      return `Question: ${event.text}`;
    case 'snapshot':
      return `Snapshot of ${event.files.join(', ')}`;
    case 'edit':
      return `Edit ${event.applied ? 'applied' : 'not applied'}: ${event.summary}${event.reason ? ` (${event.reason})` : ''}`;
    case 'error':
      return `Error: ${event.message}`;
    case 'result':
      return `Result: ${event.summary}; files ${event.filesTouched.join(', ') || 'none'}; compiles ${event.compiles ?? 'n/a'}; output same ${event.outputSame ?? 'n/a'}; ${event.wallMs} ms`;
  }
}

function renderPlan(plan: PlanView | undefined): void {
  const section = byId('plan');
  section.replaceChildren();
  if (!plan) {
    section.append(text('p', 'No plan yet.', 'muted'));
    return;
  }
  const table = document.createElement('vscode-table');
  table.setAttribute('zebra', '');
  table.setAttribute('bordered-rows', '');
  table.setAttribute('columns', JSON.stringify(['40px', '160px', '90px', 'auto']));
  const header = document.createElement('vscode-table-header');
  for (const title of ['#', 'Tool', 'Privilege', 'Why']) header.append(text('vscode-table-header-cell', title));
  const body = document.createElement('vscode-table-body');
  body.setAttribute('slot', 'body');
  plan.steps.forEach((step, i) => {
    const row = document.createElement('vscode-table-row');
    row.className = 'plan-step';
    row.append(text('vscode-table-cell', String(i + 1)), text('vscode-table-cell', step.tool), text('vscode-table-cell', step.privilege), text('vscode-table-cell', step.why));
    body.append(row);
  });
  table.append(header, body);
  section.append(table);
  const files = text('p', `Files it may change: ${plan.files.join(', ') || 'none'}`);
  files.id = 'plan-files';
  section.append(files);
  section.append(text('p', `Model calls: ${plan.estimatedModelCalls} to run (estimated $${plan.estimatedCostUsd.toFixed(2)}); ${plan.planningModelCalls} made to plan ($${plan.planningCostUsd.toFixed(4)}).`));
  if (plan.undecided.length) {
    section.append(text('h3', 'Left for you to decide'));
    const list = document.createElement('ul');
    for (const item of plan.undecided) list.append(text('li', item));
    section.append(list);
  }
}

function render(): void {
  const goal = events.find((event) => event.type === 'goal');
  byId('goal').textContent = goal && goal.type === 'goal' ? goal.text : 'No task yet. Start one from the command palette (COBOL Assist: Agent …).';
  const state = currentState();
  byId('state').textContent = state ?? 'idle';
  renderPlan(latestPlan());
  const waitingApproval = state === 'awaitingApproval';
  const waitingDecision = state === 'awaitingDecision';
  const running = state !== undefined && !['done', 'rejected', 'stopped', 'failed'].includes(state);
  setEnabled('approve', waitingApproval);
  setEnabled('reject', waitingApproval);
  setEnabled('continue', waitingDecision);
  setEnabled('stop', running);
  const log = byId('log');
  log.replaceChildren(...events.map((event) => {
    const item = text('li', `${event.time.slice(11, 19)}  ${describe(event)}`, `event event-${event.type}`);
    return item;
  }));
  log.scrollTop = log.scrollHeight;
  const result = [...events].reverse().find((event) => event.type === 'result');
  byId('result').textContent = result && result.type === 'result' ? describe(result) : '';
  renderNotes();
}

function setEnabled(id: string, enabled: boolean): void {
  const button = byId(id);
  if (enabled) button.removeAttribute('disabled');
  else button.setAttribute('disabled', '');
}

function renderNotes(): void {
  const list = byId('notes');
  list.replaceChildren();
  for (const note of notes) {
    const item = document.createElement('li');
    const field = document.createElement('vscode-textfield') as HTMLElement & { value: string };
    field.setAttribute('value', note.text);
    field.setAttribute('aria-label', 'Preference note');
    const save = text('vscode-button', 'Save');
    save.setAttribute('secondary', '');
    save.addEventListener('click', () => vscode.postMessage({ type: 'notes', action: 'edit', id: note.id, text: field.value }));
    const remove = text('vscode-button', 'Delete');
    remove.setAttribute('secondary', '');
    remove.addEventListener('click', () => vscode.postMessage({ type: 'notes', action: 'delete', id: note.id }));
    item.append(field, save, remove);
    list.append(item);
  }
}

function decide(decision: 'approve' | 'reject' | 'stop' | 'continue'): void {
  const button = byId(decision);
  if (button.hasAttribute('disabled')) return;
  vscode.postMessage({ type: 'decide', decision });
}

window.addEventListener('message', (message: MessageEvent<PanelMessage>) => {
  const data = message.data;
  if (data.type === 'reset') {
    events = data.events;
    notes = data.notes;
  } else if (data.type === 'event') {
    if (data.event.seq === 0 || events[0]?.taskId !== data.event.taskId) events = [];
    events.push(data.event);
  } else if (data.type === 'notes') {
    notes = data.notes;
  } else if (data.type === 'notice') {
    byId('notice').textContent = data.text;
  }
  render();
});

for (const decision of ['approve', 'reject', 'stop', 'continue'] as const) byId(decision).addEventListener('click', () => decide(decision));
window.addEventListener('keydown', (event) => {
  if (!event.altKey) return;
  const key = event.key.toLowerCase();
  const decision = key === 'a' ? 'approve' : key === 'r' ? 'reject' : key === 's' ? 'stop' : key === 'c' ? 'continue' : undefined;
  if (decision) {
    event.preventDefault();
    decide(decision);
  }
});
byId('add-note').addEventListener('click', () => {
  const field = byId<HTMLElement & { value: string }>('new-note');
  if (!field.value.trim()) return;
  vscode.postMessage({ type: 'notes', action: 'add', text: field.value });
  field.value = '';
});
byId('past-tasks').addEventListener('click', () => vscode.postMessage({ type: 'command', command: 'cobolAssist.agent.pastTasks' }));
byId('export-log').addEventListener('click', () => vscode.postMessage({ type: 'command', command: 'cobolAssist.agent.exportLog' }));
byId('restore').addEventListener('click', () => vscode.postMessage({ type: 'command', command: 'cobolAssist.agent.restore' }));
vscode.postMessage({ type: 'ready' });
