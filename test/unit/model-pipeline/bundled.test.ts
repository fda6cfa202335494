/**
 * The committed models: each file matches models/manifest.json (sha256, size),
 * stays within its size budget, loads in node-llama-cpp as a llama model with
 * the manifest's FIM tokens and context length, and completes code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { getLlama, type Llama, type Token } from 'node-llama-cpp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../models/pipeline/manifest';

const modelsDir = new URL('../../../models/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(modelsDir + 'manifest.json', 'utf8')) as Manifest;
const LIMITS: Record<string, number> = { small: 10 * 1024 * 1024, large: 40 * 1024 * 1024 };

describe('bundled models', () => {
  let llama: Llama;
  beforeAll(async () => {
    llama = await getLlama({ gpu: false });
  });

  it('lists the small and the large model, the large several times larger', () => {
    expect(Object.keys(manifest.models).sort()).toEqual(['large', 'small']);
    expect(manifest.models.large!.parameters / manifest.models.small!.parameters).toBeGreaterThanOrEqual(2.5);
  });

  for (const key of ['small', 'large']) {
    it(`${key}: file matches the manifest's sha256 and size, within budget`, () => {
      const m = manifest.models[key]!;
      const path = modelsDir + m.file;
      expect(existsSync(path)).toBe(true);
      expect(statSync(path).size).toBe(m.bytes);
      expect(m.bytes).toBeLessThanOrEqual(LIMITS[key]!);
      expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(m.sha256);
    });

    it(`${key}: loads with the manifest's tokens and completes a line`, async () => {
      const m = manifest.models[key]!;
      const model = await llama.loadModel({ modelPath: modelsDir + m.file });
      try {
        expect(model.fileInfo.metadata.general.architecture).toBe('llama');
        expect(model.trainContextSize).toBe(m.contextLength);
        expect(model.tokens.infill.prefix).toBe(m.tokens.fimPrefix);
        expect(model.tokens.infill.suffix).toBe(m.tokens.fimSuffix);
        expect(model.tokens.infill.middle).toBe(m.tokens.fimMiddle);
        const ctx = await model.createContext({ contextSize: 512, threads: 1 });
        const seq = ctx.getSequence();
        const prefix = '       PROCEDURE DIVISION.\n       0000-MAIN.\n           DISPLAY \'DONE\'.\n           STOP';
        const suffix = '\n';
        const prompt = [m.tokens.bos, m.tokens.fimPrefix, ...model.tokenize(prefix), m.tokens.fimSuffix, ...model.tokenize(suffix), m.tokens.fimMiddle] as Token[];
        const out: Token[] = [];
        for await (const t of seq.evaluate(prompt, { temperature: 0 })) {
          out.push(t);
          if (out.length >= 6) break;
        }
        await ctx.dispose();
        expect(model.detokenize(out)).toMatch(/^ RUN/);
      } finally {
        await model.dispose();
      }
    });
  }
});
