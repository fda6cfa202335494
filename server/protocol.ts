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
