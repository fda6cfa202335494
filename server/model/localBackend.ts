/**
 * The local model backend: one GGUF model in node-llama-cpp, one context with
 * one sequence per lane (inline, background), serving fill-in-the-middle
 * completions.
 *
 * Invariants:
 * - Requests of one lane run strictly one after another on its sequence; a
 *   new request waits for the previous one, which its caller cancels first
 *   (the scheduler does). The two lanes run side by side: llama.cpp batches
 *   their tokens together, so neither waits for the other to finish.
 * - Each sequence keeps the tokens of its last prompt (and what was generated
 *   after it). A new prompt erases only from the first token that differs and
 *   evaluates the rest: successive keystrokes share a prefix, so most of the
 *   prompt is reused (`timings.reusedTokens`).
 * - The prompt is evaluated in chunks with a cancellation check between them,
 *   and generation checks after every token: cancelling or running out of
 *   time ends a request within one chunk or token, with what it has so far.
 * - Sampling is greedy by default and applies no repeat penalty: code repeats
 *   tokens on purpose (`PIC X(10)`, `END-IF`).
 */
import type { LlamaContext, LlamaContextSequence, LlamaModel, Token, TokenBias } from 'node-llama-cpp';
import type { CompletionRequest, CompletionResult, ModelBackend, ModelDevice, ModelInfo, ModelLane, StopReason } from './backend';
import { ModelError, messageOf } from './errors';
import { FimOrder, FimTokenIds, PromptLayout, buildFimPrompt, defaultBudget } from './fimPrompt';
import { GgufFacts, inspectGgufFile } from './ggufFile';
import { deviceOf, getRuntime, takeLlamaErrors } from './llamaRuntime';
import type { ModelSettings } from './modelSettings';
import { NodeLlamaCpp, loadNodeLlamaCpp } from './nodeLlamaCpp';
import { fitModelSettings } from './threads';
import { VocabularyIndex } from './vocabularyIndex';
import { NameConstraint, UpperVocabulary, upperVocabulary } from './nameDecoding';
import { availableParallelism } from 'node:os';

/**
 * What loading needs: the tuning fields of the model settings (one definition,
 * in modelSettings.ts, so their meaning and defaults cannot drift), with `id`
 * as a catalogue id or a name for logs and `path` the resolved GGUF file.
 */
export interface LocalModelOptions
  extends Pick<ModelSettings, 'id' | 'path' | 'threads' | 'contextSize' | 'gpu' | 'temperature' | 'tokenHealing'> {
  /**
   * FIM tokens to use when the GGUF does not record them: ids (from the
   * models manifest) or token texts (from the catalogue), each one token.
   */
  fimFallback?: { prefix: number | string; suffix: number | string; middle: number | string; order?: FimOrder };
}

export interface LoadedModelInfo extends ModelInfo {
  threads: number;
  parameters: number;
  bytes: number;
  architecture: string;
  loadMs: number;
  /** Settings changed to fit the machine or the model, each a sentence for the user. */
  adjustments: string[];
}

/** One lane's sequence, its request queue and its last prompt cut. */
interface Lane {
  sequence: LlamaContextSequence;
  queue: Promise<unknown>;
  /** Where the last prompt's prefix started, and the text there: kept while it fits (see fimPrompt.ts). */
  lastCut: { offset: number; text: string } | undefined;
}
/** Prompt tokens evaluated between two cancellation checks. */
const promptChunk = 64;
/** Characters after the last cut compared to recognise the same document. */
const cutFingerprint = 256;
/** Logit added to the tokens token healing allows (far above any real logit). */
const healingLogit = 1000;
/** Token-healing biases kept per healed text (typing repeats the same few). */
const healingCacheSize = 64;
/** Architectures node-llama-cpp lists that cannot generate text. */
const nonGenerative = new Set(['clip', '(unknown)', 'bert', 'nomic-bert', 'jina-bert-v2', 'wavtokenizer-dec', 't5encoder']);

export class LocalModelBackend implements ModelBackend {
  readonly device: ModelDevice;
  private disposed = false;
  private readonly healingBiases = new Map<string, TokenBias>();
  private readonly noBias: TokenBias;
  private readonly lanes: Record<ModelLane, Lane>;

  private constructor(
    readonly info: LoadedModelInfo,
    private readonly llamaCpp: NodeLlamaCpp,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    sequences: [LlamaContextSequence, LlamaContextSequence],
    private readonly layout: PromptLayout,
    private readonly vocabulary: VocabularyIndex,
    private readonly upper: UpperVocabulary,
    private readonly options: LocalModelOptions,
  ) {
    this.device = info.device;
    this.noBias = new llamaCpp.TokenBias(model.tokenizer);
    this.lanes = {
      inline: { sequence: sequences[0], queue: Promise.resolve(), lastCut: undefined },
      background: { sequence: sequences[1], queue: Promise.resolve(), lastCut: undefined },
    };
  }

  get id(): string {
    return this.info.id;
  }

  /** Checks the file, loads the model and creates its context. Rejects only with a `ModelError`. */
  static async load(options: LocalModelOptions): Promise<LocalModelBackend> {
    const started = performance.now();
    let llamaCpp: NodeLlamaCpp;
    try {
      llamaCpp = await loadNodeLlamaCpp();
    } catch (error) {
      throw new ModelError('loadFailed', `The model runtime (node-llama-cpp) could not be loaded: ${messageOf(error)}`, { cause: error });
    }
    const facts = await inspectGgufFile(options.path, llamaCpp);
    checkArchitecture(facts, llamaCpp);
    const llama = await getRuntime(options.gpu);
    let model: LlamaModel;
    try {
      takeLlamaErrors();
      model = await llama.loadModel({ modelPath: options.path, gpuLayers: options.gpu === 'off' ? 0 : 'auto' });
    } catch (error) {
      const detail = takeLlamaErrors() || messageOf(error);
      throw new ModelError('unsupportedModel', `llama.cpp could not load ${options.path} (architecture "${facts.architecture}"): ${detail}`, { cause: error });
    }
    try {
      const fitted = fitModelSettings(options, { cores: availableParallelism(), parameters: facts.parameters, trainContextSize: model.trainContextSize });
      const { threads, contextSize } = fitted;
      // One sequence per lane; node-llama-cpp gives each its own `contextSize` cells.
      const context = await model.createContext({ contextSize, sequences: 2, threads, batchSize: Math.min(contextSize, 512) });
      const sequences: [LlamaContextSequence, LlamaContextSequence] = [context.getSequence(), context.getSequence()];
      const layout = promptLayout(model, facts, options.fimFallback);
      const { vocabulary, upper } = buildVocabulary(model);
      const info: LoadedModelInfo = {
        id: options.id,
        name: facts.name ?? options.id,
        device: deviceOf(llama),
        threads,
        contextSize: context.contextSize,
        parameters: facts.parameters,
        bytes: facts.bytes,
        architecture: facts.architecture,
        fim: layout.fim !== undefined,
        loadMs: Math.round(performance.now() - started),
        adjustments: fitted.adjustments,
      };
      return new LocalModelBackend(info, llamaCpp, model, context, sequences, layout, vocabulary, upper, options);
    } catch (error) {
      await model.dispose().catch(() => undefined);
      if (error instanceof ModelError) throw error;
      throw new ModelError('loadFailed', `Could not create a context for ${options.path}: ${messageOf(error)}`, { cause: error });
    }
  }

  complete(request: CompletionRequest): Promise<CompletionResult> {
    const lane = this.lanes[request.lane ?? 'inline'];
    const run = lane.queue.then(() => this.generate(request, lane));
    lane.queue = run.catch(() => undefined);
    return run;
  }

  /** Forgets a lane's cached prompt, so its next request evaluates the whole prompt (benchmarks; a switch of document). */
  clearCache(laneName: ModelLane = 'inline'): Promise<void> {
    const lane = this.lanes[laneName];
    const run = lane.queue.then(() => lane.sequence.clearHistory());
    lane.queue = run.catch(() => undefined);
    return run;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all([this.lanes.inline.queue, this.lanes.background.queue]);
    await this.context.dispose().catch(() => undefined);
    await this.model.dispose().catch(() => undefined);
  }

  private async generate(request: CompletionRequest, lane: Lane): Promise<CompletionResult> {
    const { sequence } = lane;
    const started = performance.now();
    if (this.disposed) throw new ModelError('disposed', 'The model was unloaded.');
    const deadline = started + request.timeBudgetMs;
    const maxTokens = Math.max(1, Math.min(request.maxTokens, Math.floor(this.info.contextSize / 2)));
    const prompt = buildFimPrompt(
      this.tokenizer,
      this.layout,
      request.prefix,
      request.suffix,
      { ...defaultBudget, contextSize: this.info.contextSize, maxTokens },
      this.options.tokenHealing,
      previousCut(lane, request.prefix),
      request.context ? { text: request.context, maxTokens: request.contextTokens ?? 0 } : undefined,
    );
    lane.lastCut = prompt.cut > 0 ? { offset: prompt.cut, text: request.prefix.slice(prompt.cut, prompt.cut + cutFingerprint) } : undefined;
    const result = (text: string, probabilities: number[], stopReason: StopReason, reused: number, firstTokenAt: number): CompletionResult => ({
      text,
      tokenProbabilities: probabilities,
      stopReason,
      prefixTruncated: prompt.prefixTruncated,
      timings: {
        promptTokens: prompt.tokens.length,
        reusedTokens: reused,
        timeToFirstTokenMs: firstTokenAt ? Math.round((firstTokenAt - started) * 10) / 10 : 0,
        totalMs: Math.round((performance.now() - started) * 10) / 10,
      },
    });
    const interrupted = (): StopReason | undefined =>
      request.signal?.aborted ? 'cancelled' : performance.now() > deadline ? 'timeBudget' : undefined;

    try {
      if (prompt.tokens.length === 0) return result('', [], 'eog', 0, 0);
      const promptTokens = prompt.tokens as Token[];
      const reused = await alignSequence(sequence, promptTokens);
      // Evaluate all but the last prompt token in chunks; the last one starts generation.
      const last = prompt.tokens.length - 1;
      for (let position = sequence.nextTokenIndex; position < last; position += promptChunk) {
        const stop = interrupted();
        if (stop) return result('', [], stop, reused, 0);
        await sequence.evaluateWithoutGeneratingNewTokens(promptTokens.slice(position, Math.min(last, position + promptChunk)));
      }
      const stopEarly = interrupted();
      if (stopEarly) return result('', [], stopEarly, reused, 0);

      const healingBias = prompt.healText ? this.healingBias(prompt.healText) : undefined;
      const generated: Token[] = [];
      const probabilities: number[] = [];
      let firstTokenAt = 0;
      let text = '';
      let stopReason: StopReason = 'eog';
      const names = request.names && request.names.length > 0 ? new NameConstraint(request.names, this.upper, request.namesBeforeColumn) : undefined;
      // The text the model continues: the prefix without the healed token, then what it generated.
      const keptPrefix = request.prefix.slice(Math.max(0, request.prefix.lastIndexOf('\n', request.prefix.length - prompt.healText.length - 1)), request.prefix.length - prompt.healText.length);
      const nameBias = (): TokenBias | undefined => {
        if (!names) return undefined;
        let allowed = names.allowed(keptPrefix + this.model.detokenize(generated, false));
        if (allowed && generated.length === 0 && prompt.healText) {
          allowed = allowed.filter((token) => this.upper.text(token).startsWith(prompt.healText));
        }
        if (!allowed || allowed.length === 0) return undefined;
        const bias = new this.llamaCpp.TokenBias(this.model.tokenizer);
        for (const token of allowed) bias.set(token as Token, { logit: healingLogit });
        return bias;
      };
      // A word the caller wrote at the end of the prefix (a declaration's name) is whole: the model's text starts after it.
      const wordEndBias = (): TokenBias | undefined => {
        if (!request.wordComplete) return undefined;
        const soFar = this.model.detokenize(generated, false);
        return soFar.length > prompt.healText.length ? undefined : this.wordEndBias(prompt.healText.slice(soFar.length));
      };
      // A JSON schema (the agent's planner) becomes a grammar: every token keeps the text a valid prefix of it.
      const grammarEvaluationState = request.jsonSchema
        ? new this.llamaCpp.LlamaGrammarEvaluationState({ model: this.model, grammar: await this.model.llama.createGrammarForJsonSchema(request.jsonSchema as never) })
        : undefined;
      const tokens = sequence.evaluateWithMetadata([promptTokens[last]!], { confidence: true }, {
        temperature: this.options.temperature,
        tokenBias: () => wordEndBias() ?? nameBias() ?? (generated.length === 0 && healingBias ? healingBias : this.noBias),
        ...(grammarEvaluationState ? { grammarEvaluationState } : {}),
      });
      for await (const output of tokens) {
        if (generated.length === 0) firstTokenAt = performance.now();
        if (this.model.isSpecialToken(output.token)) break; // FIM markers and other control tokens end a completion
        generated.push(output.token);
        probabilities.push(output.confidence);
        text = this.model.detokenize(generated, false);
        if (prompt.healText) text = text.startsWith(prompt.healText) ? text.slice(prompt.healText.length) : text;
        const cut = firstStop(text, request.stop);
        if (cut !== undefined) {
          text = text.slice(0, cut);
          stopReason = 'stopString';
          break;
        }
        if (request.stopAfterColumn !== undefined && lineLength(keptPrefix, prompt.healText + text) > request.stopAfterColumn + 1) {
          stopReason = 'stopString';
          break;
        }
        if (generated.length >= maxTokens) {
          stopReason = 'maxTokens';
          break;
        }
        const stop = interrupted();
        if (stop) {
          stopReason = stop;
          break;
        }
      }
      return result(text, probabilities, stopReason, reused, firstTokenAt);
    } catch (error) {
      if (error instanceof ModelError) throw error;
      // The sequence may hold a half-evaluated batch: start clean next time.
      await sequence.clearHistory().catch(() => undefined);
      throw new ModelError('generationFailed', `The model failed while generating: ${messageOf(error)}`, { cause: error });
    }
  }

  /**
   * A bias that allows only tokens starting with `text` (token healing's
   * first step): they are raised far above every real logit, so the first
   * token always continues the healed text, even where the model would
   * rather end (node-llama-cpp ignores "never" on end-of-generation tokens,
   * so banning the rest would not do). Only the allowed tokens are touched:
   * no pass over the whole vocabulary on the request path. (The probability
   * reported for that token is the one after this constraint.)
   */
  /** Tokens that finish `rest` (the healed end of a whole word) and then end the word, or start with a break when nothing is left. */
  private wordEndBias(rest: string): TokenBias | undefined {
    const key = `\u0000wordEnd:${rest}`;
    let bias = this.healingBiases.get(key);
    if (bias) return bias;
    const tokens = rest === ''
      ? this.upper.leadThenBreak.get('') ?? []
      : this.vocabulary.tokensStartingWith(rest).filter((token) => !/^[A-Za-z0-9_-]/.test(this.upper.text(token).slice(rest.length)));
    if (tokens.length === 0) return undefined;
    bias = new this.llamaCpp.TokenBias(this.model.tokenizer);
    for (const token of tokens) bias.set(token as Token, { logit: healingLogit });
    this.healingBiases.set(key, bias);
    if (this.healingBiases.size > healingCacheSize) this.healingBiases.delete(this.healingBiases.keys().next().value!);
    return bias;
  }

  private healingBias(text: string): TokenBias | undefined {
    let bias = this.healingBiases.get(text);
    if (bias) {
      this.healingBiases.delete(text);
      this.healingBiases.set(text, bias); // most recently used last
      return bias;
    }
    let candidates = this.vocabulary.tokensStartingWith(text);
    // Healed indentation stays as typed: a token may finish the run of blanks, not make it longer.
    if (/^[ \t]+$/.test(text)) candidates = candidates.filter((token) => !/^[ \t]/.test(this.upper.text(token).slice(text.length)));
    const allowed = new Set(candidates);
    if (allowed.size === 0) return undefined;
    bias = new this.llamaCpp.TokenBias(this.model.tokenizer);
    for (const token of allowed) bias.set(token as Token, { logit: healingLogit });
    this.healingBiases.set(text, bias);
    if (this.healingBiases.size > healingCacheSize) {
      this.healingBiases.delete(this.healingBiases.keys().next().value!);
    }
    return bias;
  }

  private readonly tokenizer = {
    tokenize: (text: string): number[] => this.model.tokenize(text, false),
    detokenize: (tokens: readonly number[]): string => this.model.detokenize(tokens as Token[], false),
  };
}

/** Characters of the last line of `before + after`. */
function lineLength(before: string, after: string): number {
  const breakInAfter = after.lastIndexOf('\n');
  if (breakInAfter !== -1) return after.length - breakInAfter - 1;
  return before.length - (before.lastIndexOf('\n') + 1) + after.length;
}

/** The lane's last cut, when `prefix` has the same text there (the same document, typed further). */
function previousCut(lane: Lane, prefix: string): number | undefined {
  const last = lane.lastCut;
  return last && prefix.startsWith(last.text, last.offset) ? last.offset : undefined;
}

/** Erases the sequence from the first token that differs from `tokens`; returns how many are reused. */
async function alignSequence(sequence: LlamaContextSequence, tokens: Token[]): Promise<number> {
  const { firstDifferentIndex } = sequence.compareContextTokens(tokens);
  // At least the last prompt token is evaluated again: its logits start the generation.
  const keep = Math.min(firstDifferentIndex, tokens.length - 1);
  if (sequence.nextTokenIndex > keep) {
    await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  }
  return keep;
}

/** Index in `text` of the earliest stop string, if any. */
export function firstStop(text: string, stops: readonly string[] | undefined): number | undefined {
  let first: number | undefined;
  for (const stop of stops ?? []) {
    if (!stop) continue;
    const at = text.indexOf(stop);
    if (at !== -1 && (first === undefined || at < first)) first = at;
  }
  return first;
}

function checkArchitecture(facts: GgufFacts, llamaCpp: NodeLlamaCpp): void {
  // A const enum in the typings, a real object at run time.
  const architectures = (llamaCpp as unknown as { GgufArchitectureType: Record<string, string> }).GgufArchitectureType;
  const known = new Set<string>(Object.values(architectures));
  if (!known.has(facts.architecture) || nonGenerative.has(facts.architecture)) {
    throw new ModelError('unsupportedModel', `The model ${facts.path} has architecture "${facts.architecture}", which this llama.cpp cannot run as a text generator.`);
  }
}

function promptLayout(model: LlamaModel, facts: GgufFacts, fallback: LocalModelOptions['fimFallback']): PromptLayout {
  const infill = model.tokens.infill;
  const fim = infill.prefix !== null && infill.suffix !== null && infill.middle !== null
    ? { prefix: infill.prefix, suffix: infill.suffix, middle: infill.middle }
    : facts.fim ?? resolveFimTokens(model, fallback);
  const bos = model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? model.tokens.bos : undefined;
  // The file's own record wins over the catalogue's; a model that says nothing is PSM, the common order.
  return { fim, fimOrder: facts.fimOrder ?? fallback?.order ?? 'psm', bos };
}

function resolveFimTokens(model: LlamaModel, fallback: LocalModelOptions['fimFallback']): FimTokenIds | undefined {
  if (!fallback) return undefined;
  const one = (token: number | string): number | undefined => {
    if (typeof token === 'number') return token;
    const ids = model.tokenize(token, true);
    return ids.length === 1 ? ids[0] : undefined; // the text is not a single special token of this vocabulary
  };
  const [prefix, suffix, middle] = [one(fallback.prefix), one(fallback.suffix), one(fallback.middle)];
  return prefix !== undefined && suffix !== undefined && middle !== undefined ? { prefix, suffix, middle } : undefined;
}

/** The vocabulary indexes, built once per model (never on the request path). */
function buildVocabulary(model: LlamaModel): { vocabulary: VocabularyIndex; upper: UpperVocabulary } {
  const texts: string[] = [];
  const control = new Set<number>();
  for (const token of model.iterateAllTokens()) {
    texts[token] = model.detokenize([token], false);
    if (model.isSpecialToken(token)) control.add(token);
  }
  for (let i = 0; i < texts.length; i++) texts[i] ??= '';
  const usable = (token: number) => !control.has(token);
  return { vocabulary: new VocabularyIndex(texts, usable), upper: upperVocabulary(texts, usable) };
}
