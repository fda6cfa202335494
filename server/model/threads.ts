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
