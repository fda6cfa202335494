/**
 * The inline completion engine (see engine.ts). May import `server/cobol/`,
 * `server/model/` (the backend interface, errors) and `server/workspace/`;
 * never LSP, never `vscode`.
 */
export { CompletionEngine } from './engine';
export type { CompletionModel, CompletionRouter, EngineFeatures, EngineInput, EngineOptions, EngineOutcome, OutcomeSource, RoutingCandidate, StageTimings } from './engine';
export { CompletionMetrics } from './metrics';
export type { CompletionEventInput, CompletionEventKind, CompletionStatistics } from './metrics';
export type { Verdict } from './validate';
