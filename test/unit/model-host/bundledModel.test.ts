/**
 * The committed small model through the host: it loads on the CPU with one
 * thread (the rule for its size), its FIM tokens come from its GGUF metadata,
 * and typing one more character reuses the KV cache. The model is committed
 * (models/bundled/): a checkout without it fails here rather than skipping.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findModel } from '../../../server/model/catalog';
import { LocalModelBackend } from '../../../server/model/localBackend';

const entry = findModel('cobol-slm-small')!;
const path = join(__dirname, '../../..', entry.file);
let backend: LocalModelBackend | undefined;
afterAll(() => backend?.dispose());

describe('the bundled cobol-slm-small', () => {
  it('loads with FIM, on one CPU thread', async () => {
    expect(existsSync(path), `${entry.file} is missing: it is committed with the repository`).toBe(true);
    backend = await LocalModelBackend.load({ id: entry.id, path, threads: 0, contextSize: 0, gpu: 'off', temperature: 0, tokenHealing: true });
    expect(backend.info).toMatchObject({ device: 'cpu', threads: 1, fim: true, contextSize: 512, architecture: 'llama' });
    expect(backend.info.bytes).toBe(entry.bytes);
  });

  it('completes inside a COBOL word, and reuses the cache on the next keystroke', async () => {
    const head = [
      '       IDENTIFICATION DIVISION.',
      '       PROGRAM-ID. DEMO.',
      '       DATA DIVISION.',
      '       WORKING-STORAGE SECTION.',
      '       01  WS-COUNT            PIC 9(4) VALUE ZERO.',
      '       01  WS-TOTAL            PIC 9(6) VALUE ZERO.',
      '       PROCEDURE DIVISION.',
      '       MAIN-PARA.',
    ];
    // Words cut where a developer pauses; each completion must continue the word (no blank, no new word).
    const cases = [
      { lines: ['           PERFORM VARYING WS-COUNT FROM 1 BY 1 UNTIL WS-COUNT > 10', '               DISPLAY WS-COUNT', '           END-PER'], rest: 'FORM' },
      { lines: ['           MOVE ZERO TO WS-COU'], rest: 'NT' },
      { lines: ['           ADD WS-COUNT TO WS-TOT'], rest: 'AL' },
    ];
    let completed = 0;
    for (const { lines, rest } of cases) {
      const prefix = [...head, ...lines].join('\n');
      const result = await backend!.complete({ prefix, suffix: '\n           STOP RUN.\n', maxTokens: 8, timeBudgetMs: 10_000, stop: ['\n'] });
      expect(result.tokenProbabilities.length).toBeGreaterThan(0);
      expect(result.text, `after '${lines.at(-1)!.trim()}'`).toMatch(/^[A-Z0-9-]/);
      if (result.text.startsWith(rest)) completed++;
    }
    // A small model does not spell every word (FERAPH… and TE were seen after END-PER), but most of them.
    expect(completed).toBeGreaterThanOrEqual(2);
    const prefix = [...head, ...cases[0].lines].join('\n');
    const next = await backend!.complete({ prefix: `${prefix}F`, suffix: '\n           STOP RUN.\n', maxTokens: 8, timeBudgetMs: 10_000, stop: ['\n'] });
    expect(next.timings.reusedTokens).toBeGreaterThan(next.timings.promptTokens / 2);
  });
});
