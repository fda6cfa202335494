/**
 * Custom messages between the extension (client) and the language server.
 *
 * The one module both sides import: every message LSP lacks is defined here once,
 * with its method name, its payload types and the direction it travels.
 * It depends on nothing but vscode-languageserver-protocol types, so the
 * extension can import it without pulling in the server.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';

/** Where the server is in its life, as shown in the status bar. */
export type ServerPhase = 'starting' | 'ready' | 'error';

export interface ServerStatus {
  phase: ServerPhase;
  /** Version of the server bundle (the extension's version). */
  version: string;
  /** Milliseconds from server process start to its first `ready`. */
  startupMs: number;
  /** Documents the server holds open right now. */
  openDocuments: number;
  /** A short, user-readable reason when `phase` is `error`. */
  message?: string;
}

/** server -> client: the server's status changed. */
export const serverStatusNotification = new NotificationType<ServerStatus>('cobolAssist/serverStatus');

/** client -> server: ask for the current status (used by the status command). */
export const serverStatusRequest = new RequestType0<ServerStatus, void>('cobolAssist/serverStatus');

/** Resource figures of the server process, for benchmarks and diagnosis. */
export interface ServerStats {
  /** V8 heap in use, in MB (after a full garbage collection when `collectedGarbage`). */
  heapUsedMB: number;
  heapTotalMB: number;
  /** Resident set size of the whole process, in MB. */
  rssMB: number;
  /** Memory held outside the V8 heap (buffers), in MB. */
  externalMB: number;
  /** Whether a full collection ran first: only when asked and the process runs with --expose-gc. */
  collectedGarbage: boolean;
  openDocuments: number;
  uptimeMs: number;
}

export interface ServerStatsParams {
  /** Run a full garbage collection before measuring, if the process allows it. */
  collectGarbage?: boolean;
}

/** client -> server: the server's resource figures now. */
export const serverStatsRequest = new RequestType<ServerStatsParams | null, ServerStats, void>('cobolAssist/stats');

/** Where the model is in its life, as shown in the status bar. */
export type ModelState = 'off' | 'loading' | 'ready' | 'error';

export interface ModelStatus {
  state: ModelState;
  /** Catalogue id or file name of the configured model. */
  modelId: string;
  /** Human-readable model name, once known. */
  modelName?: string;
  /** Where it runs: cpu, cuda, vulkan, metal (once loaded). */
  device?: string;
  threads?: number;
  contextSize?: number;
  parameters?: number;
  loadMs?: number;
  /** A short, user-readable reason when `state` is `error` (or why it is `off`). */
  message?: string;
}

/** server -> client: the model's status changed. */
export const modelStatusNotification = new NotificationType<ModelStatus>('cobolAssist/modelStatus');

/** client -> server: ask for the model's current status. */
export const modelStatusRequest = new RequestType0<ModelStatus, void>('cobolAssist/modelStatus');

/**
 * The pattern for long-running, streamed, cancellable tasks with approval
 * round trips (the agent; later any task like it):
 * - `start` (client -> server) answers a task id at once, or an error (e.g. a
 *   task is already running);
 * - `event` (server -> client) streams the task's events in order (`seq`);
 * - `decide` (client -> server) answers a question the task asked (approve,
 *   reject, continue) or stops it; Stop is always accepted.
 * A task never waits on the client except for a decision, so a closed
 * window leaves it waiting, then stopped when the server shuts down.
 */
export interface LongRunningTask<Start, Event, Decision> {
  start: RequestType<Start, { taskId: string }, void>;
  event: NotificationType<Event>;
  decide: RequestType<{ taskId: string; decision: Decision }, { accepted: boolean; message?: string }, void>;
}

export function defineLongRunningTask<Start, Event, Decision>(method: string): LongRunningTask<Start, Event, Decision> {
  return {
    start: new RequestType(`${method}/start`),
    event: new NotificationType(`${method}/event`),
    decide: new RequestType(`${method}/decide`),
  };
}
