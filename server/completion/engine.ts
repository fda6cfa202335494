/**
 * The inline completion engine: one request from the editor (or the command
 * line, or a benchmark) in, one suggestion (or a reason for none) out, with
 * every stage timed.
 *
 *   const engine = new CompletionEngine({ workspace, model: host });
 *   const outcome = await engine.complete({ id, text, offset, line, character, trigger: 'automatic', signal });
 *
 * Stages: window (the text around the cursor, CRLF normalised) → trigger rules
 * → typing-along / LRU cache → adaptive debounce (automatic requests only) →
 * COBOL-aware context (declarations, names in scope, and the document
 * candidates: what followed the same words, or on a blank line lines like
 * the one above, elsewhere in the program) → after a level number, the declaration name (a
 * name the program uses and declares nowhere, declarationNames.ts, written
 * for the model to go on from) → generation through the model host's inline
 * lane (FIM prompt in the model's order, time budget, stop rules, name-aware
 * decoding) → the choice between the model's line and the best document
 * candidate (`chooseLine`) → post-processing (shape, fixed format, case,
 * repeats; a data entry's clause lined up with its neighbours') → validation
 * (the verdict kept for the router) → routing hook (issue 9's router may
 * answer instead of a model line).
 *
 * Never throws for bad input or a missing model: the outcome is then empty
 * with a `reason`. Cancellation (the editor moved on) resolves empty.
 */
import { randomUUID } from 'node:crypto';
import { type Analysis, detectSourceFormat } from '../cobol';
import type { CompletionRequest, CompletionResult } from '../model/backend';
import { ModelError } from '../model/errors';
import type { Workspace } from '../workspace';
import { buildCobolContext, type CobolContext } from './cobolContext';
import { AdaptiveDebounce } from './debounce';
import { afterDeclaredName, alignClause, declarationAt, declarationNames, entryNames, readsAsDataEntry, siblingClause } from './declarationNames';
import { type DocumentCandidate, documentCandidates } from './documentCandidates';
import { postProcess, writtenInLowerCase } from './postProcess';
import { shapeFor } from './shape';
import { SuggestionCache } from './suggestionCache';
import { triggerRule } from './triggerRules';
import { validateSuggestion, type Verdict } from './validate';

/** What the engine needs from the model host (ModelHost implements it). */
export interface CompletionModel {
  complete(request: CompletionRequest): Promise<CompletionResult>;
  /** The ready model's id and context size, or undefined while none is ready (with the reason). */
  readonly status: { state: string; modelId: string; contextSize?: number; message?: string };
}

export interface EngineInput {
  /** The document's file id (workspace layer). */
  id: string;
  /** The whole document text as the editor has it (CRLF allowed). */
  text: string;
  /** Offset of the cursor in `text`, and its zero-based line and UTF-16 column. */
  offset: number;
  line: number;
  character: number;
  trigger: 'automatic' | 'manual';
  signal?: AbortSignal;
  /** Switches for measurements and the command line (all on by default). */
  features?: Partial<EngineFeatures>;
}

export interface EngineFeatures {
  context: boolean;
  names: boolean;
  /** Continuations found elsewhere in the document, shown instead of the model's line when they match better (`chooseLine`). */
  candidates: boolean;
  cache: boolean;
  debounce: boolean;
  /** Drop suggestions the validation rejects. */
  validation: boolean;
}

export interface StageTimings {
  windowMs: number;
  triggerMs: number;
  cacheMs: number;
  debounceMs: number;
  contextMs: number;
  generationMs: number;
  postProcessMs: number;
  validationMs: number;
  routingMs: number;
  totalMs: number;
  promptTokens: number;
  reusedTokens: number;
  generatedTokens: number;
}

/** `document`: a line found elsewhere in the document, shown instead of the model's (documentCandidates.ts). */
export type OutcomeSource = 'model' | 'document' | 'cache' | 'typingAlong' | 'router' | 'none';

export interface EngineOutcome {
  /** Identifies the suggestion in metrics events. */
  id: string;
  /** The text to insert at the cursor (line breaks as \n); '' for no suggestion. */
  text: string;
  source: OutcomeSource;
  /** Why there is no suggestion. */
  reason?: string;
  model: string;
  multiline: boolean;
  latencyMs: number;
  stages: StageTimings;
  verdict?: Verdict;
  tokenProbabilities: number[];
  /** The raw model text before post-processing (for benchmarks and the router). */
  raw?: string;
  contextItems: string[];
  /** The document's candidates, best first (`source` says whether the top one was shown). */
  candidates?: DocumentCandidate[];
}

/** A routing decision point (issue 9): sees the local candidate, may answer with another model's. */
export interface CompletionRouter {
  route(candidate: RoutingCandidate, signal: AbortSignal | undefined): Promise<{ text: string; model: string } | undefined>;
}

export interface RoutingCandidate {
  /** The document's file id (the router's recent-rejections feature is per document). */
  documentId: string;
  request: CompletionRequest;
  local: CompletionResult;
  /** The post-processed local text ('' when it was dropped) and its verdict. */
  text: string;
  verdict: Verdict | undefined;
  context: CobolContext | undefined;
  trigger: 'automatic' | 'manual';
}

export interface EngineOptions {
  workspace: Workspace;
  model: CompletionModel;
  router?: CompletionRouter;
  /** Generation budget in milliseconds (automatic, manual). */
  timeBudgetMs?: { automatic: number; manual: number };
  /** Called with every outcome (metrics). */
  onOutcome?: (outcome: EngineOutcome, input: EngineInput) => void;
}

const defaultFeatures: EngineFeatures = { context: true, names: true, candidates: true, cache: true, debounce: true, validation: true };
/** Characters of text before the cursor sent to the model; the window's start moves in steps, so the KV cache survives typing. */
const prefixWindow = 12_000;
const windowStep = 4_096;
const suffixWindow = 3_000;
/** Tokens of context at most (the host takes them from the prefix's share). */
const contextTokens = 160;
/** Rough characters per token of COBOL, to estimate which lines the prompt still shows. */
const charsPerToken = 3.9;

export class CompletionEngine {
  private readonly cache = new SuggestionCache();
  private readonly debounce = new AdaptiveDebounce();
  private ticket = 0;

  constructor(private readonly options: EngineOptions) {}

  async complete(input: EngineInput): Promise<EngineOutcome> {
    const started = performance.now();
    const features = { ...defaultFeatures, ...input.features };
    const ticket = ++this.ticket;
    const stages: StageTimings = { windowMs: 0, triggerMs: 0, cacheMs: 0, debounceMs: 0, contextMs: 0, generationMs: 0, postProcessMs: 0, validationMs: 0, routingMs: 0, totalMs: 0, promptTokens: 0, reusedTokens: 0, generatedTokens: 0 };
    const status = this.options.model.status;
    const model = status.modelId;
    let mark = started;
    const lap = (stage: keyof StageTimings) => {
      const now = performance.now();
      stages[stage] += round(now - mark);
      mark = now;
    };
    const finish = (fields: Partial<EngineOutcome> & { text: string; source: OutcomeSource }): EngineOutcome => {
      stages.totalMs = round(performance.now() - started);
      const outcome: EngineOutcome = { id: randomUUID(), model, multiline: false, tokenProbabilities: [], contextItems: [], ...fields, latencyMs: stages.totalMs, stages };
      try {
        this.options.onOutcome?.(outcome, input);
      } catch {
        // metrics never break a completion
      }
      return outcome;
    };
    const none = (reason: string) => finish({ text: '', source: 'none', reason });

    // Window: the text around the cursor, CRLF normalised (the models never saw CR).
    const offset = Math.max(0, Math.min(input.offset, input.text.length));
    const windowStart = windowStartFor(input.text, offset);
    const prefix = input.text.slice(windowStart, offset).replace(/\r\n?/g, '\n');
    const suffix = input.text.slice(offset, offset + suffixWindow).replace(/\r\n?/g, '\n');
    const lineStart = prefix.lastIndexOf('\n') + 1;
    const lineBefore = prefix.slice(lineStart);
    const lineEnd = suffix.indexOf('\n');
    const restOfLine = lineEnd === -1 ? suffix : suffix.slice(0, lineEnd);
    const analysis: Analysis | undefined = this.options.workspace.latestAnalysis(input.id);
    const fixed = (analysis?.files[0]?.format ?? detectSourceFormat(prefix.slice(0, 8_000).split('\n'))) === 'fixed';
    // In fixed format columns 73-80 are not code: the line "after the cursor" ends at column 72.
    const lineAfter = fixed ? restOfLine.slice(0, Math.max(0, 72 - lineBefore.length)) : restOfLine;
    lap('windowMs');

    const rule = triggerRule({ lineText: lineBefore + lineAfter, character: lineBefore.length, fixed, manual: input.trigger === 'manual' });
    lap('triggerMs');
    if (!rule.trigger) return none(rule.reason);
    if (status.state !== 'ready') return none(`model ${status.state}${status.message ? `: ${status.message}` : ''}`);

    const variant = `${+features.context}${+features.names}${+features.candidates}${+features.validation}`;
    if (features.cache) {
      const along = this.cache.typedAlong(model, input.id, offset, prefix, suffix);
      const hit = along ?? this.cache.get(model, prefix, suffix, variant);
      lap('cacheMs');
      if (hit) {
        if (hit.text === '') return none('cached: no suggestion here');
        return finish({ text: hit.text, source: along ? 'typingAlong' : 'cache', multiline: hit.multiline, model: hit.model });
      }
    }

    if (features.debounce && input.trigger === 'automatic') {
      const delay = this.debounce.delayFor(performance.now());
      if (delay > 0) await sleep(delay, input.signal);
      lap('debounceMs');
    }
    if (input.signal?.aborted || ticket !== this.ticket) return none('superseded');

    // Context: declarations and names from the last analysis (good enough while typing).
    const partialWord = /[A-Za-z0-9-]*$/.exec(lineBefore)![0];
    const recentLines = prefix.slice(Math.max(0, prefix.length - 2_000)).split('\n');
    const lowerCase = writtenInLowerCase(recentLines.slice(-12).map((line) => (fixed ? line.slice(7, 72) : line)).join('\n'));
    const visibleLines = Math.ceil(((status.contextSize ?? 512) * 0.55 * charsPerToken) / 60);
    const context: CobolContext | undefined = analysis ? buildCobolContext(analysis, { line: input.line, character: input.character, partialWord, visibleFromLine: input.line - visibleLines, fixed, lowerCase, maxLines: 12 }) : undefined;
    const inProcedure = context?.inProcedure ?? /PROCEDURE\s+DIVISION/i.test(prefix);
    const shape = shapeFor(lineBefore, recentLines.slice(-6, -1), fixed, inProcedure);
    // After a level number (or in the name begun after it): a name the program uses but declares nowhere, written for the model to go on from.
    const declaration = !inProcedure && !shape.multiline && lineAfter.trim() === '' ? declarationAt(lineBefore, fixed) : undefined;
    const level = declaration?.level;
    /** The line up to where the entry's name starts (the name typed so far is part of what is checked and lined up). */
    const entryBefore = lineBefore.slice(0, lineBefore.length - (declaration?.partial.length ?? 0));
    const typedName = declaration?.partial ?? '';
    const neighbourLines = level === undefined ? [] : interleave(recentLines.slice(-6, -1).reverse(), suffix.split('\n').slice(1, 5));
    const declaredName = level !== undefined && features.names && analysis
      ? declarationNames(analysis, { line: input.line, character: input.character, level, neighbours: entryNames(neighbourLines, fixed), partial: typedName })[0]
      : undefined;
    const forced = declaredName?.text.slice(typedName.length) ?? '';
    // Also where a block is invited (after a paragraph header, IF, WHEN…): a line found in the document may beat the model's block.
    const lineCandidates = features.candidates ? candidatesAround(input.text, offset, lineBefore, fixed) : [];
    const { candidates, fallbacks } = forced
      ? afterDeclaredName(forced, lineCandidates, features.candidates ? candidatesAround(input.text, offset, lineBefore + forced, fixed) : [], features.candidates ? siblingClause(recentLines.slice(-7, -1), level!, fixed) : undefined)
      : { candidates: lineCandidates, fallbacks: lineCandidates };
    if (forced) {
      // Lined up as they would be shown, so that the choice (and bench:candidates' replay of it) sees the line itself.
      for (const candidate of new Set([...candidates, ...fallbacks])) candidate.text = alignClause(entryBefore, typedName + candidate.text, neighbourLines, fixed).slice(typedName.length);
    }
    lap('contextMs');

    const request: CompletionRequest = {
      prefix: prefix + forced,
      ...(forced ? { wordComplete: true } : {}),
      suffix,
      maxTokens: shape.maxTokens,
      timeBudgetMs: input.trigger === 'manual' ? (this.options.timeBudgetMs?.manual ?? 2_000) : (this.options.timeBudgetMs?.automatic ?? 400),
      stop: shape.stop,
      signal: input.signal,
      lane: 'inline',
      ...(fixed ? { stopAfterColumn: 72 } : {}),
      ...(features.context && context?.text ? { context: context.text, contextTokens } : {}),
      ...(features.names && context && inProcedure && !context.inExec ? { names: context.nameList, ...(fixed ? { namesBeforeColumn: 72 } : {}) } : {}),
    };
    let result: CompletionResult;
    try {
      result = await this.options.model.complete(request);
    } catch (error) {
      lap('generationMs');
      return none(error instanceof ModelError ? `model: ${error.message}` : `model failed: ${String(error)}`);
    }
    lap('generationMs');
    stages.promptTokens = result.timings.promptTokens;
    stages.reusedTokens = result.timings.reusedTokens;
    stages.generatedTokens = result.tokenProbabilities.length;
    if (result.stopReason === 'cancelled') return none('cancelled');

    const nextLines = suffix.split('\n').slice(1, 8);
    /** Post-processing, then validation (each stage's time added to its own timing). */
    const check = (raw: string): { text: string; reason?: string; verdict?: Verdict } => {
      const processed = postProcess({ raw, lineBefore, lineAfter, nextLines, fixed, lowerCase, shape });
      if (level !== undefined && processed.text && !readsAsDataEntry(typedName + processed.text)) return { text: '', reason: 'rejected: not a data entry' };
      if (level !== undefined && processed.text) {
        const aligned = alignClause(entryBefore, typedName + processed.text, neighbourLines, fixed).slice(typedName.length);
        if (!fixed || lineBefore.length + aligned.length <= 72) processed.text = aligned;
      }
      lap('postProcessMs');
      if (processed.text === '') return { text: '', reason: 'reason' in processed ? processed.reason : undefined };
      const verdict = validateSuggestion({ lineBefore, text: processed.text, lineAfter, fixed, names: context && inProcedure ? context.names : undefined, inExec: context?.inExec ?? false, inProcedure });
      lap('validationMs');
      if (features.validation && !verdict.plausible) return { text: '', reason: `rejected: ${verdict.problems.join(', ')}`, verdict };
      if (features.validation && verdict.undefinedNames.length > 0 && context?.complete) return { text: '', reason: `rejected: undefined ${verdict.undefinedNames.join(', ')}`, verdict };
      return { text: processed.text, verdict };
    };
    const generated = forced + result.text;
    const chosen = chooseLine(generated, result.tokenProbabilities, candidates);
    // The chosen line may be dropped (broken, an undefined name, not a data entry): then the model's line if the
    // document's was chosen, then the fallbacks (the best document candidates), whichever passes first.
    const options: { text: string; from: 'model' | 'document' }[] = [chosen, ...(chosen.from === 'document' ? [{ text: generated, from: 'model' as const }] : []), ...fallbacks.slice(0, 4).map((candidate) => ({ text: candidate.text, from: 'document' as const }))];
    let checked = check(options[0]!.text);
    let source: OutcomeSource = chosen.from;
    for (const option of checked.text === '' ? options.slice(1) : []) {
      const next = check(option.text);
      if (next.text === '') continue;
      [checked, source] = [next, option.from];
      break;
    }
    let { text, reason } = checked;
    const { verdict } = checked;

    let answeringModel = model;
    // A line from the document is not the local model's guess: the router judges the model's line, so it is not asked.
    if (this.options.router && source !== 'document') {
      try {
        const routed = await this.options.router.route({ documentId: input.id, request, local: result, text, verdict, context, trigger: input.trigger }, input.signal);
        // Another model's text gets the same shaping (one line, fixed-format columns, case) as the local one.
        const shaped = routed?.text ? postProcess({ raw: forced + routed.text, lineBefore, lineAfter, nextLines, fixed, lowerCase, shape }) : undefined;
        if (routed && shaped?.text) [text, source, answeringModel, reason] = [shaped.text, 'router', routed.model, undefined];
      } catch {
        // the router's failure leaves the local answer
      }
      lap('routingMs');
    }
    // Only complete answers are cached: one cut short by the time budget may be longer next time.
    if (features.cache && result.stopReason !== 'timeBudget') {
      this.cache.put(model, prefix, suffix, variant, { text, multiline: shape.multiline, model: answeringModel }, input.id, offset);
    }
    return finish({ text, source: text ? source : 'none', ...(reason && !text ? { reason } : {}), model: answeringModel, multiline: shape.multiline, verdict, tokenProbabilities: result.tokenProbabilities, raw: generated, contextItems: context && features.context ? (context.text ? context.items : []) : [], ...(candidates.length > 0 ? { candidates } : {}) });
  }

  /** Forgets cached suggestions (a model change). */
  clearCache(): void {
    this.cache.clear();
  }
}

/**
 * Which line to show: the model's own or the document's best candidate. The
 * candidate wins when its match is stronger than the model's confidence:
 *   keyWords·w.keyWords + ln(count)·w.logCount (+ w.beforeNext when it fits before the next line)  >  w.model + w.meanLogProb·(mean ln p of the model's tokens but the last two)
 * (an empty model line always loses). The weights were fitted by grid search
 * for exact match of the line on two tuning sets, weighted equally, and never
 * on a test split: pause points of real programs from the real corpus's
 * training repositories, with the bundled small model as it was before it saw
 * real code (so the code was as new to it as the test split is to today's),
 * and pause points of the synthetic validation split with today's model (code
 * it knows). `npm run bench:candidates` refits them and shows the trade-off:
 * fitted on the first set alone, candidates win more often and the synthetic
 * set loses half its matches. Scoring the candidates with the model as well
 * (their log-probability as a line) helped neither set. With these weights:
 * 41.5 % and 53.5 % (the grid's best differs by a case or two).
 *
 * `siblingClause`: after a declaration name (declarationNames.ts) the
 * sibling entry's clause (a candidate marked `sibling`) is shown when the
 * model's mean log-probability is below it; fitted in the same grid. On the
 * after-level points alone (300 per set), of the clauses after a right
 * name: unseen code 12 right with the model's clause, 29 with the rule, 30
 * with the sibling's every time; known code 163 of 222, 157, 54.
 */
export const candidateWeights = { keyWords: 0.5, logCount: 1, beforeNext: 1, model: 2, meanLogProb: 4, siblingClause: -0.3 };

export function chooseLine(generated: string, tokenProbabilities: readonly number[], candidates: readonly DocumentCandidate[], weights = candidateWeights): { text: string; from: 'model' | 'document' } {
  const best = candidates[0];
  if (!best) return { text: generated, from: 'model' };
  const firstLine = generated.split('\n')[0]!;
  if (best.sibling) return firstLine.trim() === '' || meanLogProb(tokenProbabilities) < weights.siblingClause ? { text: best.text, from: 'document' } : { text: generated, from: 'model' };
  const modelValue = firstLine.trim() === '' ? -Infinity : weights.model + weights.meanLogProb * meanLogProb(tokenProbabilities);
  const candidateValue = weights.keyWords * best.keyWords + weights.logCount * Math.log(best.count) + (best.beforeNext ? weights.beforeNext : 0);
  return candidateValue > modelValue ? { text: best.text, from: 'document' } : { text: generated, from: 'model' };
}

function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]!);
    if (i < b.length) out.push(b[i]!);
  }
  return out;
}

/** The model's confidence in its line: the mean log-probability of its tokens but the last two. */
export function meanLogProb(tokenProbabilities: readonly number[]): number {
  // The last two tokens decide where the line ends (a period or not), which the model is rightly unsure of.
  const content = tokenProbabilities.length > 2 ? tokenProbabilities.slice(0, -2) : tokenProbabilities;
  return content.length === 0 ? 0 : content.reduce((sum, p) => sum + Math.log(Math.max(1e-9, p)), 0) / content.length;
}

/** Characters before and after the cursor searched for candidates (a few thousand lines). */
const candidateWindow = { before: 200_000, after: 50_000 };

function candidatesAround(text: string, offset: number, lineBefore: string, fixed: boolean): DocumentCandidate[] {
  const start = Math.max(0, offset - candidateWindow.before);
  const firstLine = start === 0 ? 0 : text.indexOf('\n', start) + 1;
  const lines = text.slice(firstLine, Math.min(text.length, offset + candidateWindow.after)).split(/\r?\n/);
  let cursorLine = 0;
  for (let at = text.indexOf('\n', firstLine); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) cursorLine++;
  return documentCandidates({ lines, cursorLine, lineBefore, fixed });
}

/** A line start at most `prefixWindow` characters before the cursor, moving in `windowStep` steps. */
function windowStartFor(text: string, offset: number): number {
  if (offset <= prefixWindow) return 0;
  const step = Math.ceil((offset - prefixWindow) / windowStep) * windowStep;
  const lineBreak = text.indexOf('\n', step);
  return lineBreak === -1 || lineBreak >= offset ? step : lineBreak + 1;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const round = (ms: number) => Math.round(ms * 100) / 100;
