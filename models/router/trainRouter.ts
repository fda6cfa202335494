/**
 * `npm run router:train -- --local small|FILE.gguf --remote large|FILE.gguf|URL
 *   --cases FILE.jsonl|DIR [--half train] [--count N] [--seed S] [--out FILE]
 *   [--remote-model NAME] [--copybooks DIR]...`
 *
 * Makes the router for a pair of models and a body of code: evaluates both
 * models on next-line cases cut from `--cases` (a test-split JSONL like
 * models/eval/test-split.jsonl, or a folder of a team's own COBOL), fits the
 * classifier on most programs, calibrates the threshold on the others, and
 * writes the router file (default models/router.json) with the sha256 of the
 * routing data. `--remote` is an endpoint URL (key in COBOL_ASSIST_REMOTE_KEY)
 * or a model that is then served over HTTP by serve:model for the run.
 * `--half train` keeps to the half of the programs bench:router never judges
 * on (the shipped router is made so). `--from-cases FILE` refits from the
 * routing data a run saved (bench-results/router-train-cases.json) without
 * running the models.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EVAL, MODELS, bundledFile } from '../pipeline/config';
import { loadEvalPrograms, type EvalProgram } from '../pipeline/evaluate';
import { loadProgramFolder } from '../pipeline/evaluateFolder';
import { LocalModelBackend } from '../../server/model/localBackend';
import { RemoteModelBackend } from '../../server/remote/remoteBackend';
import { defaultRemoteSettings } from '../../server/remote/remoteSettings';
import { featureNames } from '../../server/router/features';
import { logLoss, predict, rocAuc, trainLogistic } from '../../server/router/logistic';
import { RouterFile, parseRouterFile, scoreQuantiles } from '../../server/router/routerFile';
import { routingCurve, summariseRouting } from '../../server/router/routingMetrics';
import { startModelServerProcess, type ModelServerProcess } from './modelServerProcess';
import { RoutingCase, collectRoutingCases, routingDataSha256, splitPrograms } from './routingData';

const usage = 'usage: npm run router:train -- --local small|FILE.gguf --remote large|FILE.gguf|URL --cases FILE.jsonl|DIR [--half train] [--count N] [--seed S] [--out FILE] [--remote-model NAME] [--copybooks DIR]...\n       npm run router:train -- --from-cases bench-results/router-train-cases.json [--out FILE]';
const log = (message: string) => console.log(`[router:train] ${message}`);

export interface TrainedRouter {
  file: RouterFile;
  /** Each case's score from the model that did not see its program, in case order. */
  outOfFoldScores: number[];
}

/** Folds for the out-of-fold scores that calibrate the threshold. */
const folds = 5;

/**
 * The classifier fitted on every case; its threshold calibrated on
 * out-of-fold scores (5 folds by program: each case is scored by a model that
 * never saw its program), so calibration uses all the data and none of it
 * twice. Pure; tested.
 */
export function fitRouter(cases: readonly RoutingCase[], meta: { local: string; remote: string; source: string }): TrainedRouter {
  if (cases.length < 50) throw new Error(`too few cases to train a router (${cases.length}): raise --count`);
  const foldOf = (id: string) => createHash('sha256').update(`fold:${id}`).digest()[0]! % folds;
  const labels = (rows: readonly RoutingCase[]) => rows.map((c) => c.small.exact);
  const options = { l2: 0.02 };
  const outOfFold = new Map<RoutingCase, number>();
  for (let fold = 0; fold < folds; fold++) {
    const train = cases.filter((c) => foldOf(c.programId) !== fold);
    const held = cases.filter((c) => foldOf(c.programId) === fold);
    if (held.length === 0 || train.length === 0) continue;
    const model = trainLogistic(train.map((c) => c.features), labels(train), options);
    for (const c of held) outOfFold.set(c, predict(model, c.features));
  }
  const model = trainLogistic(cases.map((c) => c.features), labels(cases), options);
  const scored = cases.map((c) => ({ score: outOfFold.get(c) ?? predict(model, c.features), small: c.small.exact ? 1 : 0, large: c.large.exact ? 1 : 0 }));
  const summary = summariseRouting(scored);
  const curve = routingCurve(scored);
  // The default: the least remote share at which the router matched large-only quality out of fold.
  const target = summary.remoteShareAtLargeQuality ?? summary.bestQualityRemoteShare;
  const point = curve.find((p) => p.remoteShare >= target - 1e-12) ?? curve[curve.length - 1]!;
  const file: RouterFile = {
    schema: 1,
    kind: 'logistic-regression',
    label: 'the local answer is acceptable (its rest of the line matches exactly)',
    features: [...featureNames],
    model,
    threshold: point.threshold,
    defaultRemoteShare: Math.round(point.remoteShare * 10000) / 10000,
    scoreQuantiles: scoreQuantiles(scored.map((s) => s.score)),
    trainedOn: {
      local: meta.local,
      remote: meta.remote,
      cases: cases.length,
      calibrationCases: outOfFold.size,
      dataSha256: routingDataSha256(cases),
      source: meta.source,
      date: new Date().toISOString().slice(0, 10),
    },
    calibration: summary,
  };
  return { file: parseRouterFile(file, 'the trained router'), outOfFoldScores: scored.map((s) => s.score) };
}

function report(trained: TrainedRouter, cases: readonly RoutingCase[]): void {
  const exact = cases.map((x) => x.small.exact);
  log(`out of fold: ${cases.length} cases, AUC ${rocAuc(trained.outOfFoldScores, exact).toFixed(3)}; in sample: log-loss ${logLoss(trained.file.model, cases.map((x) => x.features), exact).toFixed(3)}`);
  const c = trained.file.calibration;
  log(`small ${c.smallOnlyQuality}, large ${c.largeOnlyQuality}, oracle ${c.oracleQuality}, best ${c.bestQuality} at share ${c.bestQualityRemoteShare}, large quality at share ${c.remoteShareAtLargeQuality}, APGR ${c.apgr}, CPT50 ${c.cpt50}, CPT80 ${c.cpt80}`);
  log(`threshold ${trained.file.threshold.toFixed(4)} (remote share ${trained.file.defaultRemoteShare} out of fold)`);
}

async function main(root: string, argv: string[]): Promise<number> {
  const values = (name: string) => argv.flatMap((a, i) => (a === name && argv[i + 1] ? [argv[i + 1]!] : []));
  const value = (name: string) => values(name)[0];
  const saved = value('--from-cases');
  if (saved) {
    // Refit from routing data collected before (bench-results/router-train-cases.json): no model runs.
    const cases = JSON.parse(readFileSync(resolve(saved), 'utf8')) as RoutingCase[];
    const out = resolve(root, value('--out') ?? 'models/router.json');
    const previous = existsSync(out) ? parseRouterFile(JSON.parse(readFileSync(out, 'utf8')), out).trainedOn : undefined;
    const trained = fitRouter(cases, { local: value('--local') ?? previous?.local ?? 'local', remote: value('--remote-model') ?? previous?.remote ?? 'remote', source: value('--source') ?? previous?.source ?? basename(saved) });
    report(trained, cases);
    writeFileSync(out, JSON.stringify(trained.file, null, 2) + '\n');
    log(`wrote ${out} from ${saved}`);
    return 0;
  }
  const [localArg, remoteArg, casesArg] = [value('--local'), value('--remote'), value('--cases')];
  if (!localArg || !remoteArg || !casesArg) {
    console.error(usage);
    return 2;
  }
  const bundled: Record<string, string> = { small: join(root, 'models', bundledFile(MODELS.small)), large: join(root, 'models', bundledFile(MODELS.large)) };
  const localPath = bundled[localArg] ?? resolve(localArg);
  const casesPath = resolve(casesArg);
  if (!existsSync(localPath) || !existsSync(casesPath)) {
    console.error(`${existsSync(localPath) ? casesPath : localPath} does not exist.\n${usage}`);
    return 2;
  }
  const count = Number(value('--count') ?? 400);
  const seed = Number(value('--seed') ?? EVAL.seed + 1);
  const out = resolve(root, value('--out') ?? 'models/router.json');
  let programs: EvalProgram[] = casesPath.endsWith('.jsonl') ? loadEvalPrograms(casesPath) : await loadProgramFolder(casesPath, values('--copybooks').map((d) => resolve(d)));
  if (value('--half') === 'train') programs = splitPrograms(programs).train;
  log(`${programs.length} programs from ${casesArg}${value('--half') === 'train' ? ' (the training half)' : ''}; ${count} cases`);

  let server: ModelServerProcess | undefined;
  let endpoint = remoteArg;
  let remoteName = value('--remote-model') ?? 'cobol-slm-large';
  if (!/^https?:\/\//.test(remoteArg)) {
    const modelArg = remoteArg === 'large' || remoteArg === 'small' ? `cobol-slm-${remoteArg}` : resolve(remoteArg);
    server = await startModelServerProcess(root, modelArg);
    endpoint = server.url;
    remoteName = value('--remote-model') ?? (modelArg.startsWith('cobol-slm-') ? modelArg : basename(modelArg).replace(/\.gguf$/i, ''));
    log(`serving ${modelArg} at ${endpoint}`);
  }
  const local = await LocalModelBackend.load({ id: basename(localPath), path: localPath, threads: 1, contextSize: 0, gpu: 'off', temperature: 0, tokenHealing: true });
  const remote = new RemoteModelBackend({ ...defaultRemoteSettings, endpoint, model: remoteName, api: 'completions', apiKey: process.env.COBOL_ASSIST_REMOTE_KEY ?? '', timeoutMs: 30_000 });
  try {
    const started = performance.now();
    const cases = await collectRoutingCases({
      split: basename(casesArg), programs, cases: count, seed, maxTokens: EVAL.maxTokens, local, remote,
      onProgress: (done, total) => {
        if (done % 50 === 0 || done === total) log(`${done}/${total} cases (${Math.round((performance.now() - started) / 1000)} s)`);
      },
    });
    const trained = fitRouter(cases, { local: basename(localPath, '.gguf'), remote: remoteName, source: `${basename(casesArg)}${value('--half') === 'train' ? ' (training half of the programs)' : ''}, ${count} cases, seed ${seed}` });
    report(trained, cases);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(trained.file, null, 2) + '\n');
    mkdirSync(join(root, 'bench-results'), { recursive: true });
    writeFileSync(join(root, 'bench-results/router-train-cases.json'), JSON.stringify(cases) + '\n');
    log(`wrote ${out} (data sha256 ${trained.file.trainedOn.dataSha256.slice(0, 12)}…) in ${Math.round((performance.now() - started) / 1000)} s`);
    return 0;
  } finally {
    await local.dispose();
    await server?.stop();
  }
}

if (process.argv[1]?.includes('trainRouter')) {
  main(process.argv[2] ?? process.cwd(), process.argv.slice(3)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`[router:train] failed: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    },
  );
}
