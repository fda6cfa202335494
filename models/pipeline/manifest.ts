/**
 * Writes models/manifest.json: per bundled model its file, sha256, size,
 * parameters, architecture, context length, FIM token ids, tokenizer, the
 * training data hash, training throughput and wall time, and evaluation
 * figures. The model host reads it; tests verify the files against it.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVAL, FIM, MIXED_ROWS, MODELS, TOKENIZER, bundledFile, modelContext, type TrainingPhase } from './config';
import { CATEGORY_WEIGHTS } from './realCorpus';
import { compareModels, type CaseResult, type ModelComparison } from './evaluate';
import { EOT, FIM_MID, FIM_PAD, FIM_PRE, FIM_SUF, SPECIAL_TOKENS } from './tokenizer';

export interface ManifestModel {
  name: string;
  file: string;
  sha256: string;
  bytes: number;
  quantization: 'Q8_0';
  parameters: number;
  architecture: { type: 'llama'; dim: number; layers: number; heads: number; kvHeads: number; ffn: number; vocab: number };
  contextLength: number;
  tokens: { bos: number; eos: number; eot: number; fimPrefix: number; fimSuffix: number; fimMiddle: number; fimPad: number; special: readonly string[] };
  training: Record<string, unknown>;
  evaluation: Record<string, unknown> | null;
}

export interface Manifest {
  schema: 1;
  /** The order the models are prompted in; they were trained on both (`fimTraining`). */
  fimTemplate: 'SPM' | 'PSM';
  fimTraining?: { spm: number; psm: number };
  tokenizer: { type: 'byte-level BPE'; ggmlModel: 'gpt2'; preTokenizer: 'trillion'; vocabSize: number; file: 'tokenizer.json'; sha256: string; charsPerToken?: number };
  corpus: Record<string, unknown>;
  models: Record<string, ManifestModel>;
  /** large against small on the same evaluation cases (evaluate.ts compareModels). */
  largeOverSmall?: ModelComparison;
  /** The same on the real-code test split (models/eval/realSplit.ts). */
  largeOverSmallReal?: ModelComparison;
  /** The real corpus the mixed training rows came from (stage `real`): what was taken, by category. */
  realCorpus?: Record<string, unknown>;
}

export function writeManifest(o: { models: string; work: string; names: string[]; readStamp: (n: string) => { key: string; info: Record<string, unknown> } | undefined; log: (m: string) => void }): void {
  const path = join(o.models, 'manifest.json');
  const previous: Partial<Manifest> = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  const tokPath = join(o.models, 'tokenizer.json');
  const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
  const corpus = o.readStamp('corpus')?.info ?? previous.corpus ?? {};
  const tokInfo = o.readStamp('tokenizer')?.info;
  const data = o.readStamp('data')?.info;
  const manifest: Manifest = {
    schema: 1,
    fimTemplate: FIM.order === 'spm' ? 'SPM' : 'PSM',
    fimTraining: { spm: FIM.spmRate, psm: Math.round((1 - FIM.spmRate) * 100) / 100 },
    tokenizer: { type: 'byte-level BPE', ggmlModel: 'gpt2', preTokenizer: 'trillion', vocabSize: TOKENIZER.vocabSize, file: 'tokenizer.json', sha256: sha(tokPath), charsPerToken: (tokInfo?.charsPerToken as number | undefined) ?? previous.tokenizer?.charsPerToken },
    corpus,
    ...((o.readStamp('real')?.info ?? previous.realCorpus) ? { realCorpus: o.readStamp('real')?.info ?? previous.realCorpus } : {}),
    models: { ...(previous.models ?? {}) },
  };
  const mixed = o.readStamp('data-mixed')?.info;
  for (const key of o.names) {
    const spec = MODELS[key as keyof typeof MODELS];
    const file = join(o.models, bundledFile(spec));
    if (!existsSync(file)) continue;
    const train = o.readStamp(`train-${key}`)?.info;
    const evaluation = o.readStamp(`evaluate-${key}`)?.info ?? null;
    manifest.models[key] = {
      name: spec.name,
      file: bundledFile(spec),
      sha256: sha(file),
      bytes: statSync(file).size,
      quantization: 'Q8_0',
      parameters: (train?.params as number | undefined) ?? previous.models?.[key]?.parameters ?? 0,
      architecture: { type: 'llama', dim: spec.dim, layers: spec.layers, heads: spec.heads, kvHeads: spec.heads, ffn: spec.ffn, vocab: TOKENIZER.vocabSize },
      // The GGUF's own: the last trained phase's length (train.py's summary), else the committed record.
      contextLength: (train?.contextLength as number | undefined) ?? previous.models?.[key]?.contextLength ?? modelContext(spec),
      tokens: { bos: EOT, eos: EOT, eot: EOT, fimPrefix: FIM_PRE, fimSuffix: FIM_SUF, fimMiddle: FIM_MID, fimPad: FIM_PAD, special: SPECIAL_TOKENS },
      training: train
        ? { phases: spec.phases, steps: train.steps, tokens: train.tokens, wallSeconds: train.wallSeconds, tokensPerSecond: Math.round((train.tokens as number) / (train.wallSeconds as number)), validationLoss: train.valLoss, device: train.device, bf16: train.bf16, threads: train.threads, dataSha256: data?.trainSha256, ...(spec.phases.some((phase) => phase.rows === 'streamed') ? { streamedRowsSha256: data?.trainStreamedSha256 } : {}), dataMix: dataMixOf(spec.phases, mixed) }
        // Not trained in this build: the committed file's own record, and the mix of the phases it records.
        : { ...(previous.models?.[key]?.training ?? {}), dataMix: dataMixOf((previous.models?.[key]?.training?.phases as TrainingPhase[] | undefined) ?? spec.phases, mixed) },
      evaluation: evaluation ?? previous.models?.[key]?.evaluation ?? null,
    };
  }
  const evalCases = (key: string, split: 'cases' | 'realCases'): CaseResult[] | undefined => {
    const f = join(o.work, 'eval', `${key}.json`);
    return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Record<typeof split, CaseResult[] | undefined>)[split] : undefined;
  };
  const [smallCases, largeCases] = [evalCases('small', 'cases'), evalCases('large', 'cases')];
  const largeOverSmall = smallCases && largeCases ? compareModels(smallCases, largeCases, EVAL.seed) : previous.largeOverSmall;
  if (largeOverSmall) manifest.largeOverSmall = largeOverSmall;
  const [smallReal, largeReal] = [evalCases('small', 'realCases'), evalCases('large', 'realCases')];
  const largeOverSmallReal = smallReal && largeReal ? compareModels(smallReal, largeReal, EVAL.seed) : previous.largeOverSmallReal;
  if (largeOverSmallReal) manifest.largeOverSmallReal = largeOverSmallReal;
  writeFileSync(path, JSON.stringify(manifest, null, 2) + '\n');
  syncCatalog(join(o.models, 'catalog.json'), Object.values(manifest.models));
  // The held-out programs the evaluation figures come from, committed so they can be reproduced without a corpus
  // build. Written once: the evaluate stage measures every model on the committed copy.
  const split = join(o.work, 'corpus', 'test.jsonl');
  if (existsSync(split) && !existsSync(join(o.models, 'eval', 'test-split.jsonl'))) {
    mkdirSync(join(o.models, 'eval'), { recursive: true });
    copyFileSync(split, join(o.models, 'eval', 'test-split.jsonl'));
  }
  o.log(`manifest: ${path}`);
}

/** What a model's training rows were made of, phase by phase: synthetic only, or synthetic + real (MIXED_ROWS). */
function dataMixOf(trained: readonly TrainingPhase[], mixed: Record<string, unknown> | undefined): Record<string, unknown> {
  const phases = trained.map((phase) => (phase.rows === 'mixed' ? 'synthetic + real' : 'synthetic'));
  if (!trained.some((phase) => phase.rows === 'mixed')) return { phases, realSampleShare: 0 };
  return { phases, mixedRowsTokens: mixed?.tokens, realSampleShare: mixed?.realSampleShare, realDocuments: mixed?.realDocuments, syntheticDocuments: mixed?.syntheticDocuments, syntheticWeight: MIXED_ROWS.syntheticWeight, categoryWeights: CATEGORY_WEIGHTS, mixedRowsSha256: mixed?.sha256 };
}

/**
 * The catalogue (models/catalog.json, read by the extension and the server)
 * repeats each project model's sha256 and size so that it can be checked
 * without the manifest; the manifest stage is the one place that writes both,
 * so they cannot drift.
 */
function syncCatalog(path: string, models: { file: string; sha256: string; bytes: number }[]): void {
  if (!existsSync(path)) return;
  const catalog = JSON.parse(readFileSync(path, 'utf8')) as { models: { file?: string; sha256?: string | null; bytes?: number | null }[] };
  for (const entry of catalog.models) {
    const built = models.find((model) => entry.file === `models/${model.file}`);
    if (!built) continue;
    entry.sha256 = built.sha256;
    entry.bytes = built.bytes;
  }
  writeFileSync(path, JSON.stringify(catalog, null, 2) + '\n');
}
