/**
 * The model scheduler: inline latest-wins (a burst starts at most two
 * generations and leaves no backlog), background FIFO on its own lane, and,
 * with a real llama.cpp (the tiny random-weight GGUF), background work that
 * neither wipes the inline KV cache nor waits behind an inline generation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalModelBackend } from '../../../server/model/localBackend';
import { ModelScheduler } from '../../../server/model/scheduler';
import { writeTinyGguf } from './tinyGguf';

const dir = mkdtempSync(join(tmpdir(), 'scheduler-'));
const path = join(dir, 'tiny.gguf');
const program = Array.from({ length: 12 }, (_, i) => `       MOVE WS-A${i} TO WS-B${i}.`).join('\n');
let backend: LocalModelBackend;

beforeAll(async () => {
  writeTinyGguf(path);
  backend = await LocalModelBackend.load({ id: 'tiny', path, threads: 1, contextSize: 0, gpu: 'off', temperature: 0, tokenHealing: true });
});
afterAll(async () => {
  await backend?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ModelScheduler', () => {
  it('latest wins: in a burst of 50 keystrokes 20 ms apart each cancels the one before, and only the last answers', async () => {
    const scheduler = new ModelScheduler(() => backend);
    const results: Promise<{ stopReason: string }>[] = [];
    for (let key = 0; key < 50; key++) {
      results.push(scheduler.run({ prefix: `${program}\n       MOVE ${'X'.repeat(key)}`, suffix: '', maxTokens: 200, timeBudgetMs: 10_000 }));
      await sleep(20);
    }
    const settled = await Promise.all(results);
    expect(settled.slice(0, -1).every((result) => result.stopReason === 'cancelled')).toBe(true);
    expect(settled.at(-1)!.stopReason).not.toBe('cancelled');
    // No backlog: every request either ran (and was cut short) or was skipped. The pipeline's debounce
    // is what keeps such a burst to two generations (test/unit/completion).
    expect(scheduler.counters.started.inline + scheduler.counters.skipped).toBe(50);
  });

  it('a burst issued at once reaches the model once', async () => {
    const scheduler = new ModelScheduler(() => backend);
    const results = await Promise.all(Array.from({ length: 50 }, (_, key) =>
      scheduler.run({ prefix: `${program}\n       ADD ${key}`, suffix: '', maxTokens: 8, timeBudgetMs: 5000 })));
    expect(scheduler.counters.started.inline).toBe(1);
    expect(scheduler.counters.skipped).toBe(49);
    expect(results.at(-1)!.stopReason).toBe('maxTokens');
  });

  it('honours the caller\'s own cancellation', async () => {
    const scheduler = new ModelScheduler(() => backend);
    const controller = new AbortController();
    controller.abort();
    expect((await scheduler.run({ prefix: program, suffix: '', maxTokens: 8, timeBudgetMs: 5000, signal: controller.signal })).stopReason).toBe('cancelled');
  });

  it('rejects with notReady when no backend is loaded', async () => {
    const scheduler = new ModelScheduler(() => undefined, () => 'loading');
    await expect(scheduler.run({ prefix: 'A', suffix: '', maxTokens: 1, timeBudgetMs: 100 })).rejects.toMatchObject({ code: 'notReady', message: 'loading' });
  });

  it('background work keeps the inline KV cache and does not wait behind inline generation', async () => {
    const scheduler = new ModelScheduler(() => backend);
    const inlinePrefix = `${program}\n       MOVE WS-C`;
    await scheduler.run({ prefix: inlinePrefix, suffix: '', maxTokens: 2, timeBudgetMs: 5000 });
    const other = program.replaceAll('MOVE', 'ADD').replaceAll(' TO ', ' GIVING ');
    const background = await scheduler.run({ prefix: other, suffix: '', maxTokens: 4, timeBudgetMs: 5000, lane: 'background' });
    expect(background.stopReason).toBe('maxTokens');
    const warm = await scheduler.run({ prefix: `${inlinePrefix}X`, suffix: '', maxTokens: 2, timeBudgetMs: 5000 });
    expect(warm.timings.reusedTokens).toBeGreaterThan(warm.timings.promptTokens - 5);

    // A long inline generation in flight; a background request still finishes first.
    const order: string[] = [];
    const long = scheduler.run({ prefix: `${program}\n`, suffix: '', maxTokens: 120, timeBudgetMs: 20_000 }).then(() => order.push('inline'));
    await sleep(1);
    const short = scheduler.run({ prefix: other, suffix: '', maxTokens: 1, timeBudgetMs: 5000, lane: 'background' }).then(() => order.push('background'));
    await Promise.all([long, short]);
    expect(order[0]).toBe('background');
    expect(scheduler.counters.started.background).toBe(2);
  });
});
