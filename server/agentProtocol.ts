/**
 * The agent's messages between the extension (panel, commands) and the
 * language server (engine), built on the long-running task pattern of
 * `protocol.ts`. Payload types only: depends on nothing but that module, so
 * the extension imports it without the server.
 */
import { defineLongRunningTask } from './protocol';
import { RequestType } from 'vscode-languageserver-protocol';

export type Goal =
  | { kind: 'rename'; file: string; name: string; newName: string }
  | { kind: 'widen'; file: string; name: string; picture: string }
  | { kind: 'extract'; file: string; fromLine: number; toLine: number; paragraph: string }
  | { kind: 'freeform'; text: string };

/** `read`: free to run; `propose`: returns an edit, writes nothing; `execute`: runs a process, only in an approved plan. */
export type Privilege = 'read' | 'propose' | 'execute';

export interface PlanStepView {
  tool: string;
  args: Record<string, unknown>;
  why: string;
  privilege: Privilege;
}

export interface PlanView {
  goal: string;
  steps: PlanStepView[];
  /** Files the approved change may write (relative paths); nothing else is ever written. */
  files: string[];
  /** Model calls the plan itself will make and their estimated cost (0 for built-in tasks). */
  estimatedModelCalls: number;
  estimatedCostUsd: number;
  /** Model calls and cost spent making the plan. */
  planningModelCalls: number;
  planningCostUsd: number;
  /** What the task cannot decide safely; listed for the developer. */
  undecided: string[];
  /** Goes up when the plan changes during execution and is asked for again. */
  revision: number;
}

export type TaskState = 'planning' | 'awaitingApproval' | 'executing' | 'awaitingDecision' | 'applying' | 'done' | 'rejected' | 'stopped' | 'failed';

export const terminalStates: readonly TaskState[] = ['done', 'rejected', 'stopped', 'failed'];

interface EventBase {
  taskId: string;
  seq: number;
  /** ISO time. */
  time: string;
}

export type AgentEvent = EventBase &
  (
    | { type: 'goal'; text: string; goal: Goal }
    | { type: 'state'; state: TaskState; message?: string }
    | { type: 'plan'; plan: PlanView }
    | { type: 'decision'; decision: AgentDecision; revision?: number }
    | { type: 'toolCall'; step: number; tool: string; privilege: Privilege; args: Record<string, unknown> }
    | { type: 'toolResult'; step: number; tool: string; ok: boolean; summary: string; ms: number }
    | { type: 'modelCall'; model: string; purpose: string; promptTokens: number; completionTokens: number; ms: number; costUsd: number; ok: boolean; error?: string }
    | { type: 'question'; text: string }
    | { type: 'snapshot'; files: string[]; folder: string }
    | { type: 'edit'; files: { file: string; edits: number }[]; summary: string; applied: boolean; reason?: string }
    | { type: 'error'; message: string }
    | { type: 'result'; summary: string; filesTouched: string[]; compiles: boolean | null; outputSame: boolean | null; undecided: string[]; wallMs: number }
  );

export type AgentDecision = 'approve' | 'reject' | 'stop' | 'continue';

export interface TaskSummary {
  taskId: string;
  goal: string;
  startedAt: string;
  /** The last state logged; `interrupted` when the log ends before a final state (VS Code closed mid-task). */
  state: TaskState | 'interrupted';
  events: number;
}

export interface PreferenceNote {
  id: string;
  text: string;
  created: string;
}

export interface AgentStartParams {
  goal: Goal;
  /** For free-form goals with a remote planner: the API key from SecretStorage (never logged or stored by the server). */
  plannerApiKey?: string;
}

/** The agent task as one long-running task: start, stream of events, decisions (approve, reject, stop, continue). */
export const agentTask = defineLongRunningTask<AgentStartParams, AgentEvent, AgentDecision>('cobolAssist/agent');

/** client -> server: past tasks (newest first) and one task's full log. */
export const agentTasksRequest = new RequestType<{ taskId?: string }, { tasks: TaskSummary[]; events: AgentEvent[] }, void>('cobolAssist/agent/tasks');

/** client -> server: list, add, edit or delete preference notes; answers the notes after the change. */
export const agentPreferencesRequest = new RequestType<
  { action: 'list' } | { action: 'add'; text: string } | { action: 'edit'; id: string; text: string } | { action: 'delete'; id: string },
  PreferenceNote[],
  void
>('cobolAssist/agent/preferences');

/** client -> server: put back the files a task snapshotted before writing (through one more refactor preview). */
export const agentRestoreRequest = new RequestType<{ taskId: string }, { restored: string[]; message: string }, void>('cobolAssist/agent/restore');

/** One file's edits in an agent change, as the editor applies them. */
export interface AgentFileEdit {
  uri: string;
  /** Workspace-relative path, for labels. */
  file: string;
  edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[];
}

/**
 * server -> client: show this change in the refactor preview (every entry
 * needs confirmation), apply it if the user accepts, and save the files it
 * changed that had no unsaved edits before. Answers whether it was applied.
 */
export const agentApplyEditRequest = new RequestType<{ label: string; files: AgentFileEdit[] }, { applied: boolean; reason?: string }, void>('cobolAssist/agent/applyEdit');
