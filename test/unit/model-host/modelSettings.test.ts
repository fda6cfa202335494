/** `cobolAssist.model.*` parsing: good values kept, bad ones fall back to defaults. */
import { describe, expect, it } from 'vitest';
import { defaultModelSettings, needsReload, parseModelSettings } from '../../../server/model/modelSettings';

describe('parseModelSettings', () => {
  it('gives the defaults for nothing', () => {
    expect(parseModelSettings(undefined)).toEqual(defaultModelSettings);
    expect(parseModelSettings({ model: null })).toEqual(defaultModelSettings);
  });
  it('keeps valid values', () => {
    const raw = { model: { enabled: false, id: ' qwen2.5-coder-0.5b-q8_0 ', path: '/m/q.gguf', threads: 3, contextSize: 1024, gpu: 'off', temperature: 0.2, tokenHealing: false } };
    expect(parseModelSettings(raw)).toEqual({ enabled: false, id: 'qwen2.5-coder-0.5b-q8_0', path: '/m/q.gguf', threads: 3, contextSize: 1024, gpu: 'off', temperature: 0.2, tokenHealing: false });
  });
  it('replaces invalid values by defaults', () => {
    const raw = { model: { enabled: 'yes', id: '', path: 7, threads: -1, contextSize: 1.5, gpu: 'cuda', temperature: 9, tokenHealing: 1 } };
    expect(parseModelSettings(raw)).toEqual(defaultModelSettings);
  });
  it('reloads only when a model setting changed', () => {
    expect(needsReload(defaultModelSettings, { ...defaultModelSettings })).toBe(false);
    expect(needsReload(defaultModelSettings, { ...defaultModelSettings, threads: 2 })).toBe(true);
  });
});
