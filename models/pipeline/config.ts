/**
 * Pipeline settings in one place: corpus size, tokenizer size, the two model
 * shapes and their training budgets, seeds. Changing a value here changes the
 * stamps of the stages that depend on it, so they rebuild.
 */
export const CORPUS = { programs: 3000, seed: 20251 } as const;
/**
 * keepCommitted: the tokenizer stage takes models/tokenizer.json as it is
 * instead of training a new one: the committed models' weights are tied to its
 * ids, and phases that continue them (`startFrom`) need the same vocabulary.
 * Its fit on real code is measured (tokenizerFit.ts) before deciding to retrain.
 */
export const TOKENIZER = { vocabSize: 2048, keepCommitted: true } as const;
/**
 * Rows built from the synthetic training split plus the real corpus
 * (realCorpus.ts, category weights there). syntheticWeight: samples per pass of
 * a synthetic document, relative to a real document of weight 1; kept high
 * enough that the synthetic split does not regress while real code is learnt.
 */
export const MIXED_ROWS = { syntheticWeight: 0.35, seed: 303, tokens: 12_500_000 } as const;
/**
 * Fill-in-the-middle: the share of FIM samples in SPM order (the rest PSM, see
 * samples.ts) and the order the models are prompted in, recorded in their GGUF.
 */
export const FIM = { spmRate: 0.75, order: 'spm' } as const;
/**
 * The context length training rows are packed at, unless a phase names its own
 * (`TrainingPhase.contextLength`): the committed models' phases and their data
 * hashes are at this length.
 */
export const CONTEXT_LENGTH = 512;
/**
 * Training threads. One: on this shared 2-core machine two OpenMP threads
 * spin-wait on each other whenever another process runs (measured: 11-19 s per
 * 8x512-token step with 2 threads, 3-4 s with 1).
 */
export const TRAIN_THREADS = 1;

/** One training run: a schedule (warm-up, cosine decay to 10 %) over `steps` batches. */
export interface TrainingPhase {
  steps: number;
  batch: number;
  lr: number;
  seed: number;
  /**
   * Training rows: `streamed`, packed the first way (samples.ts), only the committed models' first phases;
   * `mixed`, synthetic plus real code (MIXED_ROWS); default the aligned synthetic rows.
   */
  rows?: 'streamed' | 'mixed';
  /**
   * This phase continues the committed GGUF (sha256 given): when the previous phase's checkpoint is
   * absent here, the committed file's weights (Q8_0 dequantised, import_gguf.py) stand for all earlier phases.
   */
  startFrom?: { committedSha256: string };
  /**
   * Distillation: soft targets from a teacher model (its committed GGUF or its checkpoint), mixed into the
   * loss as weight * T^2 * KL(teacher_T || student_T) + (1 - weight) * cross-entropy (train.py).
   */
  distill?: { teacher: 'large'; weight: number; temperature: number };
  /**
   * Rows packed at this many tokens (default CONTEXT_LENGTH): a continuation phase may widen the window
   * (RoPE positions are computed, so the weights carry over); the model's GGUF and manifest record the
   * last phase's length, and the model host opens contexts of that size.
   */
  contextLength?: number;
}

/** The context length a phase trains at. */
export function phaseContext(phase: TrainingPhase): number {
  return phase.contextLength ?? CONTEXT_LENGTH;
}

/** A model's context length: its last phase's. */
export function modelContext(spec: ModelSpec): number {
  return phaseContext(spec.phases.at(-1)!);
}

/**
 * Row files inside models/.work/data for a phase's rows at a context length: the
 * names the committed phases used at CONTEXT_LENGTH, suffixed `-<length>` otherwise.
 */
export function rowFiles(rows: TrainingPhase['rows'], contextLength: number): { train: string; validation: string } {
  const suffix = contextLength === CONTEXT_LENGTH ? '' : `-${contextLength}`;
  const train = rows === 'streamed' ? 'train-streamed' : rows === 'mixed' ? 'train-mixed' : 'train';
  return { train: `${train}${suffix}.bin`, validation: `validation${suffix}.bin` };
}

export interface ModelSpec {
  name: string;
  dim: number;
  layers: number;
  heads: number;
  ffn: number;
  /**
   * Training phases in order. Each phase after the first starts from the previous
   * phase's weights with a fresh optimiser, schedule and row order: the CPU budget
   * arrives in pieces, and a finished phase is never retrained to extend it.
   */
  phases: TrainingPhase[];
  /** Tokens of packed training rows to prepare (whole passes over the training split). */
  dataTokens: number;
}

export const MODELS: Record<'small' | 'large' | 'tiny', ModelSpec> = {
  small: {
    name: 'cobol-slm-small', dim: 256, layers: 4, heads: 4, ffn: 768, dataTokens: 12_000_000,
    phases: [
      { steps: 600, batch: 8, lr: 3e-3, seed: 11, rows: 'streamed' },
      { steps: 2400, batch: 8, lr: 1.5e-3, seed: 21 },
      // Real code (2026-12-06): continues the committed small model on synthetic + real rows.
      { steps: 2000, batch: 8, lr: 6e-4, seed: 31, rows: 'mixed', startFrom: { committedSha256: 'dd848a010b3f7f7a6af5ac72d9004238003c9914eb1f4dcbbd121d453287dd13' } },
      // Tried 2026-12-06 and not committed: { steps: 1000, batch: 4, lr: 4e-4, seed: 41, rows: 'mixed', contextLength: 1024, startFrom: committed }
      // (4.1M tokens of the mixed rows at 1,024): real split 6.7 -> 6.7 % exact match, synthetic 47.0 -> 45.0 %, and a full
      // prompt from an empty cache 32 -> 75 ms (models/README.md).
      // Tried 2026-12-06 and not committed: { steps: 800, batch: 8, lr: 4e-4, seed: 51, rows: 'mixed', distill: { teacher: 'large', weight: 0.5,
      // temperature: 2 }, startFrom: committed } against the same phase without `distill`: distilled minus plain, real split -1.3 points
      // exact match (interval -3.3 to +0.3), synthetic -0.7 (-3.3 to +2.0), at twice the training time (models/eval/distillation.json).
    ],
  },
  large: {
    name: 'cobol-slm-large', dim: 384, layers: 4, heads: 6, ffn: 2048, dataTokens: 12_000_000,
    phases: [
      { steps: 1000, batch: 4, lr: 2e-3, seed: 12, rows: 'streamed' },
      { steps: 1400, batch: 4, lr: 1e-3, seed: 22, rows: 'streamed' },
      { steps: 2400, batch: 8, lr: 1e-3, seed: 23 },
      { steps: 1000, batch: 8, lr: 6e-4, seed: 24 },
      // Tried 2026-12-06 and not committed: { steps: 1000, batch: 8, lr: 5e-4, seed: 35, rows: 'mixed', startFrom: committed }
      // (4.1M tokens of the mixed rows): real split 5.0 -> 6.3 % exact match, but synthetic 51.0 -> 49.0 % (models/README.md).
    ],
  },
  /** A few steps: proves every stage end to end (and used by the tests). */
  tiny: {
    name: 'cobol-slm-tiny', dim: 64, layers: 2, heads: 2, ffn: 192, dataTokens: 12_000_000,
    // The second phase widens the context, as a continuation may.
    phases: [{ steps: 30, batch: 4, lr: 3e-3, seed: 13 }, { steps: 10, batch: 2, lr: 1e-3, seed: 14, contextLength: 1024 }],
  },
};

/** Where a committed model's GGUF lives, relative to models/ (the manifest's `file`). */
export function bundledFile(spec: ModelSpec): string {
  return `bundled/${spec.name}.gguf`;
}

export const EVAL = { cases: 300, seed: 4242, maxTokens: 48 } as const;
