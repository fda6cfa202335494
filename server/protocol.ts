/**
 * Custom messages between the extension (client) and the language server.
 *
 * The one module both sides import: every message LSP lacks is defined here once,
 * with its method name, its payload types and the direction it travels.
 * It depends on nothing but vscode-languageserver-protocol types, so the
 * extension can import it without pulling in the server.
 */
import { NotificationType, type Position, type Range, RequestType, RequestType0, type TextEdit } from 'vscode-languageserver-protocol';

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

/** The router and the remote model, as the status bar shows them. */
export interface RouteStatus {
  mode: 'local' | 'auto' | 'remote';
  /** off: no endpoint set; unknown: not asked yet; failing: the last request failed (see `message`). */
  remote: 'off' | 'unknown' | 'ok' | 'failing';
  /** Which model gave the current suggestion (null before the first one). */
  lastSource: 'local' | 'remote' | null;
  /** One line for the tooltip and the log; never a key. */
  message: string;
}

/** server -> client: the route of the latest suggestion, or the remote's health, changed. */
export const routeStatusNotification = new NotificationType<RouteStatus>('cobolAssist/routeStatus');

/** What the router did since the server started (the statistics command). */
export interface RouterStatistics {
  requests: number;
  routedRemote: number;
  /** routedRemote / requests. */
  remoteShare: number;
  /** Routed requests whose remote answer was shown. */
  remoteAnswered: number;
  /** Routed requests that fell back to the local answer (failure, timeout, empty). */
  fallbacks: number;
  /** In the currency of `cobolAssist.remote.pricePer1kTokens`. */
  remoteCost: number;
  meanAddedLatencyMs: number;
  medianAddedLatencyMs: number;
}

/** client -> server: the router's statistics and status now. */
export const routerStatisticsRequest = new RequestType0<RouterStatistics & { status: RouteStatus }, void>('cobolAssist/routerStatistics');

/**
 * Not a message: the environment variable that carries the remote API key
 * (from VS Code SecretStorage) into the server process at start. Keys never
 * travel as LSP messages, which traces log.
 */
export const remoteApiKeyEnvironmentVariable = 'COBOL_ASSIST_REMOTE_API_KEY';

/** client -> server: the inline suggestion (ghost text) at a position. */
export interface InlineCompletionParams {
  textDocument: { uri: string };
  /** Zero-based line and UTF-16 column of the cursor. */
  position: { line: number; character: number };
  /** `automatic` while typing, `manual` from the trigger command (skips the "long text right of the cursor" rule). */
  trigger: 'automatic' | 'manual';
  /**
   * The item selected in the editor's suggest widget, which replaces the line from
   * `replaceFromCharacter` to the cursor: the suggestion is made as if it were
   * inserted, and must then start with it (VS Code shows only ghost text that
   * extends the selected item).
   */
  selectedCompletion?: { text: string; replaceFromCharacter: number };
}

export interface InlineCompletionAnswer {
  /** Identifies the suggestion in `cobolAssist/completionEvent`. */
  id: string;
  /** Text to insert at the position, lines separated by \n; '' for no suggestion. */
  text: string;
  /** Why there is no suggestion (trigger rule, no model, rejected, cancelled…). */
  reason?: string;
  model: string;
  source: 'model' | 'document' | 'cache' | 'typingAlong' | 'router' | 'none';
  latencyMs: number;
  /** Milliseconds per pipeline stage, and prompt figures. */
  stages: Record<string, number>;
}

export const inlineCompletionRequest = new RequestType<InlineCompletionParams, InlineCompletionAnswer, void>('cobolAssist/inlineCompletion');

/** client -> server: what happened to a suggestion (metrics, stored locally only). */
export interface CompletionEvent {
  id: string;
  kind: 'shown' | 'accepted' | 'rejected' | 'retained';
  /** accepted: characters inserted; retained: accepted characters still in the document 30 s later. */
  characters?: number;
}

export const completionEventNotification = new NotificationType<CompletionEvent>('cobolAssist/completionEvent');

/** client -> server: the completion statistics ("COBOL Assist: Show Completion Statistics"). */
export interface CompletionStatisticsAnswer {
  suggestions: number;
  shown: number;
  accepted: number;
  rejected: number;
  acceptRate: number;
  acceptedCharacters: number;
  retainedCharacters: number;
  retainedShare: number;
  cacheHits: number;
  /** Suggestions whose line came from elsewhere in the document rather than from the model. */
  fromDocument: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  stageP50Ms: Record<string, number>;
  byModel: Record<string, number>;
  noSuggestionReasons: Record<string, number>;
  since: number | null;
}

export const completionStatisticsRequest = new RequestType0<CompletionStatisticsAnswer, void>('cobolAssist/completionStatistics');

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

/** A user's edit of a document: its range before the edit and the text it inserted. */
export interface UserEdit {
  range: Range;
  text: string;
}

export interface LayoutAfterEditParams {
  uri: string;
  /** The document's version after the edit; the server answers null when it holds another one. */
  version: number;
  change: UserEdit;
}

export interface LayoutAfterEditResult {
  edits: TextEdit[];
  /** Where the cursor belongs after the edits (after Enter). */
  cursor?: Position;
  /** Said to the user: a line now runs past column 72. */
  message?: string;
}

/** client -> server: after the user typed, deleted, pasted or pressed Enter, the edits that keep the fixed-format columns. */
export const layoutAfterEditRequest = new RequestType<LayoutAfterEditParams, LayoutAfterEditResult | null, void>('cobolAssist/layoutAfterEdit');

export interface ToggleCommentParams {
  uri: string;
  version: number;
  /** Zero-based lines, inclusive. */
  startLine: number;
  endLine: number;
}

/** client -> server: toggle line comment as fixed format does it (`*` in column 7); null means free format, where the editor's own `*>` comment applies. */
export const toggleCommentRequest = new RequestType<ToggleCommentParams, TextEdit[] | null, void>('cobolAssist/toggleComment');

export interface SourceFormatParams {
  uri: string;
}

export interface SourceFormatResult {
  /** Zero-based line ranges (inclusive) read in fixed format; empty for a free-format document. */
  fixedLines: { start: number; end: number }[];
}

/** client -> server: which lines of a document are fixed format, for the column guides the extension draws there only. */
export const sourceFormatRequest = new RequestType<SourceFormatParams, SourceFormatResult | null, void>('cobolAssist/sourceFormat');
