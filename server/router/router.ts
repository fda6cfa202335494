/**
 * The completion router: per request, the local model answers first; the
 * classifier scores that answer from the request's features (features.ts);
 * a score below the threshold sends the request to the remote model, whose
 * answer replaces the local one when it arrives in time. This is the
 * interface the completion pipeline calls (`route`); it knows no LSP.
 *
 * Invariants:
 * - A suggestion never waits past `totalBudgetMs`: the remote gets what is
 *   left of it after the local attempt, capped by its own timeout.
 * - When the remote fails, is slow, is rate-limited or answers nothing, the
 *   local answer is shown (or none); the failure is reported once through
 *   the remote's health (remoteHealth.ts), never as an error to the caller.
 * - Every decision is logged with its score, threshold and reason (the
 *   features that pulled the score down most); never the code or a key.
 * - Modes: local (never remote), auto (the classifier decides), remote
 *   (always remote; the local model runs alongside as the fallback).
 */
import type { CompletionRequest, CompletionResult, ModelBackend } from '../model/backend';
import { messageOf } from '../model/errors';
import type { RemoteCompletionResult, RemoteModelBackend } from '../remote/remoteBackend';
import { RemoteModelError } from '../remote/remoteBackend';
import type { RouterSettings } from '../remote/remoteSettings';
import { featureNames, routingFeatures } from './features';
import { frontEndErrorsOnLine } from './frontEndVerdict';
import { contributions, predict } from './logistic';
import { RouterFile, shareForBudget, thresholdForShare } from './routerFile';
import { RecentOutcomes, RouterStats } from './routerStats';

export type RouteSource = 'local' | 'remote';

export interface RouteDecision {
  route: RouteSource;
  /** The classifier's score (predicted chance the local answer is acceptable); null when it did not run. */
  score: number | null;
  threshold: number | null;
  reason: string;
}

export interface RoutedCompletion {
  /** The answer to show. */
  result: CompletionResult;
  /** Which model's answer `result` is. */
  source: RouteSource;
  decision: RouteDecision;
  /** Why the remote answer was not shown though the request was routed. */
  fallback?: string;
  /** Milliseconds the remote call added after the local answer (0 when not routed). */
  addedLatencyMs: number;
  cost: number;
}

export interface RouteOptions {
  /** The document, for the recent-rejections feature. */
  documentId: string;
  /** The whole suggestion's budget, local and remote together; default: the request's own. */
  totalBudgetMs?: number;
}

export interface RouterDependencies {
  /** The local model (in the server: the model host, through its scheduler). */
  local: Pick<ModelBackend, 'complete'>;
  /** Absent when no endpoint is set: every request stays local. */
  remote?: RemoteModelBackend;
  file: RouterFile;
  settings: RouterSettings;
  log: (line: string) => void;
  /** The front end's verdict; default: errors on the completed line (frontEndVerdict.ts). */
  verdict?: (prefix: string, completion: string, suffix: string) => number;
  /** Carried over from a router this one replaces (a settings change keeps the figures). */
  stats?: RouterStats;
  outcomes?: RecentOutcomes;
}

/** Requests seen before the cost budget is enforced from the observed cost (too few say nothing). */
const budgetWarmup = 20;
/** Scores kept, and needed, to set a target share's threshold from what this router has seen. */
const scoreWindow = 400;
const minObservedScores = 50;

/** The score below which `share` of `scores` lie. */
function observedThreshold(scores: readonly number[], share: number): number {
  if (share <= 0) return 0;
  if (share >= 1) return 1 + 1e-9;
  const sorted = [...scores].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.round(share * sorted.length))]!;
}

export class CompletionRouter {
  readonly stats: RouterStats;
  readonly outcomes: RecentOutcomes;
  /** The latest scores (a window), for turning a target share into a threshold on this user's code. */
  private readonly recentScores: number[] = [];

  constructor(private readonly deps: RouterDependencies) {
    this.stats = deps.stats ?? new RouterStats();
    this.outcomes = deps.outcomes ?? new RecentOutcomes();
  }

  /**
   * The threshold now: the target share's (or the file's), lowered to fit the
   * cost budget. A share is turned into a threshold with the scores this
   * router has seen lately once there are enough of them (a team's code
   * scores lower or higher than the calibration data, and the share the user
   * asked for should hold on it), else with the file's calibration.
   */
  get threshold(): number {
    const { file, settings } = this.deps;
    const forShare = (share: number) => (this.recentScores.length >= minObservedScores ? observedThreshold(this.recentScores, share) : thresholdForShare(file, share));
    let threshold = settings.targetRemoteShare >= 0 ? forShare(settings.targetRemoteShare) : file.threshold;
    if (settings.costBudgetPer1kRequests > 0 && this.stats.costPerRemoteRequest > 0) {
      threshold = Math.min(threshold, forShare(shareForBudget(settings.costBudgetPer1kRequests, this.stats.costPerRemoteRequest)));
    }
    return threshold;
  }

  /** Tells the router whether the user took a local suggestion (the recent-rejections feature). */
  recordOutcome(documentId: string, accepted: boolean): void {
    this.outcomes.record(documentId, accepted);
  }

  async route(request: CompletionRequest, options: RouteOptions): Promise<RoutedCompletion> {
    const started = performance.now();
    const totalBudgetMs = options.totalBudgetMs ?? request.timeBudgetMs;
    const { mode } = this.deps.settings;
    const remote = this.deps.remote;
    if (mode === 'local' || !remote) {
      const result = await this.deps.local.complete(request);
      return this.finish({ result, source: 'local', decision: { route: 'local', score: null, threshold: null, reason: remote ? 'mode local' : 'no remote endpoint set' }, addedLatencyMs: 0, cost: 0 });
    }
    if (mode === 'remote') {
      // Both at once: the local answer is ready as the fallback without adding its time.
      const localRun = this.deps.local.complete(request);
      const remoteRun = this.callRemote(remote, request, totalBudgetMs);
      const [local, answer] = await Promise.all([localRun, remoteRun]);
      const decision: RouteDecision = { route: 'remote', score: null, threshold: null, reason: 'mode remote' };
      const addedLatencyMs = Math.max(0, answer.ms - local.timings.totalMs);
      if (answer.result) return this.finish({ result: answer.result, source: 'remote', decision, addedLatencyMs, cost: answer.result.usage.cost });
      return this.finish({ result: local, source: 'local', decision, fallback: answer.fallback, addedLatencyMs, cost: answer.cost });
    }

    const local = await this.deps.local.complete(request);
    const localMs = performance.now() - started;
    return this.afterLocal(request, local, { ...options, totalBudgetMs: totalBudgetMs - localMs });
  }

  /**
   * The decision once the local answer is known (the completion engine has
   * generated it already): keep it, or ask the remote within
   * `totalBudgetMs` (what is left of the suggestion's budget).
   */
  async afterLocal(request: CompletionRequest, local: CompletionResult, options: RouteOptions): Promise<RoutedCompletion> {
    const remote = this.deps.remote;
    const { mode } = this.deps.settings;
    const budgetMs = options.totalBudgetMs ?? request.timeBudgetMs;
    if (mode === 'local' || !remote) {
      return this.finish({ result: local, source: 'local', decision: { route: 'local', score: null, threshold: null, reason: remote ? 'mode local' : 'no remote endpoint set' }, addedLatencyMs: 0, cost: 0 });
    }
    if (local.stopReason === 'cancelled' || request.signal?.aborted) {
      return this.finish({ result: local, source: 'local', decision: { route: 'local', score: null, threshold: null, reason: 'cancelled' }, addedLatencyMs: 0, cost: 0 });
    }
    let decision: RouteDecision;
    if (mode === 'remote') {
      decision = { route: 'remote', score: null, threshold: null, reason: 'mode remote' };
    } else {
      const { score, reason } = this.score(request, local, options.documentId);
      const threshold = this.threshold;
      if (settingsBudgetSpent(this.deps.settings, this.stats)) {
        return this.finish({ result: local, source: 'local', decision: { route: 'local', score, threshold, reason: 'cost budget spent' }, addedLatencyMs: 0, cost: 0 });
      }
      if (score >= threshold) {
        return this.finish({ result: local, source: 'local', decision: { route: 'local', score, threshold, reason: `score ≥ threshold (${reason})` }, addedLatencyMs: 0, cost: 0 });
      }
      decision = { route: 'remote', score, threshold, reason: `score < threshold (${reason})` };
    }
    if (budgetMs < 1) return this.finish({ result: local, source: 'local', decision, fallback: 'no time left in the budget', addedLatencyMs: 0, cost: 0 });
    const answer = await this.callRemote(remote, request, budgetMs);
    if (answer.result) return this.finish({ result: answer.result, source: 'remote', decision, addedLatencyMs: answer.ms, cost: answer.result.usage.cost });
    return this.finish({ result: local, source: 'local', decision, fallback: answer.fallback, addedLatencyMs: answer.ms, cost: answer.cost });
  }

  /** The classifier's score for a local answer, and the features that lowered it most. */
  score(request: CompletionRequest, local: CompletionResult, documentId: string): { score: number; reason: string } {
    const verdict = this.deps.verdict ?? frontEndErrorsOnLine;
    const features = routingFeatures({
      prefix: request.prefix,
      suffix: request.suffix,
      local: { text: local.text, tokenProbabilities: local.tokenProbabilities, endedLine: local.stopReason === 'stopString' || local.stopReason === 'eog', prefixTruncated: local.prefixTruncated },
      frontEndErrors: local.text ? verdict(request.prefix, local.text, request.suffix) : 0,
      recentRejectionRate: this.outcomes.rejectionRate(documentId),
    });
    const model = this.deps.file.model;
    const terms = contributions(model, features);
    const lowest = terms
      .map((term, i) => ({ term, name: featureNames[i]! }))
      .filter((t) => t.term < -0.05)
      .sort((a, b) => a.term - b.term)
      .slice(0, 3)
      .map((t) => t.name);
    const score = predict(model, features);
    this.recentScores.push(score);
    if (this.recentScores.length > scoreWindow) this.recentScores.shift();
    return { score, reason: lowest.length ? `lowered by ${lowest.join(', ')}` : 'no feature lowered it' };
  }

  private async callRemote(remote: RemoteModelBackend, request: CompletionRequest, budgetMs: number): Promise<{ result?: RemoteCompletionResult; fallback?: string; ms: number; cost: number }> {
    const started = performance.now();
    const ms = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      const result = await remote.complete({ ...request, timeBudgetMs: budgetMs });
      if (result.stopReason === 'cancelled') return { fallback: 'cancelled', ms: ms(), cost: 0 };
      if (result.stopReason === 'timeBudget') return { fallback: `remote timed out after ${Math.round(budgetMs)} ms`, ms: ms(), cost: 0 };
      if (result.text.trim() === '') return { fallback: 'remote returned an empty completion', ms: ms(), cost: result.usage.cost };
      return { result, ms: ms(), cost: result.usage.cost };
    } catch (error) {
      const failure = error instanceof RemoteModelError ? error.failure : 'error';
      return { fallback: `remote ${failure}: ${messageOf(error)}`, ms: ms(), cost: 0 };
    }
  }

  private finish(routed: RoutedCompletion): RoutedCompletion {
    this.stats.record({ routed: routed.decision.route === 'remote', remoteShown: routed.source === 'remote', addedLatencyMs: routed.addedLatencyMs, cost: routed.cost });
    const d = routed.decision;
    const score = d.score === null ? '' : ` score ${d.score.toFixed(3)} threshold ${d.threshold!.toFixed(3)};`;
    const outcome = d.route === 'remote'
      ? routed.source === 'remote' ? ` remote answered in ${Math.round(routed.addedLatencyMs)} ms` : ` fell back to local (${routed.fallback})`
      : '';
    this.deps.log(`[router] ${d.route}:${score} ${d.reason};${outcome}`.replace(/;$/, ''));
    return routed;
  }
}

function settingsBudgetSpent(settings: RouterSettings, stats: RouterStats): boolean {
  if (settings.costBudgetPer1kRequests <= 0) return false;
  const seen = stats.snapshot().requests;
  return seen >= budgetWarmup && stats.costPerRequest * 1000 > settings.costBudgetPer1kRequests;
}
