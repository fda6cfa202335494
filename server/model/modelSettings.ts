/**
 * The `cobolAssist.model.*` settings: their shape, defaults, and parsing
 * from the raw `cobolAssist` configuration section. Model settings are
 * window-wide (one model per server), unlike the per-file settings in
 * ../settings.ts.
 */
import type { GpuSetting } from './llamaRuntime';

export interface ModelSettings {
  /** false: no model is loaded; language features only. */
  enabled: boolean;
  /** Catalogue id (models/catalog.json). */
  id: string;
  /** A GGUF file to use instead of the catalogue's; set by "Select Model" for downloaded models. */
  path: string;
  /** CPU threads; 0 = chosen from the model's size (see threads.ts). */
  threads: number;
  /** Context tokens; 0 = the model's own, at most 2048. */
  contextSize: number;
  gpu: GpuSetting;
  /** 0 = greedy (the default for code). */
  temperature: number;
  tokenHealing: boolean;
}

export const defaultModelSettings: ModelSettings = {
  enabled: true,
  id: 'cobol-slm-small',
  path: '',
  threads: 0,
  contextSize: 0,
  gpu: 'auto',
  temperature: 0,
  tokenHealing: true,
};

/** `raw` is the whole `cobolAssist` section; bad values fall back to defaults. */
export function parseModelSettings(raw: unknown): ModelSettings {
  const section = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const model = (section.model && typeof section.model === 'object' ? section.model : {}) as Record<string, unknown>;
  const d = defaultModelSettings;
  // Too large a value is kept here and clamped at load, to the machine and the model, with a message (threads.ts).
  const count = (value: unknown, fallback: number, max: number) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, max) : fallback;
  return {
    enabled: typeof model.enabled === 'boolean' ? model.enabled : d.enabled,
    id: typeof model.id === 'string' && model.id.trim() ? model.id.trim() : d.id,
    path: typeof model.path === 'string' ? model.path.trim() : d.path,
    threads: count(model.threads, d.threads, 256),
    contextSize: count(model.contextSize, d.contextSize, 131_072),
    gpu: model.gpu === 'off' || model.gpu === 'auto' ? model.gpu : d.gpu,
    temperature: typeof model.temperature === 'number' && model.temperature >= 0 && model.temperature <= 2 ? model.temperature : d.temperature,
    tokenHealing: typeof model.tokenHealing === 'boolean' ? model.tokenHealing : d.tokenHealing,
  };
}

/** True when switching from `a` to `b` needs the model reloaded. */
export function needsReload(a: ModelSettings, b: ModelSettings): boolean {
  // Every model setting is fixed when the backend is created; reloading a small model takes well under a second.
  return (Object.keys(a) as (keyof ModelSettings)[]).some((key) => a[key] !== b[key]);
}
