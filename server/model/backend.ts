/**
 * The one interface every model backend implements: the local model hosted
 * by node-llama-cpp today, an OpenAI-compatible remote endpoint later
 * (design.md: "local and remote behind one interface").
 *
 * Callers speak in text (prefix before the cursor, suffix after it); how a
 * backend turns that into tokens, prompts and caches is its own business.
 */

/** Where a backend runs its arithmetic; `remote` for a backend behind HTTP. */
export type ModelDevice = 'cpu' | 'cuda' | 'vulkan' | 'metal' | 'remote';

/**
 * Which stream of work a request belongs to. `inline` is the editor's ghost
 * text (latest wins, see scheduler.ts); `background` is everything else (the
 * router's and the agent's calls, benchmark runs). A backend with a prompt
 * cache keeps one per lane, so background work never wipes the inline cache.
 */
export type ModelLane = 'inline' | 'background';

/** What a loaded backend tells the status bar and the logs. */
export interface ModelInfo {
  id: string;
  name: string;
  device: ModelDevice;
  /** Tokens the model sees at once (per lane). */
  contextSize: number;
  /** Whether the model has fill-in-the-middle tokens (else it continues the prefix only). */
  fim: boolean;
  threads?: number;
  parameters?: number;
  bytes?: number;
  architecture?: string;
  loadMs?: number;
  /** Settings changed to fit the machine or the model, each a sentence for the user. */
  adjustments?: string[];
}

export interface CompletionRequest {
  /** Text before the cursor (the whole document up to it is fine: the backend trims it to fit). */
  prefix: string;
  /** Text after the cursor; empty for prefix-only completion. */
  suffix: string;
  /** Stop after this many generated tokens. */
  maxTokens: number;
  /** Stop (cleanly, returning what was generated) after this many milliseconds. */
  timeBudgetMs: number;
  /** Stop when the completion contains one of these strings; the text is cut before it. */
  stop?: string[];
  /** Cancels the generation: it ends with `stopReason: 'cancelled'`, never with an exception. */
  signal?: AbortSignal;
  /** The lane it runs in (default `inline`). */
  lane?: ModelLane;
  /**
   * Text placed before the fitted prefix, as if it were part of the file
   * (declarations the prefix no longer shows): whole lines, best first, at
   * most `contextTokens` tokens. A backend without a prompt of its own may
   * send it as it likes.
   */
  context?: string;
  contextTokens?: number;
  /**
   * Name-aware decoding: the names in scope at the cursor (upper case). While
   * the model writes a word that starts one of them (and no reserved word),
   * its choices are narrowed to tokens that keep it a prefix of one of them.
   */
  names?: readonly string[];
  /**
   * The prefix ends with a whole word the caller wrote (a declaration's name,
   * server/completion/declarationNames.ts): the text starts by ending it (a
   * blank, a period), never by making the word longer.
   */
  wordComplete?: boolean;
  /** Stop once the line being written runs past this many characters (fixed format: 72); the text is kept, the caller cuts it. */
  stopAfterColumn?: number;
  /** Names are not enforced for a word starting at or after this column (0-based) of its line: fixed format's columns 73-80. */
  namesBeforeColumn?: number;
  /**
   * Constrains the text to JSON that matches this schema (the local backend
   * uses node-llama-cpp's JSON-schema grammar; the agent's planner). The
   * caller still validates what comes back.
   */
  jsonSchema?: object;
}

export type StopReason = 'eog' | 'maxTokens' | 'stopString' | 'timeBudget' | 'cancelled';

export interface CompletionTimings {
  /** Tokens of the prompt actually sent to the model. */
  promptTokens: number;
  /** Prompt tokens that were already in the KV cache from the previous request. */
  reusedTokens: number;
  /** Milliseconds from the call to the first generated token (0 when none was generated). */
  timeToFirstTokenMs: number;
  /** Milliseconds for the whole call. */
  totalMs: number;
}

export interface CompletionResult {
  /** The completion to insert at the cursor. */
  text: string;
  /** Generated tokens, and the model's probability for each (in order); a router feature. */
  tokenProbabilities: number[];
  stopReason: StopReason;
  /** True when the prefix had to be cut from the left to fit the context. */
  prefixTruncated: boolean;
  timings: CompletionTimings;
}

export interface ModelBackend {
  /** A stable id for logs and the status bar (catalogue id or file name). */
  readonly id: string;
  readonly device: ModelDevice;
  readonly info: ModelInfo;
  /** Generates one completion. Rejects only with a `ModelError` (never for a cancellation). */
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /** Frees the model; later calls reject with `ModelError('disposed')`. */
  dispose(): Promise<void>;
}
