/**
 * `npm run bench:router [-- --cases N] [--real DIR] [--latency N]`: the
 * shipped router (models/router.json) judged on cases it never saw, written
 * to bench-results/router.json and plotted to bench-results/router.png.
 *
 * Cases (models/pipeline/evaluate.ts's case making and scoring, N per split):
 * - `test`: the half of the test split's programs router:train never uses
 *   (routingData.ts splitPrograms);
 * - `real`: the real-code test split (models/eval/realSplit.ts), code no model
 *   and no router ever trained on.
 * The small model runs here through the product's host, the large one in a
 * `serve:model` process over real HTTP through the product's remote backend.
 * For each split and for both together: quality (exact match; compile-keep
 * on the programs cobc accepts) of small only, large only, the oracle, the
 * router across thresholds and random routing at the same shares; APGR,
 * CPT(50 %), CPT(80 %), the remote share at which the router matches
 * large-only quality, the best quality and where. The top-level keys are the
 * two splits together. `addedLatencyMs`: the median time a routed request
 * adds after the local answer, over real HTTP, through CompletionRouter.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { EVAL, MODELS, bundledFile } from '../../models/pipeline/config';
import { loadEvalPrograms } from '../../models/pipeline/evaluate';
import { loadProgramFiles } from '../../models/pipeline/evaluateFolder';
import { defaultRealCorpusDir, realTestSplit } from '../../models/eval/realSplit';
import { startModelServerProcess } from '../../models/router/modelServerProcess';
import { RoutingCase, collectRoutingCases, splitPrograms } from '../../models/router/routingData';
import { LocalModelBackend } from '../../server/model/localBackend';
import { RemoteModelBackend } from '../../server/remote/remoteBackend';
import { defaultRemoteSettings, defaultRouterSettings } from '../../server/remote/remoteSettings';
import { predict, rocAuc } from '../../server/router/logistic';
import { CompletionRouter } from '../../server/router/router';
import { RouterFile, parseRouterFile } from '../../server/router/routerFile';
import { LabelledCase, routingCurve, sampleCurve, summariseRouting } from '../../server/router/routingMetrics';

const root = process.argv[2] ?? process.cwd();
const args = process.argv.slice(3);
const option = (name: string) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const casesPerSplit = Number(option('--cases') ?? 300);
const latencyRequests = Number(option('--latency') ?? 40);
const log = (message: string) => console.log(`[bench:router] ${message}`);
const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)]! : 0;
};
const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : 0;
};

/** Every figure the issue names, for one set of cases, on one quality measure. */
function judge(cases: readonly RoutingCase[], file: RouterFile, quality: (answer: RoutingCase['small']) => number | null) {
  const labelled: LabelledCase[] = [];
  for (const c of cases) {
    const [small, large] = [quality(c.small), quality(c.large)];
    if (small === null || large === null) continue;
    labelled.push({ score: predict(file.model, c.features), small, large });
  }
  const summary = summariseRouting(labelled);
  const curve = routingCurve(labelled);
  const atThreshold = labelled.filter((c) => c.score < file.threshold);
  const shippedShare = labelled.length ? atThreshold.length / labelled.length : 0;
  const shippedQuality = labelled.length ? labelled.reduce((s, c) => s + (c.score < file.threshold ? c.large : c.small), 0) / labelled.length : 0;
  return {
    ...summary,
    shippedThreshold: { threshold: round(file.threshold), remoteShare: round(shippedShare), quality: round(shippedQuality), randomQualityAtSameShare: round((1 - shippedShare) * summary.smallOnlyQuality + shippedShare * summary.largeOnlyQuality) },
    curve: sampleCurve(curve, 0.05),
  };
}

function report(cases: readonly RoutingCase[], file: RouterFile) {
  const exact = judge(cases, file, (a) => (a.exact ? 1 : 0));
  const compileKeep = judge(cases, file, (a) => (a.compiles === null ? null : a.compiles ? 1 : 0));
  const scores = cases.map((c) => predict(file.model, c.features));
  return {
    cases: cases.length,
    scoreAuc: round(rocAuc(scores, cases.map((c) => c.small.exact))),
    exactMatch: exact,
    compileKeep: { ...compileKeep, checkedCases: compileKeep.cases },
    editSimilarity: { small: round(mean(cases.map((c) => c.small.similarity))), large: round(mean(cases.map((c) => c.large.similarity))) },
  };
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

async function main() {
  const started = performance.now();
  const routerPath = join(root, 'models/router.json');
  if (!existsSync(routerPath)) throw new Error('models/router.json is missing: make it with npm run router:train (see README)');
  const file = parseRouterFile(JSON.parse(readFileSync(routerPath, 'utf8')), routerPath);
  const realDir = option('--real') ? resolve(option('--real')!) : defaultRealCorpusDir(root);
  if (!realDir || !existsSync(join(realDir, 'MANIFEST.tsv'))) throw new Error('the real-code corpus is missing (../shared/corpus/real): pass --real DIR');

  const testPrograms = splitPrograms(loadEvalPrograms(join(root, 'models/eval/test-split.jsonl'))).heldOut;
  const realFiles = realTestSplit(realDir);
  const realPrograms = await loadProgramFiles(realFiles.map((f) => f.file), join(realDir, 'files'));
  log(`held-out programs: ${testPrograms.length} from the test split, ${realPrograms.length} real (${realPrograms.filter((p) => p.cobcDirect).length} accepted by cobc as they are)`);

  const server = await startModelServerProcess(root, 'cobol-slm-large');
  const smallPath = join(root, 'models', bundledFile(MODELS.small));
  const local = await LocalModelBackend.load({ id: 'cobol-slm-small', path: smallPath, threads: 1, contextSize: 0, gpu: 'off', temperature: 0, tokenHealing: true });
  const remote = new RemoteModelBackend({ ...defaultRemoteSettings, endpoint: server.url, model: 'cobol-slm-large', api: 'completions', apiKey: '', timeoutMs: 30_000 });
  const splits: Record<string, RoutingCase[]> = {};
  let latency: Record<string, number> = {};
  try {
    for (const [name, programs] of [['test', testPrograms], ['real', realPrograms]] as const) {
      const splitStarted = performance.now();
      splits[name] = await collectRoutingCases({
        split: name, programs, cases: casesPerSplit, seed: EVAL.seed, maxTokens: EVAL.maxTokens, local, remote,
        onProgress: (done, total) => {
          if (done % 50 === 0 || done === total) log(`${name}: ${done}/${total} cases (${Math.round((performance.now() - splitStarted) / 1000)} s)`);
        },
      });
    }
    // Added latency: requests through the router, one after another, each routed (target share 1).
    const router = new CompletionRouter({ local, remote, file, settings: { ...defaultRouterSettings, mode: 'auto', targetRemoteShare: 1 }, log: () => undefined });
    const added: number[] = [];
    const byId = new Map(testPrograms.map((p) => [p.id, p]));
    for (const c of splits.test!.slice(0, latencyRequests)) {
      const text = byId.get(c.programId)!.text;
      const request = { prefix: text.slice(0, c.cut), suffix: text.slice(c.lineEnd), maxTokens: EVAL.maxTokens, timeBudgetMs: 5_000, stop: ['\n'] };
      const routed = await router.route(request, { documentId: c.programId });
      if (routed.decision.route === 'remote') added.push(routed.addedLatencyMs);
    }
    const stats = router.stats.snapshot();
    latency = { addedLatencyMs: round(median(added), 1), addedLatencyP90Ms: round(percentile(added, 0.9), 1), routedRequests: added.length, fallbacks: stats.fallbacks };
  } finally {
    await local.dispose();
    await server.stop();
  }

  const all = [...splits.test!, ...splits.real!];
  const pooled = report(all, file);
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model, node: process.version },
    method: 'held-out next-line cases (models/pipeline/evaluate.ts case making and scoring): the test split half router:train never used, and the real-code test split (models/eval/realSplit.ts); small (cobol-slm-small) in process, large (cobol-slm-large) over HTTP from serve:model; the router scores the local attempt and routes the lowest scores; quality = exact match (compile-keep over the programs cobc accepts as they are); random = the expected quality of routing the same share at random; top-level figures pool both splits; addedLatencyMs = median time a routed request adds after the local answer, through CompletionRouter over real HTTP, sequential',
    router: { file: 'models/router.json', threshold: file.threshold, defaultRemoteShare: file.defaultRemoteShare, dataSha256: file.trainedOn.dataSha256, trainedOn: file.trainedOn.source },
    smallOnlyQuality: pooled.exactMatch.smallOnlyQuality,
    largeOnlyQuality: pooled.exactMatch.largeOnlyQuality,
    oracleQuality: pooled.exactMatch.oracleQuality,
    bestQuality: pooled.exactMatch.bestQuality,
    remoteShareAtLargeQuality: pooled.exactMatch.remoteShareAtLargeQuality,
    apgr: pooled.exactMatch.apgr,
    cpt50: pooled.exactMatch.cpt50,
    cpt80: pooled.exactMatch.cpt80,
    ...latency,
    pooled,
    splits: { test: report(splits.test!, file), real: report(splits.real!, file) },
    wallSeconds: round((performance.now() - started) / 1000, 1),
  };
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  const out = join(root, 'bench-results/router.json');
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  // Debian's python3, where scripts/setup.sh installs python3-matplotlib (as the model pipeline uses its torch).
  execFileSync('/usr/bin/python3', [join(root, 'test/bench/plotRouter.py'), out, join(root, 'bench-results/router.png')], { stdio: 'inherit' });
  const line = (name: string, r: ReturnType<typeof report>) => {
    const e = r.exactMatch;
    return `${name}: ${r.cases} cases, exact match small ${e.smallOnlyQuality} large ${e.largeOnlyQuality} oracle ${e.oracleQuality}; router best ${e.bestQuality} at share ${e.bestQualityRemoteShare}, large quality at share ${e.remoteShareAtLargeQuality}, APGR ${e.apgr} (random ${e.randomApgr}), CPT50 ${e.cpt50}, CPT80 ${e.cpt80}; shipped threshold: share ${e.shippedThreshold.remoteShare}, quality ${e.shippedThreshold.quality} (random ${e.shippedThreshold.randomQualityAtSameShare}); compile-keep small ${r.compileKeep.smallOnlyQuality} large ${r.compileKeep.largeOnlyQuality} best ${r.compileKeep.bestQuality}`;
  };
  log(line('test', result.splits.test));
  log(line('real', result.splits.real));
  log(line('both', pooled));
  log(`added latency per routed request: median ${latency.addedLatencyMs} ms, p90 ${latency.addedLatencyP90Ms} ms over ${latency.routedRequests} requests`);
  log(`wrote bench-results/router.json and bench-results/router.png in ${result.wallSeconds} s`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[bench:router] failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
