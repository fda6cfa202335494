/**
 * The router behind the completion engine's routing hook (server/completion
 * engine.ts `CompletionRouter`): the engine has generated and checked the
 * local answer; the router scores it and may ask the remote model, whose
 * text the engine then shapes like its own.
 */
import type { RoutingCandidate } from '../completion';
import type { CompletionRouter, RoutedCompletion } from './router';

export interface EngineRouting {
  routed: RoutedCompletion;
  /** What the engine shows instead of the local text; undefined keeps the local one. */
  answer: { text: string; model: string } | undefined;
}

export async function routeEngineCandidate(router: CompletionRouter, candidate: RoutingCandidate, signal: AbortSignal | undefined, remote: { timeoutMs: number; model: string }): Promise<EngineRouting> {
  // The local answer exists already; the remote gets its own timeout (the suggestion waits at most that long more).
  const routed = await router.afterLocal({ ...candidate.request, signal }, candidate.local, { documentId: candidate.documentId, totalBudgetMs: remote.timeoutMs });
  return { routed, answer: routed.source === 'remote' ? { text: routed.result.text, model: remote.model } : undefined };
}
