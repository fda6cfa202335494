/**
 * The process-wide llama.cpp runtime: one `Llama` per GPU choice, created on
 * first use with node-llama-cpp's prebuilt binaries only (never a source
 * build inside an editor), and the device it ended up on.
 */
import type { Llama, LlamaLogLevel } from 'node-llama-cpp';
import type { ModelDevice } from './backend';
import { ModelError, messageOf } from './errors';
import { loadNodeLlamaCpp } from './nodeLlamaCpp';

export type GpuSetting = 'auto' | 'off';

/** Receives llama.cpp's warnings and errors (its info logs are too chatty for an editor log). */
export type RuntimeLog = (level: 'warn' | 'error', message: string) => void;

const runtimes = new Map<GpuSetting, Promise<Llama>>();
/** llama.cpp's recent error lines, quoted in load failures (llama.cpp explains them only in its log). */
let recentErrors: string[] = [];
let log: RuntimeLog = () => undefined;

export function setRuntimeLog(sink: RuntimeLog): void {
  log = sink;
}

/** The error lines llama.cpp logged since the last call (the cause first, its consequences after). */
export function takeLlamaErrors(): string {
  const message = [...new Set(recentErrors)].join('; ');
  recentErrors = [];
  return message;
}

export function getRuntime(gpu: GpuSetting): Promise<Llama> {
  let runtime = runtimes.get(gpu);
  if (!runtime) {
    runtime = createRuntime(gpu);
    runtimes.set(gpu, runtime);
    runtime.catch(() => runtimes.delete(gpu));
  }
  return runtime;
}

async function createRuntime(gpu: GpuSetting): Promise<Llama> {
  let llamaCpp;
  try {
    llamaCpp = await loadNodeLlamaCpp();
  } catch (error) {
    throw new ModelError('loadFailed', `The model runtime (node-llama-cpp) could not be loaded: ${messageOf(error)}`, { cause: error });
  }
  const options = {
    build: 'never' as const,
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    logLevel: llamaCpp.LlamaLogLevel.warn,
    logger: (level: LlamaLogLevel, message: string) => {
      const text = message.trim();
      if (!text) return;
      if (level === llamaCpp.LlamaLogLevel.error || level === llamaCpp.LlamaLogLevel.fatal) {
        recentErrors.push(text);
        if (recentErrors.length > 4) recentErrors.shift();
        log('error', text);
      } else if (level === llamaCpp.LlamaLogLevel.warn) {
        log('warn', text);
      }
    },
  };
  try {
    return await llamaCpp.getLlama({ ...options, gpu: gpu === 'off' ? false : 'auto' });
  } catch (error) {
    if (gpu === 'off') {
      throw new ModelError('loadFailed', `No usable llama.cpp binary for this platform (${process.platform}-${process.arch}): ${messageOf(error)}`, { cause: error });
    }
    // A broken GPU driver must not cost the user the model: fall back to the CPU.
    log('warn', `GPU runtime failed (${messageOf(error)}); using the CPU.`);
    return getRuntime('off');
  }
}

export function deviceOf(llama: Llama): ModelDevice {
  const gpu = llama.gpu;
  return gpu === 'cuda' || gpu === 'vulkan' || gpu === 'metal' ? gpu : 'cpu';
}
