/**
 * Completion metrics, stored on this machine only (a JSON file in the
 * extension's storage folder), never sent anywhere. Per suggestion: latency
 * per stage, cache hit, model, shown / accepted / rejected, and the accepted
 * characters still in the document 30 s later (Copilot's "accepted and
 * retained"). Events come from the editor (`cobolAssist/completionEvent`):
 * - shown: returned to the editor and not replaced within 250 ms (Continue:
 *   a suggestion on screen for less is not counted);
 * - accepted: inserted with Tab (whole, line or word);
 * - rejected: shown and not accepted within 10 s;
 * - retained: characters of an accepted suggestion still there 30 s later.
 * Bounded: the last `capacity` suggestions, so memory and file stay small.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EngineOutcome, OutcomeSource, StageTimings } from './engine';

export interface SuggestionRecord {
  id: string;
  at: number;
  model: string;
  source: OutcomeSource;
  trigger: 'automatic' | 'manual';
  latencyMs: number;
  stages: Partial<StageTimings>;
  characters: number;
  lines: number;
  shown: boolean;
  accepted: boolean;
  rejected: boolean;
  acceptedCharacters: number;
  retainedCharacters: number | null;
}

export type CompletionEventKind = 'shown' | 'accepted' | 'rejected' | 'retained';

export interface CompletionEventInput {
  id: string;
  kind: CompletionEventKind;
  /** accepted: characters inserted (a partial accept counts what it inserted); retained: characters still there. */
  characters?: number;
}

export interface CompletionStatistics {
  suggestions: number;
  shown: number;
  accepted: number;
  rejected: number;
  acceptRate: number;
  acceptedCharacters: number;
  retainedCharacters: number;
  /** Of the accepted characters checked 30 s later, the share still there. */
  retainedShare: number;
  cacheHits: number;
  /** Suggestions whose line came from elsewhere in the document rather than from the model. */
  fromDocument: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** Median per stage over model answers. */
  stageP50Ms: Partial<Record<keyof StageTimings, number>>;
  byModel: Record<string, number>;
  noSuggestionReasons: Record<string, number>;
  since: number | null;
}

const stageNames: (keyof StageTimings)[] = ['windowMs', 'triggerMs', 'cacheMs', 'debounceMs', 'contextMs', 'generationMs', 'postProcessMs', 'validationMs', 'routingMs', 'totalMs'];

export class CompletionMetrics {
  private readonly records = new Map<string, SuggestionRecord>();
  private readonly reasons = new Map<string, number>();
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(private readonly file: string | undefined, private readonly capacity = 2_000) {
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8')) as { records?: SuggestionRecord[] };
      for (const record of saved.records ?? []) this.records.set(record.id, record);
    } catch {
      // no file yet, or an unreadable one: start afresh
    }
  }

  /** Records an engine outcome: a suggestion, or a reason for none. */
  outcome(outcome: EngineOutcome, trigger: 'automatic' | 'manual'): void {
    if (!outcome.text) {
      const reason = (outcome.reason ?? 'none').replace(/:.*$/, '');
      this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
      if (this.reasons.size > 100) this.reasons.delete(this.reasons.keys().next().value!);
      return;
    }
    this.records.set(outcome.id, {
      id: outcome.id,
      at: Date.now(),
      model: outcome.model,
      source: outcome.source,
      trigger,
      latencyMs: outcome.latencyMs,
      stages: outcome.stages,
      characters: outcome.text.length,
      lines: outcome.text.split('\n').length,
      shown: false,
      accepted: false,
      rejected: false,
      acceptedCharacters: 0,
      retainedCharacters: null,
    });
    while (this.records.size > this.capacity) this.records.delete(this.records.keys().next().value!);
    this.scheduleSave();
  }

  event(event: CompletionEventInput): void {
    const record = this.records.get(event.id);
    if (!record) return;
    const characters = Math.max(0, Math.min(record.characters, Math.round(event.characters ?? record.characters)));
    switch (event.kind) {
      case 'shown':
        record.shown = true;
        break;
      case 'accepted':
        record.shown = true;
        record.accepted = true;
        record.rejected = false;
        record.acceptedCharacters = Math.min(record.characters, record.acceptedCharacters + characters);
        break;
      case 'rejected':
        if (!record.accepted) record.rejected = true;
        break;
      case 'retained':
        if (record.accepted) record.retainedCharacters = Math.min(record.acceptedCharacters, characters);
        break;
    }
    this.scheduleSave();
  }

  statistics(): CompletionStatistics {
    const records = [...this.records.values()];
    const shown = records.filter((r) => r.shown);
    const accepted = records.filter((r) => r.accepted);
    const checked = accepted.filter((r) => r.retainedCharacters !== null);
    const fromModel = records.filter((r) => r.source === 'model' || r.source === 'document' || r.source === 'router');
    const stageP50Ms: CompletionStatistics['stageP50Ms'] = {};
    for (const stage of stageNames) {
      const values = fromModel.map((r) => r.stages[stage]).filter((v): v is number => typeof v === 'number');
      if (values.length) stageP50Ms[stage] = percentile(values, 0.5);
    }
    const byModel: Record<string, number> = {};
    for (const r of records) byModel[r.model] = (byModel[r.model] ?? 0) + 1;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const acceptedChecked = sum(checked.map((r) => r.acceptedCharacters));
    return {
      suggestions: records.length,
      shown: shown.length,
      accepted: accepted.length,
      rejected: records.filter((r) => r.rejected).length,
      acceptRate: shown.length ? round(accepted.length / shown.length) : 0,
      acceptedCharacters: sum(accepted.map((r) => r.acceptedCharacters)),
      retainedCharacters: sum(checked.map((r) => r.retainedCharacters ?? 0)),
      retainedShare: acceptedChecked ? round(sum(checked.map((r) => r.retainedCharacters ?? 0)) / acceptedChecked) : 0,
      cacheHits: records.filter((r) => r.source === 'cache' || r.source === 'typingAlong').length,
      fromDocument: records.filter((r) => r.source === 'document').length,
      latencyP50Ms: percentile(records.map((r) => r.latencyMs), 0.5),
      latencyP95Ms: percentile(records.map((r) => r.latencyMs), 0.95),
      stageP50Ms,
      byModel,
      noSuggestionReasons: Object.fromEntries(this.reasons),
      since: records.length ? Math.min(...records.map((r) => r.at)) : null,
    };
  }

  /** Writes the file now (shutdown). */
  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.file) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.tmp`;
      writeFileSync(temporary, JSON.stringify({ version: 1, records: [...this.records.values()] }));
      renameSync(temporary, this.file);
    } catch {
      // metrics are best effort: a read-only folder loses them, nothing else
    }
  }

  private scheduleSave(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.flush(), 5_000);
    this.saveTimer.unref?.();
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
