/**
 * `npm run model:build [-- --stage S] [--model small|large|tiny] [--force] [--threads N]`:
 * runs corpus -> tokenizer -> data -> train -> gguf -> evaluate -> manifest.
 * Each stage records a stamp (hash of its inputs) in models/.work/stamps and is
 * skipped when the stamp and its outputs are current. Training resumes from
 * its checkpoint.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTEXT_LENGTH, CORPUS, EVAL, FIM, MIXED_ROWS, MODELS, TOKENIZER, TRAIN_THREADS, bundledFile, modelContext, phaseContext, rowFiles, type ModelSpec, type TrainingPhase } from './config';
import { CATEGORY_WEIGHTS, loadRealTraining, writeJsonlAtomically, type RealTrainingDoc } from './realCorpus';
import { defaultRealCorpusDir } from '../eval/realSplit';
import { buildSamples } from './samples';
import { buildCorpus } from './stages/corpus';
import { buildTokenizer, readSplit } from './stages/tokenizer';
import { Tokenizer, type TokenizerData } from './tokenizer';

const STAGES = ['corpus', 'real', 'tokenizer', 'data', 'train', 'gguf', 'evaluate', 'manifest'] as const;
type Stage = (typeof STAGES)[number];

export const PYTHON = '/usr/bin/python3';

function log(msg: string): void {
  console.log(`[model:build ${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

function hashFiles(paths: string[]): string {
  const h = createHash('sha256');
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) visit(join(p, n));
    else h.update(p.replace(/.*models\//, '')).update(readFileSync(p));
  };
  for (const p of paths) visit(p);
  return h.digest('hex');
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

interface Paths { root: string; models: string; work: string; pipeline: string }

function stampOk(p: Paths, name: string, key: string, outputs: string[]): boolean {
  const f = join(p.work, 'stamps', name + '.json');
  if (!existsSync(f)) return false;
  return JSON.parse(readFileSync(f, 'utf8')).key === key && outputs.every((o) => existsSync(o));
}

function writeStamp(p: Paths, name: string, key: string, info: unknown): void {
  mkdirSync(join(p.work, 'stamps'), { recursive: true });
  writeFileSync(join(p.work, 'stamps', name + '.json'), JSON.stringify({ key, info }, null, 2) + '\n');
}

function readStamp(p: Paths, name: string): { key: string; info: Record<string, unknown> } | undefined {
  const f = join(p.work, 'stamps', name + '.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
}

function runCommand(cmd: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  return new Promise((ok, fail) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Python under `nice -n 10` with glibc's allocator told not to trim (removes step-time spikes). */
function python(p: Paths, script: string, args: string[], threads = TRAIN_THREADS): Promise<void> {
  return runCommand('nice', ['-n', process.env.COBOL_ASSIST_NICE ?? '10', PYTHON, join(p.pipeline, script), ...args], {
    GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=4294967296',
    OMP_NUM_THREADS: String(threads),
  });
}

/**
 * The checkpoint a `startFrom` phase continues: the committed GGUF, dequantised.
 * Refuses a committed file other than the one the phase names (it would
 * silently continue another model). Returns the earlier phases' training
 * figures from the manifest, marked as imported.
 */
async function importCommitted(p: Paths, spec: ModelSpec, key: string, phase: TrainingPhase, ckpt: string): Promise<Record<string, number>> {
  const file = join(p.models, bundledFile(spec));
  const want = phase.startFrom!.committedSha256;
  if (!existsSync(file)) throw new Error(`${spec.name}: a phase continues ${bundledFile(spec)} (sha256 ${want.slice(0, 12)}…), which is missing; restore it with git`);
  const have = sha256File(file);
  if (have !== want) throw new Error(`${spec.name}: a phase continues ${bundledFile(spec)} with sha256 ${want.slice(0, 12)}…, but the file there is ${have.slice(0, 12)}… (check out the commit that holds it, or train the earlier phases afresh)`);
  mkdirSync(dirname(ckpt), { recursive: true });
  log(`train ${spec.name}: phases before ${spec.phases.indexOf(phase) + 1} are the committed ${bundledFile(spec)}; importing its weights`);
  await runCommand(PYTHON, [join(p.pipeline, 'import_gguf.py'), file, ckpt]);
  const manifest = JSON.parse(readFileSync(join(p.models, 'manifest.json'), 'utf8')) as { models: Record<string, { training?: Record<string, number> }> };
  const before = manifest.models[key]?.training ?? {};
  return { steps: before.steps ?? 0, tokens: before.tokens ?? 0, wallSeconds: before.wallSeconds ?? 0, imported: 1 };
}

/** train.py's distillation arguments: the teacher's checkpoint, imported from its committed GGUF when not trained here. */
async function teacherArgs(p: Paths, distill: NonNullable<TrainingPhase['distill']>): Promise<string[]> {
  const teacher = MODELS[distill.teacher];
  let ckpt = join(p.work, 'models', teacher.name, 'ckpt.pt');
  if (!existsSync(ckpt)) {
    ckpt = join(p.work, 'models', teacher.name, 'imported', 'ckpt.pt');
    if (!existsSync(ckpt)) {
      mkdirSync(dirname(ckpt), { recursive: true });
      await runCommand(PYTHON, [join(p.pipeline, 'import_gguf.py'), join(p.models, bundledFile(teacher)), ckpt]);
    }
  }
  return ['--teacher', ckpt, '--distill-weight', String(distill.weight), '--distill-temperature', String(distill.temperature)];
}

/** train.py's --config: the model's shape at a context length (default the model's own, its last phase's). */
export function modelConfigJson(spec: ModelSpec, vocab: number, contextLength = modelContext(spec)): string {
  return JSON.stringify({ vocab, dim: spec.dim, layers: spec.layers, heads: spec.heads, ffn: spec.ffn, ctx: contextLength });
}

export async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const force = argv.includes('--force');
  // Training threads: the config's default suits a shared machine; more when nothing else runs.
  const threads = Number(arg('threads') ?? TRAIN_THREADS);
  if (!Number.isInteger(threads) || threads < 1) {
    console.error(`--threads must be a positive integer`);
    return 2;
  }
  const only = arg('stage') as Stage | undefined;
  if (only && !STAGES.includes(only)) {
    console.error(`unknown stage "${only}"; stages: ${STAGES.join(', ')}`);
    return 2;
  }
  const realArg = arg('real-corpus');
  if (argv.includes('--real-corpus') && !realArg) {
    console.error('--real-corpus needs a folder');
    return 2;
  }
  const modelArg = arg('model');
  const modelNames = (modelArg ? modelArg.split(',') : ['small', 'large']) as Array<keyof typeof MODELS>;
  for (const m of modelNames) if (!MODELS[m]) {
    console.error(`unknown model "${m}"; models: ${Object.keys(MODELS).join(', ')}`);
    return 2;
  }
  const pipeline = dirname(fileURLToPath(import.meta.url)).endsWith('.work') ? resolve(dirname(fileURLToPath(import.meta.url)), '..', 'pipeline') : dirname(fileURLToPath(import.meta.url));
  const models = resolve(pipeline, '..');
  const p: Paths = { root: resolve(models, '..'), models, work: join(models, '.work'), pipeline };
  mkdirSync(p.work, { recursive: true });
  const want = (s: Stage) => !only || only === s;
  // The real corpus: the folder named, else ../shared/corpus/real when present, else none (synthetic only).
  const realDir = realArg ? resolve(realArg) : defaultRealCorpusDir(p.root);
  if (realArg && !existsSync(realDir!)) {
    console.error(`[model:build] --real-corpus ${realArg}: no such folder`);
    return 2;
  }
  try {
    const srcKey = hashFiles([join(p.pipeline, 'corpus'), join(p.pipeline, 'stages/corpus.ts'), join(p.root, 'test/fixtures/corpus')]) + JSON.stringify(CORPUS);
    const corpusOut = ['train', 'validation', 'test'].map((s) => join(p.work, 'corpus', `${s}.jsonl`));
    if (want('corpus')) {
      if (!force && stampOk(p, 'corpus', srcKey, corpusOut)) log('corpus: up to date');
      else writeStamp(p, 'corpus', srcKey, await buildCorpus({ root: p.root, workDir: p.work, programs: CORPUS.programs, seed: CORPUS.seed, log }));
    }
    const corpusHash = () => hashFiles(corpusOut);
    const realOut = join(p.work, 'corpus', 'real-train.jsonl');
    if (want('real')) {
      if (!realDir) {
        log('real: no real-code corpus (../shared/corpus/real is absent and --real-corpus was not given); the mixed rows hold the synthetic corpus alone');
        writeJsonlAtomically(realOut, []);
        writeStamp(p, 'real', 'none', { dir: null, taken: 0 });
      } else {
        const key = hashFiles([join(realDir, 'MANIFEST.tsv'), join(realDir, 'SOURCES.tsv'), join(p.models, 'eval'), join(p.pipeline, 'realCorpus.ts'), join(p.work, 'corpus', 'test.jsonl')]) + realDir + JSON.stringify(CATEGORY_WEIGHTS);
        if (!force && stampOk(p, 'real', key, [realOut])) log('real: up to date');
        else {
          // Both synthetic test splits (the committed one the figures use, and this build's) are forbidden too.
          const forbidden = [join(p.models, 'eval', 'test-split.jsonl'), join(p.work, 'corpus', 'test.jsonl')].filter((f) => existsSync(f))
            .flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text));
          const { docs, report } = loadRealTraining({ dir: realDir, forbiddenTexts: forbidden, log });
          writeJsonlAtomically(realOut, docs);
          writeFileSync(join(p.work, 'corpus', 'real-report.json'), JSON.stringify(report, null, 2) + '\n');
          const info = { dir: realDir, files: report.files, taken: report.taken, heldOutRepositoryFiles: report.heldOutRepositoryFiles, skipped: report.skipped, byCategory: report.byCategory };
          log(`real: ${JSON.stringify(info)}`);
          writeStamp(p, 'real', key, info);
        }
      }
    }
    const tokPath = join(p.work, 'tokenizer.json');
    if (want('tokenizer')) {
      const key = corpusHash() + JSON.stringify(TOKENIZER) + hashFiles([join(p.pipeline, 'tokenizer.ts')]);
      if (TOKENIZER.keepCommitted) {
        copyFileSync(join(p.models, 'tokenizer.json'), tokPath);
        log('tokenizer: the committed models/tokenizer.json (TOKENIZER.keepCommitted)');
      } else if (!force && stampOk(p, 'tokenizer', key, [tokPath])) log('tokenizer: up to date');
      else {
        writeStamp(p, 'tokenizer', key, buildTokenizer(p.work, TOKENIZER.vocabSize, log));
        copyFileSync(tokPath, join(p.models, 'tokenizer.json'));
      }
    }
    const dataDir = join(p.work, 'data');
    // Rows packed the first way, only while a phase of a model being built still names them.
    const phasesBuilt = modelNames.flatMap((m) => MODELS[m].phases);
    const atDefault = phasesBuilt.filter((phase) => phaseContext(phase) === CONTEXT_LENGTH);
    const streamedRows = atDefault.some((phase) => phase.rows === 'streamed');
    const mixedRows = atDefault.some((phase) => phase.rows === 'mixed');
    const widerRows = [...new Map(phasesBuilt.filter((phase) => phaseContext(phase) !== CONTEXT_LENGTH).map((phase) => [`${phase.rows}:${phaseContext(phase)}`, { rows: phase.rows, contextLength: phaseContext(phase) }])).values()];
    const dataOut = [join(dataDir, 'train.bin'), join(dataDir, 'validation.bin'), ...(streamedRows ? [join(dataDir, 'train-streamed.bin')] : [])];
    const mixedOut = join(dataDir, 'train-mixed.bin');
    const dataTokens = Math.max(...modelNames.map((m) => MODELS[m].dataTokens));
    if (want('data')) {
      const key = hashFiles([tokPath, ...corpusOut, join(p.pipeline, 'samples.ts')]) + CONTEXT_LENGTH + ':' + dataTokens + ':' + streamedRows;
      if (!force && stampOk(p, 'data', key, dataOut)) log('data: up to date');
      else {
        mkdirSync(dataDir, { recursive: true });
        const tok = new Tokenizer(JSON.parse(readFileSync(tokPath, 'utf8')) as TokenizerData);
        const trainDocs = readSplit(p.work, 'train').map((d) => d.text);
        const write = (path: string, rows: Uint16Array) => writeFileSync(path, Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength));
        const train = buildSamples(trainDocs, tok, { contextLength: CONTEXT_LENGTH, seed: 101, minTokens: dataTokens });
        const val = buildSamples(readSplit(p.work, 'validation').filter((d) => d.kind === 'program').map((d) => d.text), tok, { contextLength: CONTEXT_LENGTH, seed: 202, minTokens: 0 });
        write(dataOut[0]!, train);
        write(dataOut[1]!, val);
        const info: Record<string, unknown> = { trainTokens: train.length, validationTokens: val.length, trainSha256: sha256File(dataOut[0]!) };
        if (streamedRows) {
          write(dataOut[2]!, buildSamples(trainDocs, tok, { contextLength: CONTEXT_LENGTH, seed: 101, minTokens: dataTokens, packing: 'streamed' }));
          info.trainStreamedSha256 = sha256File(dataOut[2]!);
        }
        log(`data: ${JSON.stringify(info)}`);
        writeStamp(p, 'data', key, info);
      }
      if (mixedRows) {
        const key = hashFiles([tokPath, join(p.work, 'corpus', 'train.jsonl'), realOut, join(p.pipeline, 'samples.ts')]) + CONTEXT_LENGTH + JSON.stringify(MIXED_ROWS);
        if (!force && stampOk(p, 'data-mixed', key, [mixedOut])) log('data (mixed rows): up to date');
        else {
          if (!existsSync(realOut)) throw new Error(`${realOut} is missing: run the real stage first (npm run model:build -- --stage real)`);
          const tok = new Tokenizer(JSON.parse(readFileSync(tokPath, 'utf8')) as TokenizerData);
          const synthetic = readSplit(p.work, 'train').map((d) => d.text);
          const real = readFileSync(realOut, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RealTrainingDoc);
          const docs = [...synthetic, ...real.map((d) => d.text)];
          const weights = [...synthetic.map(() => MIXED_ROWS.syntheticWeight), ...real.map((d) => d.weight)];
          const rows = buildSamples(docs, tok, { contextLength: CONTEXT_LENGTH, seed: MIXED_ROWS.seed, minTokens: MIXED_ROWS.tokens, weights });
          const tmp = `${mixedOut}.tmp`;
          writeFileSync(tmp, Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength));
          renameSync(tmp, mixedOut);
          // The real share, by characters per pass: what the weights make of the two sources.
          const share = (texts: string[], w: number[]) => texts.reduce((sum, t, i) => sum + Math.max(1, Math.round(t.length / 2500)) * w[i]!, 0);
          const realSamples = share(real.map((d) => d.text), real.map((d) => d.weight));
          const syntheticSamples = share(synthetic, synthetic.map(() => MIXED_ROWS.syntheticWeight));
          const info = { tokens: rows.length, realDocuments: real.length, syntheticDocuments: synthetic.length, realSampleShare: Math.round((realSamples / (realSamples + syntheticSamples)) * 1000) / 1000, sha256: sha256File(mixedOut) };
          log(`data (mixed rows): ${JSON.stringify(info)}`);
          writeStamp(p, 'data-mixed', key, info);
        }
      }
      // Phases at another context length: their rows and validation rows packed at it, the same recipes otherwise.
      for (const { rows, contextLength } of widerRows) {
        const files = rowFiles(rows, contextLength);
        const stamp = `data-${rows ?? 'aligned'}-${contextLength}`;
        const sources = [tokPath, join(p.work, 'corpus', 'train.jsonl'), join(p.work, 'corpus', 'validation.jsonl'), ...(rows === 'mixed' ? [realOut] : []), join(p.pipeline, 'samples.ts')];
        const key = hashFiles(sources) + contextLength + (rows === 'mixed' ? JSON.stringify(MIXED_ROWS) : `:${dataTokens}:${rows ?? 'aligned'}`);
        const out = [join(dataDir, files.train), join(dataDir, files.validation)];
        if (!force && stampOk(p, stamp, key, out)) {
          log(`data (${rows ?? 'aligned'} rows at ${contextLength}): up to date`);
          continue;
        }
        if (rows === 'mixed' && !existsSync(realOut)) throw new Error(`${realOut} is missing: run the real stage first (npm run model:build -- --stage real)`);
        mkdirSync(dataDir, { recursive: true });
        const tok = new Tokenizer(JSON.parse(readFileSync(tokPath, 'utf8')) as TokenizerData);
        const synthetic = readSplit(p.work, 'train').map((d) => d.text);
        const real = rows === 'mixed' ? readFileSync(realOut, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as RealTrainingDoc) : [];
        const train = rows === 'mixed'
          ? buildSamples([...synthetic, ...real.map((d) => d.text)], tok, { contextLength, seed: MIXED_ROWS.seed, minTokens: MIXED_ROWS.tokens, weights: [...synthetic.map(() => MIXED_ROWS.syntheticWeight), ...real.map((d) => d.weight)] })
          : buildSamples(synthetic, tok, { contextLength, seed: 101, minTokens: dataTokens, ...(rows === 'streamed' ? { packing: 'streamed' as const } : {}) });
        const val = buildSamples(readSplit(p.work, 'validation').filter((d) => d.kind === 'program').map((d) => d.text), tok, { contextLength, seed: 202, minTokens: 0 });
        for (const [path, data] of [[out[0]!, train], [out[1]!, val]] as const) {
          writeFileSync(`${path}.tmp`, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
          renameSync(`${path}.tmp`, path);
        }
        const info = { contextLength, tokens: train.length, validationTokens: val.length, sha256: sha256File(out[0]!) };
        log(`data (${rows ?? 'aligned'} rows at ${contextLength}): ${JSON.stringify(info)}`);
        writeStamp(p, stamp, key, info);
      }
    }
    for (const m of modelNames) {
      const spec = MODELS[m];
      const outDir = join(p.work, 'models', spec.name);
      const ckpt = join(outDir, 'ckpt.pt');
      if (want('train')) {
        const vocab = (JSON.parse(readFileSync(tokPath, 'utf8')) as TokenizerData).tokens.length;
        const phaseRows = [...new Set(spec.phases.flatMap((ph) => Object.values(rowFiles(ph.rows, phaseContext(ph)))))].map((f) => join(dataDir, f));
        const trainKey = hashFiles([...new Set([...dataOut, ...phaseRows]), join(p.pipeline, 'train.py'), join(p.pipeline, 'model.py')]) + modelConfigJson(spec, vocab) + JSON.stringify(spec);
        if (!force && stampOk(p, `train-${m}`, trainKey, [join(outDir, 'train-summary.json')])) log(`train ${spec.name}: up to date`);
        else {
          // Phases 1..n-1 train in outDir/phaseK, the last in outDir (where ckpt.pt is read by the gguf stage).
          const phaseDir = (k: number) => (k === spec.phases.length - 1 ? outDir : join(outDir, `phase${k + 1}`));
          const summaries: Array<Record<string, number>> = [];
          // A phase that continues the committed file: the phases before it are what that file holds.
          // The last such phase: an earlier one's committed file has since been replaced by what it trained.
          const startAt = spec.phases.map((phase) => Boolean(phase.startFrom)).lastIndexOf(true);
          for (const [k, phase] of spec.phases.entries()) {
            if (k < startAt) {
              if (existsSync(join(phaseDir(k), 'train-summary.json'))) summaries.push(JSON.parse(readFileSync(join(phaseDir(k), 'train-summary.json'), 'utf8')) as Record<string, number>);
              else if (k === startAt - 1) summaries.push(await importCommitted(p, spec, m, spec.phases[startAt]!, join(phaseDir(k), 'ckpt.pt')));
              continue;
            }
            log(`train ${spec.name}: phase ${k + 1}/${spec.phases.length}, ${phase.steps} steps of ${phase.batch} x ${phaseContext(phase)} tokens, lr ${phase.lr}${phase.rows === 'mixed' ? ', synthetic + real rows' : ''}${phase.distill ? `, distilled from ${phase.distill.teacher}` : ''}`);
            const files = rowFiles(phase.rows, phaseContext(phase));
            const args = ['--data', dataDir, '--train-file', files.train, '--val-file', files.validation, '--out', phaseDir(k), '--config', modelConfigJson(spec, vocab, phaseContext(phase)), '--steps', String(phase.steps), '--batch', String(phase.batch), '--lr', String(phase.lr), '--seed', String(phase.seed), '--threads', String(threads)];
            if (phase.distill) args.push(...(await teacherArgs(p, phase.distill)));
            await python(p, 'train.py', k === 0 ? args : [...args, '--init-from', join(phaseDir(k - 1), 'ckpt.pt')], threads);
            summaries.push(JSON.parse(readFileSync(join(phaseDir(k), 'train-summary.json'), 'utf8')) as Record<string, number>);
          }
          const total = (key: string) => summaries.reduce((sum, s) => sum + s[key]!, 0);
          const wallSeconds = Math.round(total('wallSeconds') * 10) / 10;
          const summary = { ...summaries.at(-1)!, phases: summaries.length, steps: total('steps'), tokens: total('tokens'), wallSeconds, tokensPerSecondMedian: Math.round(total('tokens') / wallSeconds) };
          writeStamp(p, `train-${m}`, trainKey, summary);
        }
      }
      const gguf = m === 'tiny' ? join(p.work, 'models', `${spec.name}.gguf`) : join(p.models, bundledFile(spec));
      if (want('gguf')) {
        const key = hashFiles([ckpt, tokPath, join(p.pipeline, 'export_gguf.py'), join(p.pipeline, 'gguf_writer.py')]) + FIM.order;
        if (!force && stampOk(p, `gguf-${m}`, key, [gguf])) log(`gguf ${spec.name}: up to date`);
        else {
          mkdirSync(dirname(gguf), { recursive: true });
          await runCommand(PYTHON, [join(p.pipeline, 'export_gguf.py'), ckpt, tokPath, gguf, 'q8_0', spec.name, FIM.order]);
          writeStamp(p, `gguf-${m}`, key, { sha256: sha256File(gguf), bytes: statSync(gguf).size });
          log(`gguf ${spec.name}: ${gguf} (${statSync(gguf).size} bytes)`);
        }
      }
      if (want('evaluate')) {
        const evalOut = join(p.work, 'eval', `${m}.json`);
        // The committed test split when there is one: every committed figure comes from it, and a corpus
        // rebuild (new fixtures) must not move the yardstick under the models it compares.
        const testSplit = [join(p.models, 'eval', 'test-split.jsonl'), join(p.work, 'corpus', 'test.jsonl')].find((f) => existsSync(f))!;
        const key = hashFiles([gguf, testSplit, join(p.pipeline, 'evaluate.ts'), join(p.pipeline, 'realEval.ts')]) + JSON.stringify(EVAL) + (realDir ?? '');
        if (!force && stampOk(p, `evaluate-${m}`, key, [evalOut])) log(`evaluate ${spec.name}: up to date`);
        else {
          const { evaluateModel, heldOutLoss, loadEvalPrograms } = await import('./evaluate');
          const programs = loadEvalPrograms(testSplit);
          const result = await evaluateModel({ modelPath: gguf, programs, cases: EVAL.cases, seed: EVAL.seed, maxTokens: EVAL.maxTokens, onProgress: (d, t) => d % 50 === 0 && log(`evaluate ${spec.name}: ${d}/${t}`) });
          // llama.cpp's own loss on the first 256 tokens of 20 held-out programs.
          const { getLlama } = await import('node-llama-cpp');
          const model = await (await getLlama({ gpu: 'auto' })).loadModel({ modelPath: gguf });
          const heldOutLossNats = Math.round((await heldOutLoss(model, programs.slice(0, 20).map((d) => d.text), 256)) * 10000) / 10000;
          await model.dispose();
          // The real-code test split (whole held-out repositories), when the real corpus is here.
          let realSummary: Record<string, unknown> = {};
          let realCases: unknown[] | undefined;
          if (realDir) {
            const { loadRealEvalPrograms } = await import('./realEval');
            const real = await evaluateModel({ modelPath: gguf, programs: await loadRealEvalPrograms(realDir, log), cases: EVAL.cases, seed: EVAL.seed, maxTokens: EVAL.maxTokens });
            realCases = real.cases;
            realSummary = { realExactMatch: real.summary.exactMatch, realEditSimilarity: real.summary.editSimilarity, realCompileKeepRate: real.summary.compileKeepRate, realCompileChecked: real.summary.compileChecked, realCases: real.summary.cases };
          }
          const summary = { ...result.summary, heldOutLossNats, ...realSummary };
          mkdirSync(dirname(evalOut), { recursive: true });
          writeFileSync(evalOut, JSON.stringify({ summary, cases: result.cases, realCases }, null, 2) + '\n');
          writeStamp(p, `evaluate-${m}`, key, summary);
          log(`evaluate ${spec.name}: ${JSON.stringify(summary)}`);
        }
      }
    }
    if (want('manifest')) {
      const { writeManifest } = await import('./manifest');
      writeManifest({ models: p.models, work: p.work, names: modelNames.filter((m) => m !== 'tiny'), readStamp: (n) => readStamp(p, n), log });
    }
    return 0;
  } catch (e) {
    console.error(`[model:build] failed: ${(e as Error).message}`);
    return 1;
  }
}
