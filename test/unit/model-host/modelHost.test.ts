/**
 * The model host: settings in, background load, status out. A bad model
 * leaves it in `error` with the reason; completions then reject with
 * `notReady` and nothing throws into the server.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelStatus } from '../../../server/protocol';
import { ModelHost } from '../../../server/model/modelHost';
import { LocalModelBackend } from '../../../server/model/localBackend';
import { defaultModelSettings } from '../../../server/model/modelSettings';
import { writeTinyGguf } from './tinyGguf';

const dir = mkdtempSync(join(tmpdir(), 'model-hostd-'));
// The guard as plain CommonJS, for a child process to run.
const crashGuardModule = join(dir, 'crashGuard.cjs');
writeFileSync(crashGuardModule, buildSync({ entryPoints: [join(__dirname, '../../../server/model/crashGuard.ts')], bundle: true, platform: 'node', format: 'cjs', write: false }).outputFiles[0]!.text);
const path = join(dir, 'tiny.gguf');
writeTinyGguf(path);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function host() {
  const statuses: ModelStatus[] = [];
  const logs: string[] = [];
  const modelHost = new ModelHost({ extensionRoot: dir, guardFolder: dir, log: (_level, message) => logs.push(message), onStatus: (s) => statuses.push(s) });
  return { modelHost, statuses, logs };
}
const settings = { ...defaultModelSettings, path, threads: 1, gpu: 'off' as const };

describe('ModelHost', () => {
  it('goes loading -> ready with model name, device and threads, then completes', async () => {
    const { modelHost, statuses } = host();
    const loaded = modelHost.configure(settings);
    expect(statuses.at(-1)?.state).toBe('loading'); // reported at once, before the load finishes
    await loaded;
    expect(statuses.at(-1)).toMatchObject({ state: 'ready', modelId: 'tiny.gguf', modelName: 'tiny-test-model', device: 'cpu', threads: 1 });
    const result = await modelHost.complete({ prefix: '       MOVE A TO B.\n', suffix: '', maxTokens: 2, timeBudgetMs: 5000 });
    expect(result.stopReason).toBe('maxTokens');
    await modelHost.dispose();
  });

  it('reports a bad model as error with the reason, and rejects completions with notReady', async () => {
    const { modelHost, statuses } = host();
    await modelHost.configure({ ...settings, path: join(dir, 'missing.gguf') });
    expect(statuses.at(-1)).toMatchObject({ state: 'error', message: expect.stringContaining('does not exist') });
    await expect(modelHost.complete({ prefix: 'A', suffix: '', maxTokens: 1, timeBudgetMs: 100 })).rejects.toMatchObject({ code: 'notReady' });
  });

  it('explains a catalogue model that is not downloaded yet', async () => {
    const { modelHost, statuses } = host();
    await modelHost.configure({ ...settings, path: '', id: 'qwen2.5-coder-0.5b-q8_0' });
    expect(statuses.at(-1)).toMatchObject({ state: 'error', message: expect.stringContaining('not downloaded yet') });
  });

  it('is off when disabled, and reloads only when the settings change', async () => {
    const { modelHost, statuses } = host();
    await modelHost.configure({ ...settings, enabled: false });
    expect(statuses.at(-1)?.state).toBe('off');
    await modelHost.configure({ ...settings });
    const count = statuses.length;
    await modelHost.configure({ ...settings });
    expect(statuses.length).toBe(count);
    await modelHost.dispose();
  });

  it('does not load again a file whose load killed the process, and loads it once the file changes', async () => {
    // A process that dies half way through a load (as when llama.cpp aborts) leaves the guard's marker behind.
    const crashed = join(dir, 'crashed.gguf');
    writeTinyGguf(crashed);
    const script = `new (require(${JSON.stringify(crashGuardModule)}).CrashGuard)(${JSON.stringify(crashed)}, ${JSON.stringify(dir)}).begin(); process.kill(process.pid, 'SIGKILL');`;
    spawnSync(process.execPath, ['-e', script], { stdio: 'ignore' });
    const { modelHost, statuses } = host();
    await modelHost.configure({ ...settings, path: crashed });
    expect(statuses.at(-1)).toMatchObject({ state: 'error', message: expect.stringContaining('stopped the language server last time') });
    // A new file (another size or time) is a new chance.
    writeTinyGguf(crashed, { seed: 2 });
    utimesSync(crashed, new Date(), new Date(Date.now() + 5000));
    await modelHost.configure({ ...settings, path: crashed, threads: 2 });
    expect(statuses.at(-1)?.state).toBe('ready');
    await modelHost.dispose();
  });

  it('lets a newer configuration supersede a load in flight', async () => {
    const { modelHost, statuses } = host();
    const first = modelHost.configure(settings);
    const second = modelHost.configure({ ...settings, enabled: false });
    await Promise.all([first, second]);
    expect(statuses.at(-1)?.state).toBe('off');
    expect(modelHost.ready).toBeUndefined();
  });

  it('holds any ModelBackend that loadBackend makes, and runs requests through its scheduler', async () => {
    const loaded: string[] = [];
    const modelHost = new ModelHost({
      extensionRoot: dir, guardFolder: dir, log: () => {}, onStatus: () => {},
      loadBackend: async (options) => {
        loaded.push(options.path);
        return LocalModelBackend.load(options);
      },
    });
    await modelHost.configure(settings);
    expect(loaded).toEqual([path]);
    const result = await modelHost.complete({ prefix: '       MOVE A TO B.\n', suffix: '', maxTokens: 2, timeBudgetMs: 5000, lane: 'background' });
    expect(result.stopReason).toBe('maxTokens');
    expect(modelHost.scheduler.counters.started.background).toBe(1);
    await modelHost.dispose();
  });
});
