/**
 * The remote model backend: any OpenAI-compatible endpoint (vLLM, TGI,
 * Ollama, llama.cpp server, cloud APIs, this project's `serve:model`) as a
 * second `ModelBackend`, through the `openai` client.
 *
 * Invariants:
 * - A request never outlives its budget: it is aborted at
 *   min(timeBudgetMs, timeoutMs) and ends as `stopReason: 'timeBudget'` with
 *   no text. The client never retries on its own (a retry would overrun the
 *   budget).
 * - A 429 is honoured: no request is sent until its Retry-After has passed;
 *   meanwhile calls fail at once as `rateLimited`, without touching the network.
 * - At most `concurrency` requests are in flight; one more fails at once as
 *   `busy` (the caller shows the local answer).
 * - After a failure of the remote itself (unreachable, timeout, 5xx, a bad
 *   answer, a refused key) calls fail at once for a back-off of 1 s, doubling
 *   to 30 s, then one request tries again: a remote that is down or answers
 *   in 2 s does not make every suggestion wait for it. A success resets it.
 * - Failures reject with a `RemoteModelError` naming the failure; the API
 *   key never appears in a message (the server's own text is redacted too).
 * - `api: 'auto'` tries FIM (`/v1/completions` with `suffix`) and switches to
 *   chat for good when the endpoint refuses it.
 */
import OpenAI from 'openai';
import type { CompletionRequest, CompletionResult, ModelBackend, ModelInfo, StopReason } from '../model/backend';
import { ModelError, messageOf } from '../model/errors';
import { firstStop } from '../model/localBackend';
import { RemoteFailure, RemoteHealth } from './remoteHealth';
import { PromptLimits, buildChatMessages, cleanChatAnswer, defaultPromptLimits, prefixTail, suffixHead } from './remotePrompt';
import type { RemoteSettings } from './remoteSettings';

export interface RemoteBackendOptions extends RemoteSettings {
  /** From SecretStorage; empty for a server that needs none. */
  apiKey: string;
  promptLimits?: PromptLimits;
  /** Clock for Retry-After (tests). */
  now?: () => number;
}

export interface RemoteUsage {
  api: 'completions' | 'chat';
  promptTokens: number;
  completionTokens: number;
  /** pricePer1kTokens × tokens / 1000. */
  cost: number;
}

export interface RemoteCompletionResult extends CompletionResult {
  usage: RemoteUsage;
}

export class RemoteModelError extends ModelError {
  constructor(readonly failure: RemoteFailure, message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super('generationFailed', message, options);
  }
}

/** The longest Retry-After honoured (a server asking for more is treated as down for this long). */
const maxRetryAfterMs = 5 * 60_000;
/** The wait after a 429 that names none. */
const defaultRetryAfterMs = 5_000;
/** OpenAI's limit on stop strings. */
const maxStops = 4;
/** Back-off after a failure of the remote: first wait and longest wait. */
const backoffMs = { first: 1000, max: 30_000 };
/** Failures that say the remote (not this request) is in trouble. */
const remoteFaults = new Set<RemoteFailure>(['unreachable', 'timeout', 'serverError', 'badResponse', 'auth']);

export class RemoteModelBackend implements ModelBackend {
  readonly device = 'remote' as const;
  readonly health: RemoteHealth;
  private readonly client: OpenAI;
  private readonly now: () => number;
  private inFlight = 0;
  private retryAt = 0;
  /** Consecutive failures of the remote, the back-off's end, and the failure that started it. */
  private faults = 0;
  private backoffUntil = 0;
  private lastFault: { failure: RemoteFailure; message: string } | undefined;
  private api: 'completions' | 'chat';
  /** False while `auto` has not yet seen whether the endpoint takes FIM. */
  private apiSettled: boolean;
  private disposed = false;

  constructor(private readonly options: RemoteBackendOptions) {
    if (!options.endpoint) throw new ModelError('notReady', 'No remote endpoint is set (cobolAssist.remote.endpoint).');
    this.now = options.now ?? Date.now;
    this.api = options.api === 'chat' ? 'chat' : 'completions';
    this.apiSettled = options.api !== 'auto';
    this.health = new RemoteHealth(options.model, this.now);
    this.client = new OpenAI({
      baseURL: options.endpoint,
      // The client insists on a key; a server without authentication ignores this placeholder.
      apiKey: options.apiKey || 'no-key',
      maxRetries: 0,
      timeout: options.timeoutMs,
      logLevel: 'off',
    });
  }

  get id(): string {
    return `${this.options.model}@${new URL(this.options.endpoint).host}`;
  }

  /** The remote's context size and FIM support are its own business: the prompt is cut to a character budget here. */
  get info(): ModelInfo {
    return { id: this.id, name: this.options.model, device: 'remote', contextSize: 0, fim: this.api === 'completions' };
  }

  /** The API in use now (`auto` settles on one after the first answer). */
  get currentApi(): 'completions' | 'chat' {
    return this.api;
  }

  /** Milliseconds until a 429's Retry-After has passed (0 when none is pending). */
  get retryAfterMs(): number {
    return Math.max(0, this.retryAt - this.now());
  }

  async complete(request: CompletionRequest): Promise<RemoteCompletionResult> {
    const started = performance.now();
    if (this.disposed) throw new ModelError('disposed', 'The remote backend was closed.');
    if (request.signal?.aborted) return this.result('', [], 'cancelled', started, 0, 0);
    const wait = this.retryAfterMs;
    if (wait > 0) throw new RemoteModelError('rateLimited', `The remote asked to wait; ${Math.ceil(wait / 1000)} s left.`, { retryAfterMs: wait });
    if (this.now() < this.backoffUntil && this.lastFault) {
      const wait = Math.ceil((this.backoffUntil - this.now()) / 1000);
      throw new RemoteModelError(this.lastFault.failure, `${this.lastFault.message} (next try in ${wait} s)`);
    }
    if (this.inFlight >= this.options.concurrency) {
      throw new RemoteModelError('busy', `${this.options.concurrency} remote requests are already in flight.`);
    }
    // Whole milliseconds: the openai client refuses a fractional timeout.
    const budgetMs = Math.max(1, Math.floor(Math.min(request.timeBudgetMs, this.options.timeoutMs)));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), budgetMs);
    const onCancel = () => controller.abort();
    request.signal?.addEventListener('abort', onCancel, { once: true });
    this.inFlight++;
    try {
      const answer = await this.send(request, controller.signal, budgetMs);
      const text = cut(answer.text, request.stop);
      if (text.text.trim() === '') {
        // An answer with nothing to insert: the local answer is shown instead.
        this.health.failed('empty', 'The remote returned an empty completion.');
        return this.result('', [], 'eog', started, answer.promptTokens, answer.completionTokens);
      }
      this.faults = 0;
      this.backoffUntil = 0;
      this.health.succeeded();
      return this.result(text.text, answer.probabilities, text.stopped ? 'stopString' : answer.finish, started, answer.promptTokens, answer.completionTokens);
    } catch (error) {
      if (request.signal?.aborted) return this.result('', [], 'cancelled', started, 0, 0);
      if (controller.signal.aborted) {
        this.fault('timeout', `No answer within ${budgetMs} ms.`);
        return this.result('', [], 'timeBudget', started, 0, 0);
      }
      const failure = this.classify(error);
      this.fault(failure.failure, failure.message);
      throw failure;
    } finally {
      this.inFlight--;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCancel);
    }
  }

  /**
   * Asks the endpoint for its models (`GET /models`) once, so that a wrong
   * endpoint or key shows in the status bar when it is set, not at the first
   * suggestion. Never throws; the result is the health's new state.
   */
  async probe(timeoutMs = this.options.timeoutMs): Promise<void> {
    try {
      const page = await this.client.models.list({ timeout: Math.max(1, Math.floor(timeoutMs)), maxRetries: 0 });
      const ids = ((page as unknown as { data?: Array<{ id?: unknown }> }).data ?? []).map((m) => m.id);
      if (ids.length > 0 && !ids.includes(this.options.model)) {
        this.health.failed('rejected', `The endpoint does not list the model "${this.options.model}" (it lists ${ids.slice(0, 5).join(', ')}).`);
        return;
      }
      this.faults = 0;
      this.backoffUntil = 0;
      this.health.succeeded();
    } catch (error) {
      const failure = this.classify(error);
      this.fault(failure.failure, failure.message);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }

  /** Reports a failure (once per change of state) and, for a fault of the remote, starts or extends the back-off. */
  private fault(failure: RemoteFailure, message: string): void {
    this.health.failed(failure, message);
    if (!remoteFaults.has(failure)) return;
    this.faults++;
    this.lastFault = { failure, message };
    this.backoffUntil = this.now() + Math.min(backoffMs.first * 2 ** (this.faults - 1), backoffMs.max);
  }

  private async send(request: CompletionRequest, signal: AbortSignal, timeout: number): Promise<Answer> {
    const limits = this.options.promptLimits ?? defaultPromptLimits;
    const stop = request.stop?.filter(Boolean).slice(0, maxStops);
    const requestOptions = { signal, timeout, maxRetries: 0 };
    if (this.api === 'completions') {
      try {
        const response = await this.client.completions.create({
          model: this.options.model,
          prompt: prefixTail(request.prefix, limits.prefixChars),
          ...(request.suffix ? { suffix: suffixHead(request.suffix, limits.suffixChars) } : {}),
          max_tokens: request.maxTokens,
          temperature: 0,
          ...(stop?.length ? { stop } : {}),
        }, requestOptions);
        const choice = (response as unknown as { choices?: unknown[] }).choices?.[0] as { text?: unknown; finish_reason?: unknown; logprobs?: { token_logprobs?: unknown } } | undefined;
        if (!choice || typeof choice.text !== 'string') throw new BadResponse('The answer has no choices[0].text.');
        this.apiSettled = true; // FIM works here
        const logprobs = Array.isArray(choice.logprobs?.token_logprobs) ? choice.logprobs.token_logprobs.filter((p): p is number => typeof p === 'number') : [];
        return {
          text: choice.text,
          probabilities: logprobs.map((p) => Math.exp(p)),
          finish: choice.finish_reason === 'length' ? 'maxTokens' : 'eog',
          ...usageOf(response),
        };
      } catch (error) {
        // An endpoint without FIM says so with 404 (no /completions) or 400 naming the suffix.
        if (!this.apiSettled && error instanceof OpenAI.APIError && !signal.aborted
            && (error.status === 404 || (error.status === 400 && /suffix|not supported|infill/i.test(messageOf(error))))) {
          this.api = 'chat';
          this.apiSettled = true;
        } else {
          throw error;
        }
      }
    }
    const singleLine = request.stop?.includes('\n') ?? false;
    const response = await this.client.chat.completions.create({
      model: this.options.model,
      messages: buildChatMessages(request.prefix, request.suffix, singleLine, limits),
      max_tokens: request.maxTokens,
      temperature: 0,
    }, requestOptions);
    const choice = (response as unknown as { choices?: unknown[] }).choices?.[0] as { message?: { content?: unknown }; finish_reason?: unknown } | undefined;
    const content = choice?.message?.content;
    if (typeof content !== 'string' && content !== null) throw new BadResponse('The answer has no choices[0].message.content.');
    return {
      text: cleanChatAnswer(content ?? '', request.prefix),
      probabilities: [],
      finish: choice?.finish_reason === 'length' ? 'maxTokens' : 'eog',
      ...usageOf(response),
    };
  }

  private classify(error: unknown): RemoteModelError {
    const redact = (text: string) => (this.options.apiKey ? text.split(this.options.apiKey).join('***') : text);
    const detail = redact(messageOf(error)).slice(0, 300);
    if (error instanceof BadResponse) return new RemoteModelError('badResponse', error.message);
    if (error instanceof OpenAI.APIConnectionError) {
      const cause = (error as { cause?: { code?: string; cause?: { code?: string } } }).cause;
      const code = cause?.code ?? cause?.cause?.code;
      return new RemoteModelError('unreachable', `Cannot reach ${this.options.endpoint}${code ? ` (${code})` : ''}.`);
    }
    if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
      const status = error.status;
      if (status === 429) {
        const waitMs = retryAfterMs(error.headers) ?? defaultRetryAfterMs;
        this.retryAt = this.now() + Math.min(waitMs, maxRetryAfterMs);
        return new RemoteModelError('rateLimited', `429 Too Many Requests; waiting ${Math.ceil(waitMs / 1000)} s as asked.`, { retryAfterMs: waitMs });
      }
      if (status === 401 || status === 403) {
        return new RemoteModelError('auth', `${status}: the remote refused the API key (set it with "COBOL Assist: Set Remote API Key").`);
      }
      if (status >= 500) return new RemoteModelError('serverError', `${status} from the remote: ${detail}`);
      return new RemoteModelError('rejected', `${status} from the remote: ${detail}`);
    }
    // JSON that does not parse, a body of the wrong type: the client's own errors.
    return new RemoteModelError('badResponse', `The remote's answer could not be read: ${detail}`, { cause: error });
  }

  private result(text: string, probabilities: number[], stopReason: StopReason, started: number, promptTokens: number, completionTokens: number): RemoteCompletionResult {
    const totalMs = Math.round((performance.now() - started) * 10) / 10;
    return {
      text,
      tokenProbabilities: probabilities,
      stopReason,
      prefixTruncated: false,
      timings: { promptTokens, reusedTokens: 0, timeToFirstTokenMs: text ? totalMs : 0, totalMs },
      usage: { api: this.api, promptTokens, completionTokens, cost: ((promptTokens + completionTokens) / 1000) * this.options.pricePer1kTokens },
    };
  }
}

interface Answer {
  text: string;
  probabilities: number[];
  finish: StopReason;
  promptTokens: number;
  completionTokens: number;
}

class BadResponse extends Error {}

function usageOf(response: unknown): { promptTokens: number; completionTokens: number } {
  const usage = (response as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
  const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0);
  return { promptTokens: count(usage?.prompt_tokens), completionTokens: count(usage?.completion_tokens) };
}

/** The stop strings applied again here: not every server honours `stop`. */
function cut(text: string, stops: readonly string[] | undefined): { text: string; stopped: boolean } {
  const at = firstStop(text, stops);
  return at === undefined ? { text, stopped: false } : { text: text.slice(0, at), stopped: true };
}

/** Retry-After in milliseconds: `retry-after-ms`, `retry-after` seconds, or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
