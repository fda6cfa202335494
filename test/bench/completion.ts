/**
 * `npm run bench:completion`: the inline completion engine's latency, load
 * behaviour and quality, printed and written to bench-results/completion.json.
 *
 * Latency (the bundled cobol-slm-small, one CPU thread as the host chooses,
 * a generated 10,000-line fixed-format program with copybooks): keystroke to
 * suggestion inside the server (the engine's own clock, every stage), while
 * typing the last characters of 40 PROCEDURE DIVISION lines a key every
 * 120 ms: requests answered by the model (`latencyP50Ms`, `latencyP95Ms`),
 * and those answered by typing-along or the cache (`cacheHitMs`, p50).
 * Load: a burst of 50 keystrokes 20 ms apart (`burstGenerations`: model
 * generations started), and the heap over 5,000 requests (`memory`).
 *
 * Quality at pause points (test/bench/completionCases.ts), two sets: the
 * model's synthetic test split (models/eval/test-split.jsonl) and the real-code
 * test split (models/eval/realSplit.ts, repositories no model trained on).
 * Six engine configurations on the same cases in the same run: `full`
 * (COBOL-aware context + name-aware decoding and declaration names +
 * document candidates), `noCandidates`, `noContext`, `noNames` (each the
 * full engine less one), `candidatesOnly` (less context and names: their gain
 * together, `contextAndNamesGain`), `bare` (none of them; trigger rules,
 * post-processing and validation still on). Exact match of the line's code, edit similarity,
 * compile-keep (cobc accepts the program with the suggestion's line, for the
 * programs cobc accepts as they are; `full` and `bare`), and paired-bootstrap
 * 95 % intervals of full over bare, context, names, both, and candidates
 * (models/pipeline/evaluate.ts). The candidates' weights were fitted on other
 * repositories (engine.ts, `candidateWeights`), never on these cases.
 * `exactMatchNoContext` / `realExactMatchNoContext` are the `bare` configuration.
 *
 * Usage: npm run bench:completion [-- --cases N] [--real-corpus DIR] (cases per set, default 150)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { defaultRealCorpusDir } from '../../models/eval/realSplit';
import { type CaseResult, compareModels, compiles, type EvalProgram, lineSimilarity, loadEvalPrograms } from '../../models/pipeline/evaluate';
import { CompletionEngine, type EngineFeatures } from '../../server/completion';
import { percentile } from '../../server/completion/metrics';
import { ModelHost } from '../../server/model/modelHost';
import { defaultModelSettings } from '../../server/model/modelSettings';
import { defaultSettings } from '../../server/settings';
import { MemoryDocuments, Workspace } from '../../server/workspace';
import { generateProgram } from './generateCobol';
import { inputAt, makePauseCases, openPause, type PauseCase, realPrograms } from './completionCases';

const root = process.argv[2] ?? process.cwd();
const args = process.argv.slice(3);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const casesPerSet = Number(option('--cases') ?? 150) || 150;
const log = (message: string) => console.log(`[bench:completion] ${message}`);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMB = () => {
  gc();
  return round(process.memoryUsage().heapUsed / 1048576, 2);
};

const configurations: Record<string, Partial<EngineFeatures>> = {
  full: { context: true, names: true, candidates: true },
  noCandidates: { context: true, names: true, candidates: false },
  noContext: { context: false, names: true, candidates: true },
  noNames: { context: true, names: false, candidates: true },
  candidatesOnly: { context: false, names: false, candidates: true },
  bare: { context: false, names: false, candidates: false },
};


async function main() {
  const started = performance.now();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-completion-'));
  const host = new ModelHost({ extensionRoot: root, guardFolder: scratch, log: () => {}, onStatus: () => {} });
  await host.configure({ ...defaultModelSettings, gpu: 'off' });
  if (host.status.state !== 'ready') throw new Error(`the bundled model did not load: ${host.status.message}`);
  log(`model ${host.status.modelId} on ${host.status.device}, ${host.status.threads} thread(s), context ${host.status.contextSize}`);
  try {
    // --quality-only: a quick look at quality while working on the engine (no latency figures are then valid).
    const latency = args.includes('--quality-only') ? await measureNothing() : await measureLatency(host, scratch);
    log(`${round((performance.now() - started) / 1000)} s: latency: model p50 ${latency.latencyP50Ms} ms, p95 ${latency.latencyP95Ms} ms (${latency.modelRequests} requests); cache/typing-along p50 ${latency.cacheHitMs} ms (${latency.cacheRequests}); burst: ${latency.burstGenerations} generations; heap +${latency.memory.growthMB} MB over ${latency.memory.requests} requests`);
    const synthetic = loadEvalPrograms(join(root, 'models/eval/test-split.jsonl'));
    const syntheticQuality = await measureQuality('synthetic', synthetic, host, scratch);
    // A worktree beside the main checkout (…/wt/NAME) finds the shared folder one level further up.
    const corpus = option('--real-corpus') ?? defaultRealCorpusDir(root) ?? defaultRealCorpusDir(join(root, '..'));
    if (!corpus) throw new Error('the real-code corpus (../shared/corpus/real) is missing: it is needed for realExactMatch');
    const real = await realPrograms(corpus);
    log(`${round((performance.now() - started) / 1000)} s: synthetic done; real split: ${real.length} programs, ${real.filter((p) => p.cobcDirect).length} compile as they are`);
    const realQuality = await measureQuality('real', real, host, scratch);
    const result = {
      latencyP50Ms: latency.latencyP50Ms,
      latencyP95Ms: latency.latencyP95Ms,
      cacheHitMs: latency.cacheHitMs,
      exactMatch: syntheticQuality.summary.full.exactMatch,
      exactMatchNoContext: syntheticQuality.summary.bare.exactMatch,
      realExactMatch: realQuality.summary.full.exactMatch,
      realExactMatchNoContext: realQuality.summary.bare.exactMatch,
      editSimilarity: syntheticQuality.summary.full.editSimilarity,
      realEditSimilarity: realQuality.summary.full.editSimilarity,
      compileKeepRate: syntheticQuality.summary.full.compileKeepRate,
      realCompileKeepRate: realQuality.summary.full.compileKeepRate,
      burstGenerations: latency.burstGenerations,
      latency,
      synthetic: syntheticQuality,
      real: realQuality,
      model: { id: host.status.modelId, device: host.status.device, threads: host.status.threads, contextSize: host.status.contextSize },
      machine: { cpus: availableParallelism(), cpu: cpus()[0]?.model ?? 'unknown' },
      wallSeconds: round((performance.now() - started) / 1000),
    };
    const file = join(root, 'bench-results', 'completion.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    const { latency: _l, synthetic: _s, real: _r, ...headline } = result;
    console.log(JSON.stringify(headline, null, 2));
    for (const [name, set] of [['synthetic', syntheticQuality], ['real', realQuality]] as const) {
      for (const [configuration, figures] of Object.entries(set.summary)) log(`${name} ${configuration}: ${JSON.stringify(figures)}`);
      log(`${name} full over bare: ${JSON.stringify(set.fullOverBare)}`);
      for (const gain of ['contextGain', 'namesGain', 'contextAndNamesGain', 'candidatesGain'] as const) log(`${name} ${gain}: ${JSON.stringify(set[gain])}`);
      log(`${name}: the full engine showed a document candidate in ${set.documentChosen} of ${set.summary.full!.cases} cases`);
    }
    log(`wrote ${file} in ${result.wallSeconds} s`);
  } finally {
    await host.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function measureNothing(): Promise<Awaited<ReturnType<typeof measureLatency>>> {
  return { program: { lines: 0, copybooks: 0 }, latencyP50Ms: NaN, latencyP95Ms: NaN, cacheHitMs: NaN, cacheHitP95Ms: NaN, modelRequests: 0, cacheRequests: 0, stageP50Ms: {}, burstGenerations: NaN, memory: { requests: 0, heapAfter1000MB: NaN, heapAfter5000MB: NaN, growthMB: NaN } };
}

async function measureLatency(host: ModelHost, scratch: string) {
  const folder = join(scratch, 'latency');
  mkdirSync(folder, { recursive: true });
  const sources = generateProgram({ seed: 8, programLines: 10_000, programNumber: 1 });
  for (const copybook of sources.copybooks) writeFileSync(join(folder, copybook.fileName), copybook.text);
  const program = sources.programs[0]!;
  const id = join(folder, program.fileName);
  writeFileSync(id, program.text);
  const documents = new MemoryDocuments();
  const workspace = new Workspace({ documents, settingsFor: async () => defaultSettings });
  workspace.setRoots([folder]);
  documents.set(id, program.text);
  await workspace.analysis(id);
  const engine = new CompletionEngine({ workspace, model: host });
  const lines = program.text.split('\n');
  const procedure = lines.findIndex((line) => /PROCEDURE DIVISION/.test(line));
  const candidates = lines.map((line, index) => ({ line, index })).filter(({ line, index }) => index > procedure && line[6] === ' ' && line.slice(7, 72).trim().length >= 20);
  const offsets: number[] = [];
  for (let i = 0, at = 0; i < lines.length; i++) {
    offsets.push(at);
    at += lines[i]!.length + 1;
  }
  const modelMs: number[] = [];
  const cacheMs: number[] = [];
  const stageSums: Record<string, number[]> = {};
  const step = Math.floor(candidates.length / 40);
  for (let n = 0; n < 40; n++) {
    const { line, index } = candidates[n * step]!;
    const code = line.slice(0, 72).trimEnd();
    // Type the line's last 8 characters, a key every 120 ms (the rest of the line not there yet).
    for (let length = code.length - 8; length <= code.length; length++) {
      const text = program.text.slice(0, offsets[index]!) + code.slice(0, length) + program.text.slice(offsets[index]! + line.length);
      const outcome = await engine.complete(inputAt(id, text, offsets[index]! + length));
      if (outcome.source === 'cache' || outcome.source === 'typingAlong') cacheMs.push(outcome.latencyMs);
      else if (outcome.stages.generationMs > 0) {
        modelMs.push(outcome.latencyMs);
        for (const [stage, value] of Object.entries(outcome.stages)) (stageSums[stage] ??= []).push(value);
      }
      await sleep(120);
    }
  }
  // A burst: 50 keystrokes 20 ms apart on one line.
  const { line: burstLine, index: burstIndex } = candidates[7]!;
  const before = host.scheduler.counters.started.inline;
  const pending = [];
  const typed = burstLine.slice(0, 72).trimEnd();
  const from = Math.max(12, typed.length - 50);
  for (let length = from; length < from + 50; length++) {
    const chars = (typed + ' '.repeat(60)).slice(0, length);
    const text = program.text.slice(0, offsets[burstIndex]!) + chars + program.text.slice(offsets[burstIndex]! + burstLine.length);
    pending.push(engine.complete(inputAt(id, text, offsets[burstIndex]! + length, { features: { cache: false } })));
    await sleep(20);
  }
  await Promise.all(pending);
  const burstGenerations = host.scheduler.counters.started.inline - before;

  // Memory over 5,000 requests: 400 places in turn (model calls, then LRU hits), heap after a full collection.
  // Each request's text is made when it is sent and dropped after, so the heap shows the engine's state only.
  const places = candidates.slice(0, 400);
  let heapAfter1000 = 0;
  for (let request = 0; request < 5_000; request++) {
    const { line, index } = places[request % places.length]!;
    const text = program.text.slice(0, offsets[index]!) + line.slice(0, 30) + program.text.slice(offsets[index]! + line.length);
    await engine.complete(inputAt(id, text, offsets[index]! + 30, { features: { debounce: false } }));
    if (request === 999) heapAfter1000 = heapMB();
  }
  const heapAfter5000 = heapMB();
  const stageP50 = Object.fromEntries(Object.entries(stageSums).map(([stage, values]) => [stage, percentile(values, 0.5)]));
  return {
    program: { lines: program.lineCount, copybooks: sources.copybooks.length },
    latencyP50Ms: percentile(modelMs, 0.5),
    latencyP95Ms: percentile(modelMs, 0.95),
    cacheHitMs: percentile(cacheMs, 0.5),
    cacheHitP95Ms: percentile(cacheMs, 0.95),
    modelRequests: modelMs.length,
    cacheRequests: cacheMs.length,
    stageP50Ms: stageP50,
    burstGenerations,
    memory: { requests: 5_000, heapAfter1000MB: heapAfter1000, heapAfter5000MB: heapAfter5000, growthMB: round(heapAfter5000 - heapAfter1000, 2) },
  };
}

interface Figures {
  cases: number;
  exactMatch: number;
  editSimilarity: number;
  compileKeepRate: number | null;
  compileChecked: number;
  suggested: number;
  msPerCase: number;
}

async function measureQuality(name: string, programs: EvalProgram[], host: ModelHost, scratch: string) {
  const cases = makePauseCases(programs, casesPerSet, 4242);
  const byId = new Map(programs.map((program) => [program.id, program]));
  const results: Record<string, CaseResult[]> = Object.fromEntries(Object.keys(configurations).map((key) => [key, []]));
  const reasons: Record<string, (string | undefined)[]> = Object.fromEntries(Object.keys(configurations).map((key) => [key, []]));
  const suggested: Record<string, number> = Object.fromEntries(Object.keys(configurations).map((key) => [key, 0]));
  let chosenFromDocument = 0;
  const cobcDir = join(scratch, `cobc-${name}`);
  mkdirSync(cobcDir, { recursive: true });
  const folders = new Map<string, string>();
  for (const [number, testCase] of cases.entries()) {
    const program = byId.get(testCase.programId)!;
    // One folder per program (its copybooks); the line is cut at the cursor (typed so far).
    const folder = folders.get(program.id) ?? folders.set(program.id, join(scratch, `${name}-${folders.size}`)).get(program.id)!;
    const { workspace, id, text } = await openPause(program, testCase, folder);
    const engine = new CompletionEngine({ workspace, model: host });
    for (const [configuration, features] of Object.entries(configurations)) {
      const outcome = await engine.complete(inputAt(id, text, testCase.cut, { trigger: 'manual', features: { ...features, cache: false, debounce: false } }));
      if (configuration === 'full' && outcome.source === 'document') chosenFromDocument++;
      if (outcome.text) suggested[configuration]!++;
      reasons[configuration]!.push(outcome.reason);
      const firstLine = outcome.text.split('\n')[0]!;
      const lineStart = program.text.lastIndexOf('\n', testCase.cut - 1) + 1;
      const fullLine = program.text.slice(lineStart, testCase.cut) + firstLine;
      const got = (testCase.fixed ? fullLine.slice(testCase.column, 72) : fullLine.slice(testCase.column)).trimEnd();
      let compilesNow: boolean | null = null;
      if (program.cobcDirect && (configuration === 'full' || configuration === 'bare')) {
        compilesNow = await compiles(program, program.text.slice(0, testCase.cut) + firstLine + program.text.slice(testCase.lineEnd), cobcDir);
      }
      results[configuration]!.push({ programId: testCase.programId, column: testCase.column, expected: testCase.expected, completion: got, exact: got === testCase.expected, similarity: lineSimilarity(got, testCase.expected), compiles: compilesNow, promptTokens: outcome.stages.promptTokens, generatedTokens: outcome.stages.generatedTokens, ms: outcome.latencyMs });
    }
    if ((number + 1) % 50 === 0) log(`${name}: ${number + 1}/${cases.length} cases`);
  }
  const summary: Record<string, Figures> = {};
  for (const [configuration, list] of Object.entries(results)) {
    const checked = list.filter((r) => r.compiles !== null);
    summary[configuration] = {
      cases: list.length,
      exactMatch: round(mean(list.map((r) => (r.exact ? 1 : 0))), 4),
      editSimilarity: round(mean(list.map((r) => r.similarity)), 4),
      compileKeepRate: checked.length ? round(mean(checked.map((r) => (r.compiles ? 1 : 0))), 4) : null,
      compileChecked: checked.length,
      suggested: suggested[configuration]!,
      msPerCase: round(mean(list.map((r) => r.ms))),
    };
  }
  const byKind: Record<string, Record<string, number>> = {};
  for (const kind of new Set(cases.map((c: PauseCase) => c.kind))) {
    const indexes = cases.map((c, i) => (c.kind === kind ? i : -1)).filter((i) => i >= 0);
    byKind[kind] = Object.fromEntries(Object.entries(results).map(([configuration, list]) => [configuration, round(mean(indexes.map((i) => (list[i]!.exact ? 1 : 0))), 4)]));
    byKind[kind]!.cases = indexes.length;
  }
  return {
    programs: programs.length,
    summary,
    byKind,
    // Paired over the same cases: b's gain over a, with 95 % bootstrap intervals.
    fullOverBare: compareModels(results.bare!, results.full!),
    contextGain: compareModels(results.noContext!, results.full!),
    namesGain: compareModels(results.noNames!, results.full!),
    contextAndNamesGain: compareModels(results.candidatesOnly!, results.full!),
    candidatesGain: compareModels(results.noCandidates!, results.full!),
    // How often the full engine showed a document candidate rather than the model's own line.
    documentChosen: chosenFromDocument,
    noSuggestion: Object.fromEntries(Object.entries(reasons).map(([configuration, list]) => [configuration, countReasons(list)])),
    examples: results.full!.slice(0, 24).map((r, i) => ({ kind: cases[i]!.kind, expected: r.expected, full: r.completion, fullReason: reasons.full![i], bare: results.bare![i]!.completion, bareReason: reasons.bare![i] })),
  };
}

function countReasons(list: (string | undefined)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reason of list) if (reason) counts[reason.replace(/:.*$/, '')] = (counts[reason.replace(/:.*$/, '')] ?? 0) + 1;
  return counts;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
