/**
 * How many CPU threads a model decodes with.
 *
 * Measured on a 2-core machine (notes/model-pipeline.md and `npm run
 * bench:model`): llama.cpp's worker threads spin-wait on each other at every
 * layer, and for a model of a few million parameters one token costs well
 * under a millisecond of arithmetic, so the waiting dominates: a 4.5M-parameter
 * model decoded ~1,400 tokens/s on 1 thread, 66-95 tokens/s on 2 and ~2 on 4,
 * and far worse while another process was busy. Extra threads pay only once a
 * token carries enough arithmetic to hide the barrier cost (hundreds of
 * millions of parameters), and even then one core is left to the editor.
 */

/** Below this many parameters a model decodes fastest on one thread. */
export const singleThreadParameterLimit = 100_000_000;
/** llama.cpp gains little from more threads than this on consumer CPUs (memory bound). */
const maxThreads = 8;

/**
 * @param parameters the model's parameter count
 * @param cores logical cores available to this process (`os.availableParallelism()`)
 * @param setting `cobolAssist.model.threads`: 0 = choose, n > 0 = use n
 */
export function chooseThreads(parameters: number, cores: number, setting: number): number {
  if (Number.isInteger(setting) && setting > 0) return setting;
  if (parameters < singleThreadParameterLimit) return 1;
  return Math.max(1, Math.min(cores - 1, maxThreads));
}

/** An automatic context larger than this costs memory and prompt time an editor does not need. */
export const maxAutoContext = 2048;

/**
 * The threads and context a model is loaded with: the settings, clamped to
 * the machine (no more threads than cores: more only spin against each other)
 * and to the model (no context beyond what it was trained with: memory grows
 * with it and the model cannot use it). Each change is a sentence for the user.
 */
export function fitModelSettings(
  settings: { threads: number; contextSize: number },
  facts: { cores: number; parameters: number; trainContextSize: number | undefined },
): { threads: number; contextSize: number; adjustments: string[] } {
  const adjustments: string[] = [];
  const cores = Math.max(1, facts.cores);
  let threads = chooseThreads(facts.parameters, cores, settings.threads);
  if (threads > cores) {
    adjustments.push(`cobolAssist.model.threads ${threads} is more than this machine's ${cores} cores; using ${cores}.`);
    threads = cores;
  }
  const trained = facts.trainContextSize && facts.trainContextSize > 0 ? facts.trainContextSize : undefined;
  let contextSize = settings.contextSize > 0 ? settings.contextSize : Math.min(trained ?? maxAutoContext, maxAutoContext);
  if (trained !== undefined && contextSize > trained) {
    adjustments.push(`cobolAssist.model.contextSize ${contextSize} is more than the ${trained} tokens the model was trained with; using ${trained}.`);
    contextSize = trained;
  }
  return { threads, contextSize, adjustments };
}
