/**
 * The model host: turns `cobolAssist.model.*` settings into a loaded
 * backend, in the background, and reports its state (off / loading / ready /
 * error) to whoever listens (the LSP layer forwards it to the status bar).
 *
 * Invariants:
 * - Nothing here blocks the language features: `configure` returns at once
 *   and loading runs in the background; a failed load leaves the host in
 *   `error` with a user-readable message, never throws into the server.
 * - At most one backend is alive; a newer configuration supersedes a load in
 *   flight (its result is disposed when it arrives).
 * - `complete` rejects with `ModelError('notReady')` unless a model is ready.
 * - Every request goes through the `ModelScheduler` (scheduler.ts): inline
 *   requests are latest-wins, background ones have their own lane.
 * - The host holds a `ModelBackend`, not a particular class: `loadBackend`
 *   makes one from the resolved options (the local node-llama-cpp backend by
 *   default).
 * - A file whose load killed the process before is not loaded again (CrashGuard).
 */
import type { ModelStatus } from '../protocol';
import type { CompletionRequest, CompletionResult, ModelBackend } from './backend';
import { ModelScheduler } from './scheduler';
import { findModel } from './catalog';
import { ModelError, messageOf } from './errors';
import { LocalModelBackend, LocalModelOptions } from './localBackend';
import { ModelSettings, needsReload } from './modelSettings';
import { setRuntimeLog } from './llamaRuntime';
import { CrashGuard } from './crashGuard';
import { basename, join } from 'node:path';
import type { CatalogEntry } from './catalog';

export interface ModelHostOptions {
  /** The installed extension's folder (bundled models live under it). */
  extensionRoot: string;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  onStatus: (status: ModelStatus) => void;
  /** Where the crash guard's marker lives (default: the OS temp folder). */
  guardFolder?: string;
  /** Makes a backend from resolved options (default: `LocalModelBackend.load`). Rejects with a `ModelError`. */
  loadBackend?: (options: LocalModelOptions) => Promise<ModelBackend>;
}

export class ModelHost {
  private settings: ModelSettings | undefined;
  private backend: ModelBackend | undefined;
  private generation = 0;
  private current: ModelStatus = { state: 'off', modelId: '', message: 'not configured yet' };
  private loading: Promise<void> = Promise.resolve();

  /** The two lanes every request goes through. */
  readonly scheduler = new ModelScheduler(
    () => this.backend,
    () => `No model is ready (${this.current.state}${this.current.message ? `: ${this.current.message}` : ''}).`,
  );

  constructor(private readonly options: ModelHostOptions) {
    // Model trouble is the user's configuration, not a server fault: warnings, shown in the status bar.
    setRuntimeLog((_level, message) => options.log('warn', `llama.cpp: ${message}`));
  }

  get status(): ModelStatus {
    return this.current;
  }

  /** The ready backend, if any (for callers that want its facts). */
  get ready(): ModelBackend | undefined {
    return this.backend;
  }

  /** Applies new settings; (re)loads in the background when they changed. Returns a promise of that load (for tests). */
  configure(settings: ModelSettings): Promise<void> {
    if (this.settings && !needsReload(this.settings, settings)) return this.loading;
    this.settings = settings;
    const generation = ++this.generation;
    this.loading = this.reload(settings, generation);
    return this.loading;
  }

  /** Runs a request in its lane (`request.lane`, default inline: latest wins). */
  complete(request: CompletionRequest): Promise<CompletionResult> {
    return this.scheduler.run(request);
  }

  async dispose(): Promise<void> {
    this.generation++;
    const backend = this.backend;
    this.backend = undefined;
    await backend?.dispose();
  }

  private async reload(settings: ModelSettings, generation: number): Promise<void> {
    const previous = this.backend;
    this.backend = undefined;
    const modelId = modelIdFor(settings, findModel(settings.id));
    // Published before the first await, so the status bar shows it at once.
    if (settings.enabled) this.publish({ state: 'loading', modelId });
    else this.publish({ state: 'off', modelId, message: 'disabled by cobolAssist.model.enabled' });
    await previous?.dispose();
    if (!settings.enabled || generation !== this.generation) return;
    let guard: CrashGuard | undefined;
    try {
      const options = this.resolve(settings);
      const fileGuard = new CrashGuard(options.path, this.options.guardFolder);
      if (fileGuard.crashedBefore()) {
        throw new ModelError('unsupportedModel', `Loading ${options.path} stopped the language server last time, so it is not loaded again. Pick another model with "COBOL Assist: Select Model" (or replace the file).`);
      }
      guard = fileGuard;
      guard.begin();
      const backend = await (this.options.loadBackend ?? LocalModelBackend.load)(options);
      try {
        // One token through the whole graph: llama.cpp's remaining checks run now, under the guard.
        await backend.complete({ prefix: '\n', suffix: '', maxTokens: 1, timeBudgetMs: 10_000 });
      } catch (error) {
        await backend.dispose();
        throw error;
      }
      guard.end();
      if (generation !== this.generation) {
        await backend.dispose(); // superseded while loading
        return;
      }
      this.backend = backend;
      const { info } = backend;
      this.options.log('info', `Model ${info.name} (${info.architecture ?? 'unknown architecture'}, ${info.parameters ?? '?'} parameters, ${info.bytes ?? '?'} bytes) ready on ${info.device} with ${info.threads ?? '?'} thread(s), context ${info.contextSize}, FIM ${info.fim ? 'yes' : 'no'}, in ${info.loadMs ?? '?'} ms.`);
      this.publish({
        state: 'ready',
        modelId,
        modelName: info.name,
        device: info.device,
        threads: info.threads,
        contextSize: info.contextSize,
        parameters: info.parameters,
        loadMs: info.loadMs,
      });
    } catch (error) {
      guard?.end(); // an ordinary failure: the file may be retried after the user fixes it
      if (generation !== this.generation) return;
      const message = messageOf(error);
      this.options.log('warn', `Model ${settings.id} could not be loaded: ${message}`);
      this.publish({ state: 'error', modelId, message });
    }
  }

  /** Settings -> file and load options. Throws a `ModelError` for an unknown or not-downloaded model. */
  private resolve(settings: ModelSettings): LocalModelOptions {
    const entry = findModel(settings.id);
    let path = settings.path;
    if (!path) {
      if (!entry) {
        throw new ModelError('fileMissing', `Unknown model "${settings.id}": pick one with "COBOL Assist: Select Model", or set cobolAssist.model.path to a GGUF file.`);
      }
      if (entry.source === 'download') {
        throw new ModelError('fileMissing', `The model "${entry.name}" is not downloaded yet: run "COBOL Assist: Select Model" to download it.`);
      }
      path = join(this.options.extensionRoot, entry.file);
    }
    return {
      id: modelIdFor(settings, entry),
      path,
      threads: settings.threads,
      contextSize: settings.contextSize,
      gpu: settings.gpu,
      temperature: settings.temperature,
      tokenHealing: settings.tokenHealing,
      fimFallback: entry?.fim,
    };
  }

  private publish(status: ModelStatus): void {
    this.current = status;
    this.options.onStatus(status);
  }
}

/** The catalogue id when the file is the catalogue's, else the file's name. */
function modelIdFor(settings: ModelSettings, entry: CatalogEntry | undefined): string {
  if (!settings.path) return settings.id;
  return entry && basename(settings.path) === basename(entry.file) ? entry.id : basename(settings.path);
}
