/**
 * `cobolAssist/inlineCompletion` over the completion engine, with the LSP
 * request's cancellation as the engine's abort signal; `completionEvent`
 * and `completionStatistics` over the local metrics store (a JSON file in
 * the extension's storage folder, from the client's initialization options).
 * A failure answers "no suggestion" and is logged; it never reaches the user.
 */
import { join } from 'node:path';
import type { CancellationToken, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionEngine, CompletionMetrics } from '../completion';
import type { ModelHost } from '../model/modelHost';
import { completionEventNotification, completionStatisticsRequest, type InlineCompletionAnswer, inlineCompletionRequest } from '../protocol';
import type { Workspace } from '../workspace';
import type { UriMapper } from './uris';

export interface InlineCompletionService {
  engine: CompletionEngine;
  /** Call from `onInitialize` with the client's initialization options. */
  initialize(options: unknown): void;
  dispose(): void;
}

export function registerInlineCompletion(connection: Connection, documents: TextDocuments<TextDocument>, workspace: Workspace, uris: UriMapper, host: ModelHost): InlineCompletionService {
  let metrics = new CompletionMetrics(undefined);
  const engine = new CompletionEngine({
    workspace,
    model: host,
    onOutcome: (outcome, input) => metrics.outcome(outcome, input.trigger),
  });
  let lastModel = '';
  connection.onRequest(inlineCompletionRequest, async (params, token: CancellationToken): Promise<InlineCompletionAnswer> => {
    const started = performance.now();
    const empty = (reason: string): InlineCompletionAnswer => ({ id: '', text: '', reason, model: host.status.modelId, source: 'none', latencyMs: Math.round(performance.now() - started), stages: {} });
    try {
      const document = documents.get(params.textDocument.uri);
      if (!document) return empty('document not open');
      if (host.status.modelId !== lastModel) {
        lastModel = host.status.modelId;
        engine.clearCache();
      }
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        let text = document.getText();
        let offset = document.offsetAt(params.position);
        let character = params.position.character;
        const selected = params.selectedCompletion;
        if (selected && selected.replaceFromCharacter >= 0 && selected.replaceFromCharacter <= character && !/[\r\n]/.test(selected.text)) {
          // Complete as if the suggest widget's item were already inserted.
          const from = offset - (character - selected.replaceFromCharacter);
          text = text.slice(0, from) + selected.text + text.slice(offset);
          offset = from + selected.text.length;
          character = selected.replaceFromCharacter + selected.text.length;
        }
        const outcome = await engine.complete({
          id: uris.toId(document.uri),
          text,
          offset,
          line: params.position.line,
          character,
          trigger: params.trigger === 'manual' ? 'manual' : 'automatic',
          signal: controller.signal,
        });
        return {
          id: outcome.id,
          text: outcome.text,
          ...(outcome.reason ? { reason: outcome.reason } : {}),
          model: outcome.model,
          source: outcome.source,
          latencyMs: outcome.latencyMs,
          stages: { ...outcome.stages },
        };
      } finally {
        subscription.dispose();
      }
    } catch (error) {
      connection.console.error(`Inline completion failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return empty('internal error (see the log)');
    }
  });
  connection.onNotification(completionEventNotification, (event) => {
    try {
      metrics.event(event);
    } catch {
      // metrics are best effort
    }
  });
  connection.onRequest(completionStatisticsRequest, () => metrics.statistics());
  return {
    engine,
    initialize(options) {
      const storage = (options && typeof options === 'object' ? (options as { storagePath?: unknown }).storagePath : undefined);
      if (typeof storage === 'string' && storage !== '') metrics = new CompletionMetrics(join(storage, 'completion-metrics.json'));
    },
    dispose: () => metrics.flush(),
  };
}
