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
 * on (the shipped router is made so).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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

const usage = 'usage: npm run router:train -- --local small|FILE.gguf --remote large|FILE.gguf|URL --cases FILE.jsonl|DIR [--half train] [--count N] [--seed S] [--out FILE] [--remote-model NAME] [--copybooks DIR]...';
const log = (message: string) => console.log(`[router:train] ${message}`);

export interface TrainedRouter {
  file: RouterFile;
  fitCases: RoutingCase[];
  calibrationCases: RoutingCase[];
}

/** The classifier fitted on ~70 % of the programs, its threshold calibrated on the rest (pure; tested). */
export function fitRouter(cases: readonly RoutingCase[], meta: { local: string; remote: string; source: string }): TrainedRouter {
  const calibrationProgram = (id: string) => createHash('sha256').update(`calibration:${id}`).digest()[0]! % 10 < 3;
  const fitCases = cases.filter((c) => !calibrationProgram(c.programId));
  const calibrationCases = cases.filter((c) => calibrationProgram(c.programId));
  if (fitCases.length < 20 || calibrationCases.length < 10) throw new Error(`too few cases to train a router (${fitCases.length} to fit, ${calibrationCases.length} to calibrate): raise --count`);
  const model = trainLogistic(fitCases.map((c) => c.features), fitCases.map((c) => c.small.exact), { l2: 0.02 });
  const scored = calibrationCases.map((c) => ({ score: predict(model, c.features), small: c.small.exact ? 1 : 0, large: c.large.exact ? 1 : 0 }));
  const summary = summariseRouting(scored);
  const curve = routingCurve(scored);
  // The default: the least remote share at which the router matched large-only quality on the calibration cases.
  const target = summary.remoteShareAtLargeQuality ?? summary.bestQualityRemoteShare;
  const point = curve.find((p) => p.remoteShare >= target - 1e-12) ?? curve[curve.length - 1]!;
  const file: RouterFile = {
    schema: 1,
    kind: 'logistic-regression',
    label: 'the local answer is acceptable (its rest of the line matches exactly)',
    features: [...featureNames],
    model,
    threshold: point.threshold,
    defaultRemoteShare: point.remoteShare,
    scoreQuantiles: scoreQuantiles(scored.map((s) => s.score)),
    trainedOn: {
      local: meta.local,
      remote: meta.remote,
      cases: fitCases.length,
      calibrationCases: calibrationCases.length,
      dataSha256: routingDataSha256(cases),
      source: meta.source,
      date: new Date().toISOString().slice(0, 10),
    },
    calibration: summary,
  };
  return { file: parseRouterFile(file, 'the trained router'), fitCases, calibrationCases };
}

async function main(root: string, argv: string[]): Promise<number> {
  const values = (name: string) => argv.flatMap((a, i) => (a === name && argv[i + 1] ? [argv[i + 1]!] : []));
  const value = (name: string) => values(name)[0];
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
    const scores = trained.calibrationCases.map((c) => predict(trained.file.model, c.features));
    const c = trained.file.calibration;
    log(`calibration: ${trained.calibrationCases.length} cases, AUC ${rocAuc(scores, trained.calibrationCases.map((x) => x.small.exact)).toFixed(3)}, log-loss ${logLoss(trained.file.model, trained.calibrationCases.map((x) => x.features), trained.calibrationCases.map((x) => x.small.exact)).toFixed(3)}`);
    log(`small ${c.smallOnlyQuality}, large ${c.largeOnlyQuality}, oracle ${c.oracleQuality}, best ${c.bestQuality} at share ${c.bestQualityRemoteShare}, large quality at share ${c.remoteShareAtLargeQuality}, APGR ${c.apgr}`);
    log(`threshold ${trained.file.threshold.toFixed(4)} (remote share ${trained.file.defaultRemoteShare} on calibration)`);
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
