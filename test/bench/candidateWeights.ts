/**
 * `npm run bench:candidates`: refits the weights with which the completion
 * engine chooses between the model's line and the best document candidate
 * (server/completion/engine.ts, `candidateWeights`), and prints how the
 * engine's current weights do beside the best ones found.
 *
 * Two tuning sets, weighted equally, neither of them a test split:
 * - `unseen`: pause points of real programs from the real corpus's training
 *   repositories (test-fixture snippets left out), completed by a model that
 *   never saw real code: the bundled small model before its real-code phase
 *   (commit 20d917f, taken from git history, or `--unseen-model FILE`). The
 *   code is as new to it as the real test split is to today's model.
 * - `known`: pause points of the synthetic validation split
 *   (models/.work/corpus/validation.jsonl, written by `npm run model:build --
 *   --stage corpus`) with today's bundled model: code like what it trained on.
 *
 * Each case runs the full engine once with document candidates collected but
 * never chosen; the choice is then replayed for every weight in the grid.
 * Writes bench-results/candidates.json.
 *
 * Usage: npm run bench:candidates [-- --cases N] [--unseen-model FILE] [--real-corpus DIR]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultRealCorpusDir, realTrainingFiles } from '../../models/eval/realSplit';
import { type EvalProgram, loadEvalPrograms } from '../../models/pipeline/evaluate';
import { readSources } from '../../models/pipeline/realCorpus';
import { CompletionEngine, candidateWeights, chooseLine } from '../../server/completion/engine';
import type { DocumentCandidate } from '../../server/completion/documentCandidates';
import { ModelHost } from '../../server/model/modelHost';
import { defaultModelSettings } from '../../server/model/modelSettings';
import { inputAt, makePauseCases, openPause, realPrograms } from './completionCases';

const root = process.argv[2] ?? process.cwd();
const args = process.argv.slice(3);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const log = (message: string) => console.log(`[bench:candidates] ${message}`);
/** The bundled small model before it saw real code. */
const unseenModelCommit = '20d917f';

interface Replay {
  expected: string;
  modelLine: string;
  modelExact: boolean;
  tokenProbabilities: number[];
  candidates: (DocumentCandidate & { exact: boolean })[];
}

type Weights = typeof candidateWeights;

async function main() {
  const started = performance.now();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-candidates-'));
  const cases = Number(option('--cases') ?? 400) || 400;
  try {
    const corpus = option('--real-corpus') ?? defaultRealCorpusDir(root) ?? defaultRealCorpusDir(join(root, '..'));
    if (!corpus) throw new Error('the real-code corpus (../shared/corpus/real) is missing');
    const validation = join(root, 'models/.work/corpus/validation.jsonl');
    if (!existsSync(validation)) throw new Error(`${validation} is missing: run \`npm run model:build -- --stage corpus\` first`);
    let unseenModel = option('--unseen-model');
    if (!unseenModel) {
      unseenModel = join(scratch, 'small-before-real-code.gguf');
      writeFileSync(unseenModel, execFileSync('git', ['show', `${unseenModelCommit}:models/bundled/cobol-slm-small.gguf`], { cwd: root, maxBuffer: 64 << 20 }));
    }
    const sources = readSources(corpus);
    const realFiles = realTrainingFiles(corpus).filter((file) => sources.get(file.repository)?.category !== 'test-fixture');
    const unseen = await collect('unseen', await realPrograms(corpus, realFiles, { compileCheck: false }), cases, 777, unseenModel, scratch);
    const known = await collect('known', loadEvalPrograms(validation), cases, 4242, undefined, scratch);

    const score = (weights: Weights) => [unseen, known].map((set) => exactShare(set, weights));
    const grid: Weights[] = [];
    for (const model of [0, 1, 2, 3, 4]) for (const meanLogProb of [0, 0.5, 1, 2, 3, 4]) for (const keyWords of [0.25, 0.5, 1]) for (const logCount of [0, 0.5, 1]) {
      for (const beforeNext of [0, 1, 2, 4]) for (const siblingClause of [-99, -0.6, -0.5, -0.4, -0.3, -0.2]) grid.push({ keyWords, logCount, beforeNext, model, meanLogProb, siblingClause });
    }
    const ranked = grid.map((weights) => ({ weights, exact: score(weights) })).sort((a, b) => mean(b.exact) - mean(a.exact));
    const never = { ...candidateWeights, model: Infinity, siblingClause: -99 };
    const always = { keyWords: 0, logCount: 0, beforeNext: 0, model: -Infinity, meanLogProb: 0, siblingClause: 99 };
    const result = {
      cases: { unseen: unseen.length, known: known.length },
      unseenModel: option('--unseen-model') ?? `git ${unseenModelCommit}:models/bundled/cobol-slm-small.gguf`,
      engineWeights: { weights: candidateWeights, exact: score(candidateWeights) },
      best: ranked.slice(0, 5),
      modelOnly: score(never),
      candidateWhenever: score(always),
      anyCandidateRight: [unseen, known].map((set) => round(mean(set.map((r) => (r.candidates.some((c) => c.exact) ? 1 : 0))))),
      wallSeconds: round((performance.now() - started) / 1000, 1),
    };
    const file = join(root, 'bench-results', 'candidates.json');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    log(`exact match [unseen, known]: engine's weights ${JSON.stringify(result.engineWeights)}; model only ${JSON.stringify(result.modelOnly)}; top candidate whenever there is one ${JSON.stringify(result.candidateWhenever)}; some candidate right ${JSON.stringify(result.anyCandidateRight)}`);
    for (const { weights, exact } of result.best) log(`best: ${JSON.stringify(weights)} → ${JSON.stringify(exact)}`);
    log(`wrote ${file} in ${result.wallSeconds} s`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Runs the engine on `n` pause points; the model's line is kept, the candidates are recorded. */
async function collect(name: string, programs: EvalProgram[], n: number, seed: number, modelPath: string | undefined, scratch: string): Promise<Replay[]> {
  const host = new ModelHost({ extensionRoot: root, guardFolder: scratch, log: () => {}, onStatus: () => {} });
  await host.configure({ ...defaultModelSettings, gpu: 'off', ...(modelPath ? { path: modelPath } : {}) });
  if (host.status.state !== 'ready') throw new Error(`${name}: the model did not load: ${host.status.message}`);
  const saved = { ...candidateWeights };
  // The model's line always wins: the choice is replayed afterwards.
  candidateWeights.model = Infinity;
  candidateWeights.siblingClause = -99;
  const replays: Replay[] = [];
  try {
    const byId = new Map(programs.map((program) => [program.id, program]));
    const pauses = makePauseCases(programs, n, seed);
    for (const [index, pause] of pauses.entries()) {
      const program = byId.get(pause.programId)!;
      const { workspace, id, text } = await openPause(program, pause, join(scratch, `${name}-${index}`));
      const outcome = await new CompletionEngine({ workspace, model: host }).complete(inputAt(id, text, pause.cut, { trigger: 'manual', features: { cache: false, debounce: false } }));
      const lineStart = program.text.lastIndexOf('\n', pause.cut - 1) + 1;
      const shown = program.text.slice(lineStart, pause.cut) + outcome.text.split('\n')[0]!;
      const modelLine = (pause.fixed ? shown.slice(pause.column, 72) : shown.slice(pause.column)).trimEnd();
      replays.push({
        expected: pause.expected,
        modelLine,
        modelExact: modelLine === pause.expected,
        tokenProbabilities: outcome.tokenProbabilities,
        candidates: (outcome.candidates ?? []).map((candidate) => ({ ...candidate, exact: candidate.text.trimEnd() === pause.expected })),
      });
    }
  } finally {
    Object.assign(candidateWeights, saved);
    await host.dispose();
  }
  log(`${name}: ${replays.length} cases from ${programs.length} programs`);
  return replays;
}

function exactShare(set: readonly Replay[], weights: Weights): number {
  return round(mean(set.map((replay) => {
    const chosen = chooseLine(replay.modelLine, replay.tokenProbabilities, replay.candidates, weights);
    if (chosen.from === 'model') return replay.modelExact ? 1 : 0;
    return replay.candidates[0]!.exact ? 1 : 0;
  })));
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
