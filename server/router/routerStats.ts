/**
 * What the router did, for the statistics command and the status bar: how
 * many requests, the share sent remote, what the remote cost, the latency it
 * added, and how often a remote answer had to be replaced by the local one.
 */

import type { RouterStatistics } from '../protocol';

export type { RouterStatistics };

/** Added latencies kept for the median (a window: the figure describes recent behaviour). */
const latencyWindow = 500;

export class RouterStats {
  private requests = 0;
  private routed = 0;
  private answered = 0;
  private fallbacks = 0;
  private cost = 0;
  private latencySum = 0;
  private readonly latencies: number[] = [];

  record(event: { routed: boolean; remoteShown: boolean; addedLatencyMs: number; cost: number }): void {
    this.requests++;
    this.cost += event.cost;
    if (!event.routed) return;
    this.routed++;
    if (event.remoteShown) this.answered++;
    else this.fallbacks++;
    this.latencySum += event.addedLatencyMs;
    this.latencies.push(event.addedLatencyMs);
    if (this.latencies.length > latencyWindow) this.latencies.shift();
  }

  /** Remote cost per request so far (0 before any request). */
  get costPerRequest(): number {
    return this.requests ? this.cost / this.requests : 0;
  }

  /** Mean cost of one routed request (0 before any). */
  get costPerRemoteRequest(): number {
    return this.routed ? this.cost / this.routed : 0;
  }

  snapshot(): RouterStatistics {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
    return {
      requests: this.requests,
      routedRemote: this.routed,
      remoteShare: this.requests ? round(this.routed / this.requests, 4) : 0,
      remoteAnswered: this.answered,
      fallbacks: this.fallbacks,
      remoteCost: round(this.cost, 6),
      meanAddedLatencyMs: this.routed ? round(this.latencySum / this.routed) : 0,
      medianAddedLatencyMs: sorted.length ? round(sorted[Math.floor((sorted.length - 1) / 2)]!) : 0,
    };
  }
}

/**
 * The last outcomes of local suggestions per document (accepted or not): the
 * router's "recent rejections" feature. A document with many rejections is
 * one where the local model is out of its depth.
 */
export class RecentOutcomes {
  private readonly outcomes = new Map<string, boolean[]>();

  constructor(private readonly window = 8, private readonly maxDocuments = 256) {}

  record(documentId: string, accepted: boolean): void {
    const list = this.outcomes.get(documentId) ?? [];
    this.outcomes.delete(documentId);
    list.push(accepted);
    if (list.length > this.window) list.shift();
    this.outcomes.set(documentId, list);
    if (this.outcomes.size > this.maxDocuments) this.outcomes.delete(this.outcomes.keys().next().value!);
  }

  rejectionRate(documentId: string): number {
    const list = this.outcomes.get(documentId);
    return list?.length ? list.filter((accepted) => !accepted).length / list.length : 0;
  }

  forget(documentId: string): void {
    this.outcomes.delete(documentId);
  }
}
