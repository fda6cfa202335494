/**
 * The local backend against a real llama.cpp: load, generate, stop rules,
 * cancellation, time budget, KV-cache reuse, over-long prompts. The model is
 * a tiny random-weight GGUF (tinyGguf.ts): its text is meaningless, but
 * llama.cpp runs it exactly like a trained one, and fast.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalModelBackend, LocalModelOptions } from '../../../server/model/localBackend';
import { writeTinyGguf } from './tinyGguf';

const dir = mkdtempSync(join(tmpdir(), 'model-host-'));
const path = join(dir, 'tiny.gguf');
const options = (overrides: Partial<LocalModelOptions> = {}): LocalModelOptions => ({
  id: 'tiny', path, threads: 1, contextSize: 0, gpu: 'off', temperature: 0, tokenHealing: true, ...overrides,
});
const program = Array.from({ length: 12 }, (_, i) => `       MOVE WS-A${i} TO WS-B${i}.`).join('\n');
let backend: LocalModelBackend;

beforeAll(async () => {
  writeTinyGguf(path);
  backend = await LocalModelBackend.load(options());
});
afterAll(async () => {
  await backend?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('LocalModelBackend', () => {
  it('loads with the facts the status bar shows', () => {
    expect(backend.info).toMatchObject({ id: 'tiny', name: 'tiny-test-model', device: 'cpu', threads: 1, contextSize: 256, architecture: 'llama', fim: true });
    expect(backend.info.parameters).toBe(116_672);
    expect(backend.info.loadMs).toBeGreaterThan(0);
  });

  it('generates greedily and deterministically up to maxTokens', async () => {
    const request = { prefix: `${program}\n       MO`, suffix: '\n', maxTokens: 8, timeBudgetMs: 5000 };
    const first = await backend.complete(request);
    const again = await backend.complete(request);
    expect(first.stopReason).toBe('maxTokens');
    expect(first.tokenProbabilities).toHaveLength(8);
    expect(first.text.length).toBeGreaterThan(0);
    expect(again.text).toBe(first.text);
    for (const p of first.tokenProbabilities) expect(p).toBeGreaterThan(0);
  });

  it('heals the token under the cursor: the completion continues the partial word', async () => {
    // "MO" is one token; healed, the first generated token must start with "MO",
    // so the completion is the rest of a token like "MOV" / "MOVE" (or nothing after "MO").
    const result = await backend.complete({ prefix: '       MO', suffix: '', maxTokens: 1, timeBudgetMs: 5000 });
    expect(['', 'V', 'VE']).toContain(result.text);
    const unhealed = await LocalModelBackend.load(options({ tokenHealing: false }));
    try {
      const plain = await unhealed.complete({ prefix: '       MO', suffix: '', maxTokens: 1, timeBudgetMs: 5000 });
      expect(plain.tokenProbabilities).toHaveLength(1);
    } finally {
      await unhealed.dispose();
    }
  });

  it('heals even where the model would rather end: the first token always continues the healed text', async () => {
    // After "...\n1" and "...\n3" this model's best first token is end-of-text, which
    // node-llama-cpp will not ban; the healing bias raises the allowed tokens above it.
    for (const last of ['1', '3']) {
      const result = await backend.complete({ prefix: `${program}\n${last}`, suffix: '', maxTokens: 4, timeBudgetMs: 5000 });
      expect(result.stopReason).toBe('maxTokens');
      expect(result.tokenProbabilities[0]).toBeGreaterThan(0.99);
    }
  });

  it('ends a whole word the caller wrote before going on (wordComplete), where it would otherwise lengthen it', async () => {
    // A random-weight model lengthens words at will: over these prefixes some completion starts with a word character.
    const prefixes = ['WS-A', 'WS-B1', 'MOVE', 'WS', 'TO', 'MO', 'WS-A1', 'B'].map((word) => `${program}\n       ${word}`);
    const plain = await Promise.all(prefixes.map((prefix) => backend.complete({ prefix, suffix: '', maxTokens: 3, timeBudgetMs: 5000 })));
    expect(plain.some((result) => /^[A-Za-z0-9-]/.test(result.text))).toBe(true);
    for (const prefix of prefixes) {
      const whole = await backend.complete({ prefix, suffix: '', maxTokens: 3, timeBudgetMs: 5000, wordComplete: true });
      expect(whole.text).not.toMatch(/^[A-Za-z0-9_-]/);
      expect(whole.tokenProbabilities.length).toBeGreaterThan(0);
    }
  });

  it('cuts at a stop string', async () => {
    const free = await backend.complete({ prefix: program, suffix: '', maxTokens: 12, timeBudgetMs: 5000 });
    const stop = free.text.slice(2, 3);
    const cut = await backend.complete({ prefix: program, suffix: '', maxTokens: 12, timeBudgetMs: 5000, stop: [stop] });
    expect(cut.stopReason).toBe('stopString');
    expect(cut.text).toBe(free.text.slice(0, free.text.indexOf(stop)));
  });

  it('reuses the KV cache for a prompt that shares a prefix with the previous one', async () => {
    const base = `${program.replaceAll('WS-', 'XY-')}\n       MOVE WS-C`;
    const cold = await backend.complete({ prefix: base, suffix: '', maxTokens: 2, timeBudgetMs: 5000 });
    expect(cold.timings.reusedTokens).toBeLessThan(cold.timings.promptTokens / 4);
    const warm = await backend.complete({ prefix: `${base}X`, suffix: '', maxTokens: 2, timeBudgetMs: 5000 });
    expect(warm.timings.reusedTokens).toBeGreaterThan(warm.timings.promptTokens - 5);
  });

  it('keeps reusing the cache while typing into a prompt that had to be cut', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `       MOVE ${i} TO WS-X${i}.`).join('\n') + '\n       ';
    await backend.complete({ prefix: long, suffix: '', maxTokens: 4, timeBudgetMs: 5000 });
    for (const typed of ['A', 'AD', 'ADD', 'ADD ']) {
      const result = await backend.complete({ prefix: long + typed, suffix: '', maxTokens: 4, timeBudgetMs: 5000 });
      expect(result.prefixTruncated).toBe(true);
      expect(result.timings.reusedTokens).toBeGreaterThan(result.timings.promptTokens - 8);
    }
  });

  it('evaluates the whole prompt again after clearCache', async () => {
    await backend.complete({ prefix: program, suffix: '', maxTokens: 2, timeBudgetMs: 5000 });
    await backend.clearCache();
    const result = await backend.complete({ prefix: program, suffix: '', maxTokens: 2, timeBudgetMs: 5000 });
    expect(result.timings.reusedTokens).toBe(0);
  });

  it('stops cleanly when cancelled before or during generation', async () => {
    const aborted = new AbortController();
    aborted.abort();
    const before = await backend.complete({ prefix: program, suffix: '', maxTokens: 50, timeBudgetMs: 5000, signal: aborted.signal });
    expect(before).toMatchObject({ stopReason: 'cancelled', text: '' });

    // A signal that turns aborted on the backend's 8th look at it: past the prompt (a few chunk checks and
    // one before generating), so the cancel lands inside the token loop, whatever the machine's speed.
    let looks = 0;
    const during = { get aborted() { return ++looks >= 8; } } as unknown as AbortSignal;
    const result = await backend.complete({ prefix: program + '\n', suffix: '', maxTokens: 120, timeBudgetMs: 10_000, signal: during });
    expect(result.stopReason).toBe('cancelled');
    expect(looks).toBeGreaterThanOrEqual(8);
    expect(result.tokenProbabilities.length).toBeGreaterThan(0);
    expect(result.tokenProbabilities.length).toBeLessThan(120);
    // The backend serves the next request normally.
    const next = await backend.complete({ prefix: program, suffix: '', maxTokens: 3, timeBudgetMs: 5000 });
    expect(next.stopReason).toBe('maxTokens');
  });

  it('ends at the time budget with what it has', async () => {
    const result = await backend.complete({ prefix: program, suffix: '', maxTokens: 120, timeBudgetMs: 0 });
    expect(result.stopReason).toBe('timeBudget');
  });

  it('fits a prompt longer than the context: prefix cut from the left, suffix kept', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `       MOVE ${i} TO X.`).join('\n');
    const result = await backend.complete({ prefix: long, suffix: `\n${long}`, maxTokens: 16, timeBudgetMs: 5000 });
    expect(result.prefixTruncated).toBe(true);
    expect(result.timings.promptTokens).toBeLessThanOrEqual(256 - 16);
    expect(result.stopReason).toBe('maxTokens');
  });

  it('serves concurrent requests one after another', async () => {
    const finished: number[] = [];
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        backend.complete({ prefix: `${program}\n${n}`, suffix: '', maxTokens: 4, timeBudgetMs: 5000 }).then((result) => {
          finished.push(n);
          return result;
        }),
      ),
    );
    for (const result of results) expect(result.stopReason).toBe('maxTokens');
    // Served in the order asked.
    expect(finished).toEqual([1, 2, 3]);
  });

  it('rejects with ModelError("disposed") after dispose', async () => {
    const other = await LocalModelBackend.load(options());
    await other.dispose();
    await expect(other.complete({ prefix: 'A', suffix: '', maxTokens: 1, timeBudgetMs: 100 })).rejects.toMatchObject({ name: 'ModelError', code: 'disposed' });
  });
});
