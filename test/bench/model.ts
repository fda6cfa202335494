/**
 * `npm run bench:model`: speed of the model host and quality of the two
 * project models, written to bench-results/model.json and printed.
 *
 * For `small` and `large` (models/bundled/cobol-slm-*.gguf):
 * - size: parameters, bytes;
 * - speed, through the product's own host (LocalModelBackend): load time,
 *   prompt tokens/s (a ~400-token prompt from an empty cache), decode tokens/s
 *   with 1 and with 2 threads, and time to first token while typing, with
 *   the KV cache reused between keystrokes and with it cleared each time
 *   (token healing off here, see below);
 * - quality, from the pipeline's evaluation function (models/pipeline/evaluate.ts)
 *   on the held-out test split: next-line exact match, edit similarity, and
 *   the share of completions after which the program still compiles; llama.cpp's
 *   held-out loss; and `largeOverSmall`, the paired gain of large over small on
 *   the same cases with 95 % bootstrap intervals.
 * - training: tokens, wall time and tokens/s, as the pipeline measured them
 *   when it trained the committed model (models/manifest.json).
 * - real code (issue 12): the same evaluation on the real-code test split
 *   (models/eval/realSplit.ts: whole repositories of ../shared/corpus/real no
 *   model trained on): realExactMatch, realEditSimilarity, realCompileKeepRate
 *   (programs cobc accepts as they are); charsPerTokenReal / charsPerTokenSynthetic
 *   from the model's own tokenizer; `largeOverSmallReal` (paired, with its
 *   interval); `realPause*`, the same on cuts where developers pause
 *   (models/pipeline/pauseCases.ts), by kind; `tokenizerFit` (comments, lower case, identifiers); and
 *   `distillationGain`, the paired gain of `--model small-distilled=…` over
 *   `--model small-undistilled=…` when both are given (naming both files by
 *   sha256), else the last recorded one (models/eval/distillation.json,
 *   labelled as copied). Any other model named
 *   with --model is compared with small on both splits (`<name>OverSmall`,
 *   `<name>OverSmallReal`): how a retrained candidate is judged before it is
 *   committed.
 * Every speed figure is a median over repeated runs: the machine is shared.
 * Usage: npm run bench:model -- [--cases N] [--model name=path.gguf ...] [--real-corpus DIR] [--no-speed]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { corpusFiles } from '../fixtures/corpus/corpusFiles';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { defaultRealCorpusDir } from '../../models/eval/realSplit';
import { EVAL, MODELS, bundledFile } from '../../models/pipeline/config';
import { sha256File } from '../../models/pipeline/cli';
import { compareModels, evaluateModel, heldOutLoss, loadEvalPrograms, type CaseResult, type EvalProgram } from '../../models/pipeline/evaluate';
import { PAUSE_KINDS, makePauseCases } from '../../models/pipeline/pauseCases';
import { loadRealEvalPrograms } from '../../models/pipeline/realEval';
import { Tokenizer, type TokenizerData } from '../../models/pipeline/tokenizer';
import { tokenizerFit } from '../../models/pipeline/tokenizerFit';
import { inspectGgufFile } from '../../server/model/ggufFile';
import { getRuntime } from '../../server/model/llamaRuntime';
import { LocalModelBackend, LocalModelOptions } from '../../server/model/localBackend';
import { loadNodeLlamaCpp } from '../../server/model/nodeLlamaCpp';

const root = process.argv[2] ?? process.cwd();
const args = process.argv.slice(3);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const cases = Number(option('--cases') ?? EVAL.cases);
const withSpeed = !args.includes('--no-speed');
const realCorpusDir = option('--real-corpus') ?? defaultRealCorpusDir(root);
const models: Record<string, string> = {
  small: join(root, 'models', bundledFile(MODELS.small)),
  large: join(root, 'models', bundledFile(MODELS.large)),
};
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--model') {
    const [name, path] = args[++i]!.split('=');
    models[name!] = path!;
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : NaN;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN;
};
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const log = (message: string) => console.log(`[bench:model] ${message}`);

/** COBOL programs for the speed prompts: the project's hand-written corpus (its manifest's list). */
function programs(): string[] {
  return corpusFiles(join(root, 'test/fixtures/corpus'))
    .programs.map((program) => readFileSync(program.path, 'utf8'))
    .filter((text) => /PROCEDURE DIVISION/i.test(text) && text.length > 3000)
    .slice(0, 8);
}

/** A cut inside the PROCEDURE DIVISION, about `before` characters in, mid-line. */
function cursorIn(text: string, before: number): number {
  const procedure = text.search(/PROCEDURE DIVISION/i);
  const target = Math.min(text.length - 200, procedure + before);
  const lineStart = text.lastIndexOf('\n', target) + 1;
  return Math.min(text.indexOf('\n', lineStart), lineStart + 14);
}

async function speed(name: string, path: string, texts: string[]) {
  // Healing off: when a model prefers to end a healed prompt, the host asks again unhealed,
  // which would mix a second pass into the timings this section compares.
  const options = (threads: number): LocalModelOptions => ({ id: name, path, threads, contextSize: 0, gpu: 'off', temperature: 0, tokenHealing: false });
  const loads: number[] = [];
  let backend!: LocalModelBackend;
  for (let i = 0; i < 3; i++) {
    if (backend) await backend.dispose();
    const started = performance.now();
    backend = await LocalModelBackend.load(options(1));
    loads.push(performance.now() - started);
  }
  const contextSize = backend.info.contextSize;

  // Prompt processing: ~400-token prompts from an empty cache, one generated token.
  const promptRates: number[] = [];
  for (const text of texts) {
    await backend.clearCache();
    const cut = cursorIn(text, 1200);
    const result = await backend.complete({ prefix: text.slice(0, cut), suffix: text.slice(cut, cut + 400), maxTokens: 1, timeBudgetMs: 60_000 });
    promptRates.push(result.timings.promptTokens / (result.timings.timeToFirstTokenMs / 1000));
  }

  // Typing: 24 keystrokes at one place, each a request; with the cache reused, then cleared each time.
  const typing = async (reuse: boolean) => {
    const text = texts[0]!;
    const cut = cursorIn(text, 1500);
    const ttft: number[] = [];
    const reused: number[] = [];
    for (let typed = 0; typed < 24; typed++) {
      if (!reuse) await backend.clearCache();
      const prefix = text.slice(0, cut) + 'MOVE WS-TOTAL TO WS-OUT.'.slice(0, typed);
      const result = await backend.complete({ prefix, suffix: text.slice(cut, cut + 400), maxTokens: 8, timeBudgetMs: 60_000, stop: ['\n'] });
      if (typed > 0) {
        ttft.push(result.timings.timeToFirstTokenMs || result.timings.totalMs);
        reused.push(result.timings.reusedTokens / result.timings.promptTokens);
      }
    }
    return { medianMs: round(median(ttft)), p90Ms: round(percentile(ttft, 0.9)), reusedShare: round(median(reused), 3) };
  };
  const ttftWithReuse = await typing(true);
  const ttftWithoutReuse = await typing(false);

  // Decode: 64 tokens (or to end of text) without healing; tokens after the first, over their time.
  const decode = async (threads: number) => {
    const decoder = threads === 1 ? backend : await LocalModelBackend.load(options(threads));
    const rates: number[] = [];
    for (let run = 0; run < 5; run++) {
      for (const text of texts.slice(0, 3)) {
        const cut = cursorIn(text, 800 + run * 97);
        const result = await decoder.complete({ prefix: text.slice(0, cut), suffix: '', maxTokens: 64, timeBudgetMs: 60_000 });
        const generated = result.tokenProbabilities.length;
        const decodeMs = result.timings.totalMs - result.timings.timeToFirstTokenMs;
        if (generated >= 8 && decodeMs > 0) rates.push((generated - 1) / (decodeMs / 1000));
      }
    }
    if (decoder !== backend) await decoder.dispose();
    return round(median(rates));
  };
  const decodeTokensPerSecond1Thread = await decode(1);
  const decodeTokensPerSecond2Threads = await decode(2);
  await backend.dispose();
  return {
    loadMs: round(median(loads)),
    contextSize,
    promptTokensPerSecond: round(median(promptRates)),
    decodeTokensPerSecond1Thread,
    decodeTokensPerSecond2Threads,
    timeToFirstTokenWithReuse: ttftWithReuse,
    timeToFirstTokenWithoutReuse: ttftWithoutReuse,
  };
}

/** Per-case results of each evaluated model, for the paired comparisons: synthetic split, real split. */
const caseResults = new Map<string, CaseResult[]>();
const realCaseResults = new Map<string, CaseResult[]>();

async function quality(path: string, realPrograms: readonly EvalProgram[] | undefined) {
  // The committed copy of the test split, else the pipeline's working copy.
  const split = [join(root, 'models/eval/test-split.jsonl'), join(root, 'models/.work/corpus/test.jsonl')].find((path) => existsSync(path));
  if (!split) return { skipped: 'no test split (models/eval/test-split.jsonl): run npm run model:build -- --stage corpus' };
  const programs = loadEvalPrograms(split);
  const result = await evaluateModel({ modelPath: path, programs, cases, seed: EVAL.seed, maxTokens: EVAL.maxTokens, threads: 1, gpu: 'off' });
  caseResults.set(path, result.cases);
  // llama.cpp's own loss on the first 256 tokens of 20 held-out programs: a low-variance second signal.
  const llama = await getRuntime('off');
  const model = await llama.loadModel({ modelPath: path });
  // Characters per token with the model's own vocabulary, as llama.cpp tokenises them.
  const charsPerToken = (texts: readonly string[]) => {
    const chars = texts.reduce((n, t) => n + t.length, 0);
    const tokens = texts.reduce((n, t) => n + model.tokenize(t).length, 0);
    return tokens ? round(chars / tokens, 3) : null;
  };
  const charsPerTokenSynthetic = charsPerToken(programs.map((p) => p.text));
  const charsPerTokenReal = realPrograms ? charsPerToken(realPrograms.map((p) => p.text)) : null;
  const loss = await heldOutLoss(model, programs.slice(0, 20).map((p) => p.text), 256).finally(() => model.dispose());
  const s = result.summary;
  const synthetic = { exactMatch: s.exactMatch, editSimilarity: s.editSimilarity, compileKeepRate: s.compileKeepRate, heldOutLossNats: round(loss, 4), cases: s.cases, compileChecked: s.compileChecked, msPerCase: s.msPerCase, charsPerTokenSynthetic, charsPerTokenReal };
  if (!realPrograms) return { ...synthetic, real: { skipped: 'no real-code corpus (../shared/corpus/real, or --real-corpus DIR)' } };
  const real = await evaluateModel({ modelPath: path, programs: realPrograms, cases, seed: EVAL.seed, maxTokens: EVAL.maxTokens, threads: 1, gpu: 'off' });
  realCaseResults.set(path, real.cases);
  const r = real.summary;
  // Cuts where developers pause (after a level number, in PIC, after PERFORM / MOVE … TO, mid-statement).
  const pause = await evaluateModel({ modelPath: path, programs: realPrograms, caseList: makePauseCases(realPrograms, cases, EVAL.seed), maxTokens: EVAL.maxTokens, threads: 1, gpu: 'off', compileCheck: false });
  const byKind = Object.fromEntries(PAUSE_KINDS.map((kind) => {
    const of = pause.cases.filter((c) => c.kind === kind);
    return [kind, { cases: of.length, exactMatch: round(of.filter((c) => c.exact).length / Math.max(1, of.length), 4), editSimilarity: round(of.reduce((n, c) => n + c.similarity, 0) / Math.max(1, of.length), 4) }];
  }));
  return { ...synthetic, realExactMatch: r.exactMatch, realEditSimilarity: r.editSimilarity, realCompileKeepRate: r.compileKeepRate, realCompileChecked: r.compileChecked, realCases: r.cases, realMeanPromptTokens: r.meanPromptTokens, realMsPerCase: r.msPerCase, realPauseExactMatch: pause.summary.exactMatch, realPauseEditSimilarity: pause.summary.editSimilarity, realPauseByKind: byKind };
}

/** Training figures of a committed model, measured by the pipeline when it trained it (models/manifest.json). */
function training(path: string) {
  const manifest = JSON.parse(readFileSync(join(root, 'models/manifest.json'), 'utf8')) as { models: Record<string, { file: string; training?: Record<string, unknown> }> };
  const entry = Object.values(manifest.models).find((m) => join(root, 'models', m.file) === path);
  const t = entry?.training;
  if (!t) return {};
  // Copied, not measured here: labelled so that nobody reads them as this run's figures.
  return {
    copiedFromManifest: {
      source: 'models/manifest.json: measured by the pipeline when it trained the model, not in this run',
      trainingTokens: t.tokens, trainingWallSeconds: t.wallSeconds, trainingTokensPerSecond: t.tokensPerSecond, trainingDevice: t.device, trainingThreads: t.threads,
    },
  };
}

/** The last distillation measurement (models/eval/distillation.json), copied with its recipe and labelled as such. */
function recordedDistillation() {
  const path = join(root, 'models/eval/distillation.json');
  if (!existsSync(path)) return {};
  return { copiedFromRecord: { source: 'models/eval/distillation.json: measured by an earlier bench:model run, not in this run', ...JSON.parse(readFileSync(path, 'utf8')) } };
}

async function main() {
  const started = performance.now();
  const llamaCpp = await loadNodeLlamaCpp();
  const runtimeStarted = performance.now();
  const llama = await getRuntime('off');
  const runtimeStartMs = round(performance.now() - runtimeStarted);
  const texts = programs();
  if (texts.length === 0) throw new Error('no COBOL programs under test/fixtures/corpus for the speed prompts');
  const results: Record<string, unknown> = {};
  // The real-code test split: its absence is reported in the results, never silently skipped.
  const realPrograms = realCorpusDir && existsSync(realCorpusDir) ? await loadRealEvalPrograms(realCorpusDir, log) : undefined;
  if (realPrograms) {
    const repositories = new Set(realPrograms.map((p) => p.repository));
    log(`real-code test split: ${realPrograms.length} programs from ${repositories.size} held-out repositories, ${realPrograms.filter((p) => p.cobcDirect).length} accepted by cobc as they are`);
    const tok = new Tokenizer(JSON.parse(readFileSync(join(root, 'models/tokenizer.json'), 'utf8')) as TokenizerData);
    const split = [join(root, 'models/eval/test-split.jsonl'), join(root, 'models/.work/corpus/test.jsonl')].find((path) => existsSync(path));
    results.realSplit = { corpus: realCorpusDir, programs: realPrograms.length, repositories: [...repositories], cobcAccepted: realPrograms.filter((p) => p.cobcDirect).length };
    results.tokenizerFit = { synthetic: split ? tokenizerFit(tok, loadEvalPrograms(split).map((p) => p.text)) : null, real: tokenizerFit(tok, realPrograms.map((p) => p.text)) };
    log(`tokenizer fit: ${JSON.stringify(results.tokenizerFit)}`);
  } else {
    log(`no real-code corpus at ${realCorpusDir ?? '../shared/corpus/real'}: the real-code figures are missing from this run`);
    results.realSplit = { missing: realCorpusDir ?? '../shared/corpus/real' };
  }
  for (const [name, path] of Object.entries(models)) {
    if (!existsSync(path)) {
      log(`${name}: ${path} does not exist (npm run model:build makes it); skipped`);
      results[name] = { missing: path };
      continue;
    }
    const facts = await inspectGgufFile(path, llamaCpp);
    log(`${name}: ${facts.parameters} parameters, ${facts.bytes} bytes; measuring speed`);
    const speedFigures = withSpeed ? await speed(name, path, texts) : {};
    if (withSpeed) log(`${name}: ${JSON.stringify(speedFigures)}`);
    log(`${name}: evaluating ${cases} cases on the test split${realPrograms ? ' and on the real-code split' : ''}`);
    const qualityFigures = await quality(path, realPrograms);
    log(`${name}: ${JSON.stringify(qualityFigures)}`);
    results[name] = { params: facts.parameters, bytes: facts.bytes, architecture: facts.architecture, ...training(path), ...speedFigures, ...qualityFigures };
  }
  // The gap the router can use: large against small on the same cases.
  const [smallCases, largeCases] = [caseResults.get(models.small!), caseResults.get(models.large!)];
  if (smallCases && largeCases) {
    results.largeOverSmall = compareModels(smallCases, largeCases, EVAL.seed);
    log(`large over small: ${JSON.stringify(results.largeOverSmall)}`);
  }
  const [smallReal, largeReal] = [realCaseResults.get(models.small!), realCaseResults.get(models.large!)];
  if (smallReal && largeReal) {
    results.largeOverSmallReal = compareModels(smallReal, largeReal, EVAL.seed);
    log(`large over small on real code: ${JSON.stringify(results.largeOverSmallReal)}`);
  }
  // Every other model named on the command line against the committed small, on both splits.
  for (const [name, path] of Object.entries(models)) {
    if (name === 'small' || name === 'large' || !smallCases) continue;
    const synthetic = caseResults.get(path);
    const real = realCaseResults.get(path);
    if (synthetic) results[`${name}OverSmall`] = compareModels(smallCases, synthetic, EVAL.seed);
    if (real && smallReal) results[`${name}OverSmallReal`] = compareModels(smallReal, real, EVAL.seed);
    log(`${name} over small: ${JSON.stringify(results[`${name}OverSmall`])}; on real code: ${JSON.stringify(results[`${name}OverSmallReal`])}`);
  }
  // Distillation's gain: the same small trained with and without soft targets from large, paired on the real split.
  const [withoutTeacher, withTeacher] = [models['small-undistilled'], models['small-distilled']].map((path) => (path ? realCaseResults.get(path) : undefined));
  const [withoutTeacherSynthetic, withTeacherSynthetic] = [models['small-undistilled'], models['small-distilled']].map((path) => (path ? caseResults.get(path) : undefined));
  // Each figure names the two files it compares; without them, the recorded measurement (labelled, not this run's).
  const file = (path: string) => ({ path, sha256: sha256File(path) });
  results.distillationGain = withoutTeacher && withTeacher
    ? {
        measured: true,
        undistilled: file(models['small-undistilled']!),
        distilled: file(models['small-distilled']!),
        real: compareModels(withoutTeacher, withTeacher, EVAL.seed),
        synthetic: withoutTeacherSynthetic && withTeacherSynthetic ? compareModels(withoutTeacherSynthetic, withTeacherSynthetic, EVAL.seed) : null,
      }
    : {
        measured: false,
        reason: 'needs --model small-distilled=FILE.gguf and --model small-undistilled=FILE.gguf: the same small model trained with and without soft targets from large (model:build phase option `distill`)',
        ...recordedDistillation(),
      };
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model, node: process.version, llamaCppGpu: llama.gpu || 'none' },
    runtimeStartMs,
    method: 'speed through server/model LocalModelBackend (CPU, greedy, no token healing); medians; prompt = tokens / time to first token from an empty cache; decode = (tokens - 1) / (total - time to first token); typing = 23 keystrokes at one cursor, prompt with a 400-character suffix; quality from models/pipeline/evaluate.ts (token healing on) on the test split; training figures from models/manifest.json, as measured when the pipeline trained the model',
    ...results,
    wallSeconds: round((performance.now() - started) / 1000),
  };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results/model.json'), JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify(report, null, 2));
  log(`wrote bench-results/model.json in ${report.wallSeconds} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench:model] failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
