/**
 * The model scheduler: the one way into a model backend, in two lanes.
 *
 *   const scheduler = new ModelScheduler(() => host.backend);
 *   scheduler.run({ prefix, suffix, maxTokens, timeBudgetMs, lane: 'inline' });
 *   scheduler.run({ ..., lane: 'background' });   // router, agent, benchmarks
 *
 * - `inline` (the default) is latest-wins: a new request cancels the one in
 *   flight (it stops within one token or prompt chunk) and any that has not
 *   reached the model yet is answered `stopReason: 'cancelled'` without a
 *   model call. A burst of keystrokes therefore starts at most the first and
 *   the last generation and leaves no backlog.
 * - `background` is first-in, first-out and never cancelled by inline work.
 *   It runs on the backend's other lane (the local backend's second context
 *   sequence), so it neither wipes the inline KV cache nor waits behind it.
 * - A cancelled or superseded request resolves, never rejects; the only
 *   rejections are the backend's `ModelError`s (`notReady` when none is loaded).
 */
import type { CompletionRequest, CompletionResult, ModelBackend, ModelLane } from './backend';
import { ModelError } from './errors';

export interface SchedulerCounters {
  /** Requests that reached the backend, per lane. */
  started: Record<ModelLane, number>;
  /** Inline requests answered `cancelled` before reaching the backend (superseded while waiting). */
  skipped: number;
}

export class ModelScheduler {
  private readonly queues: Record<ModelLane, Promise<unknown>> = { inline: Promise.resolve(), background: Promise.resolve() };
  private inlineTicket = 0;
  private inlineController: AbortController | undefined;
  readonly counters: SchedulerCounters = { started: { inline: 0, background: 0 }, skipped: 0 };

  constructor(private readonly backend: () => ModelBackend | undefined, private readonly notReadyMessage: () => string = () => 'No model is ready.') {}

  run(request: CompletionRequest): Promise<CompletionResult> {
    return (request.lane ?? 'inline') === 'inline' ? this.inline(request) : this.background(request);
  }

  /** Cancels the inline request in flight, if any (the editor moved on). */
  cancelInline(): void {
    this.inlineTicket++;
    this.inlineController?.abort();
  }

  private inline(request: CompletionRequest): Promise<CompletionResult> {
    this.cancelInline();
    const ticket = this.inlineTicket;
    const controller = new AbortController();
    this.inlineController = controller;
    const unlink = link(request.signal, controller);
    const run = this.queues.inline.then(() => {
      if (ticket !== this.inlineTicket || controller.signal.aborted) {
        this.counters.skipped++;
        return cancelled();
      }
      return this.call({ ...request, lane: 'inline', signal: controller.signal });
    }).finally(unlink);
    this.queues.inline = run.catch(() => undefined);
    return run;
  }

  private background(request: CompletionRequest): Promise<CompletionResult> {
    const run = this.queues.background.then(() =>
      request.signal?.aborted ? cancelled() : this.call({ ...request, lane: 'background' }));
    this.queues.background = run.catch(() => undefined);
    return run;
  }

  private call(request: CompletionRequest & { lane: ModelLane }): Promise<CompletionResult> {
    const backend = this.backend();
    if (!backend) return Promise.reject(new ModelError('notReady', this.notReadyMessage()));
    this.counters.started[request.lane]++;
    return backend.complete(request);
  }
}

/** A request that never reached the model. */
function cancelled(): CompletionResult {
  return { text: '', tokenProbabilities: [], stopReason: 'cancelled', prefixTruncated: false, timings: { promptTokens: 0, reusedTokens: 0, timeToFirstTokenMs: 0, totalMs: 0 } };
}

/** Aborts `controller` when `signal` aborts; returns the function that removes the link. */
function link(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    controller.abort();
    return () => {};
  }
  const abort = () => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  return () => signal.removeEventListener('abort', abort);
}
