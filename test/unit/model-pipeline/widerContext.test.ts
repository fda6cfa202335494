/**
 * A continuation phase at a wider context (issue 12 item 4): the committed
 * phases keep their row files (so their data hashes do not move), a wider
 * phase gets rows and validation rows of its own, train.py continues a
 * checkpoint trained at 64 tokens on rows of 128, and the GGUF written from it
 * tells llama.cpp 128. Needs Debian's PyTorch (/usr/bin/python3): without it
 * this test fails, as training does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelConfigJson } from '../../../models/pipeline/cli';
import { CONTEXT_LENGTH, MODELS, modelContext, phaseContext, rowFiles, type ModelSpec } from '../../../models/pipeline/config';
import { generateProgram } from '../../../models/pipeline/corpus/generate';
import { buildSamples } from '../../../models/pipeline/samples';
import { Tokenizer, trainTokenizer } from '../../../models/pipeline/tokenizer';
import { getRuntime } from '../../../server/model/llamaRuntime';

const PY = '/usr/bin/python3';
const PIPE = new URL('../../../models/pipeline/', import.meta.url).pathname;
const env = { ...process.env, OMP_NUM_THREADS: '1' };

describe('phase context lengths in the config', () => {
  it('keeps the committed row files for phases at the default length, and names wider ones apart', () => {
    expect(rowFiles(undefined, CONTEXT_LENGTH)).toEqual({ train: 'train.bin', validation: 'validation.bin' });
    expect(rowFiles('streamed', CONTEXT_LENGTH)).toEqual({ train: 'train-streamed.bin', validation: 'validation.bin' });
    expect(rowFiles('mixed', CONTEXT_LENGTH)).toEqual({ train: 'train-mixed.bin', validation: 'validation.bin' });
    expect(rowFiles('mixed', 1024)).toEqual({ train: 'train-mixed-1024.bin', validation: 'validation-1024.bin' });
  });

  it('gives a model its last phase\'s length, and train.py the phase\'s', () => {
    const spec: ModelSpec = { ...MODELS.tiny, phases: [{ steps: 2, batch: 2, lr: 1e-3, seed: 1 }, { steps: 2, batch: 1, lr: 1e-3, seed: 2, contextLength: 1024 }] };
    expect(spec.phases.map(phaseContext)).toEqual([CONTEXT_LENGTH, 1024]);
    expect(modelContext(spec)).toBe(1024);
    expect(JSON.parse(modelConfigJson(spec, 2048)).ctx).toBe(1024);
    expect(JSON.parse(modelConfigJson(spec, 2048, phaseContext(spec.phases[0]!))).ctx).toBe(CONTEXT_LENGTH);
    // Every committed model's phases before a widening are at the default length: their rows are the committed ones.
    for (const model of Object.values(MODELS)) {
      const widened = model.phases.findIndex((phase) => phaseContext(phase) !== CONTEXT_LENGTH);
      for (const phase of widened < 0 ? model.phases : model.phases.slice(0, widened)) expect(phase.contextLength).toBeUndefined();
    }
  });
});

describe('train.py continuing at a wider context', () => {
  let dir: string;
  const config = (ctx: number) => JSON.stringify({ vocab: 384, dim: 64, layers: 2, heads: 2, ffn: 128, ctx });
  const train = (out: string, ctx: number, suffix: string, extra: string[] = []) =>
    execFileSync(PY, [join(PIPE, 'train.py'), '--data', dir, '--train-file', `train${suffix}.bin`, '--val-file', `validation${suffix}.bin`, '--out', out, '--config', config(ctx), '--steps', '8', '--batch', '4', '--lr', '0.01', '--seed', '3', '--threads', '1', '--no-bf16', '--eval-every', '1000', ...extra], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wider-context-'));
    const docs = Array.from({ length: 8 }, (_, i) => generateProgram(800 + i).text);
    const data = trainTokenizer(docs, 384);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(data));
    const tok = new Tokenizer(data);
    for (const [ctx, suffix] of [[64, ''], [128, '-128']] as const) {
      writeFileSync(join(dir, `train${suffix}.bin`), Buffer.from(buildSamples(docs, tok, { contextLength: ctx, seed: 1, minTokens: 10_000 }).buffer));
      writeFileSync(join(dir, `validation${suffix}.bin`), Buffer.from(buildSamples(docs.slice(0, 2), tok, { contextLength: ctx, seed: 2, minTokens: 0 }).buffer));
    }
    train(join(dir, 'base'), 64, '');
    execFileSync(PY, [join(PIPE, 'export_gguf.py'), join(dir, 'base', 'ckpt.pt'), join(dir, 'tokenizer.json'), join(dir, 'base.gguf'), 'q8_0', 'base', 'spm']);
    execFileSync(PY, [join(PIPE, 'import_gguf.py'), join(dir, 'base.gguf'), join(dir, 'imported.pt')], { env });
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('continues a 64-token checkpoint on rows of 128, and the GGUF tells llama.cpp 128', async () => {
    const out = train(join(dir, 'wide'), 128, '-128', ['--init-from', join(dir, 'imported.pt')]);
    expect(out).toMatch(/context 64 -> 128/);
    const summary = JSON.parse(readFileSync(join(dir, 'wide', 'train-summary.json'), 'utf8')) as Record<string, number>;
    expect(summary).toMatchObject({ contextLength: 128, tokens: 8 * 4 * 128 });
    expect(Number.isFinite(summary.valLoss)).toBe(true);
    execFileSync(PY, [join(PIPE, 'export_gguf.py'), join(dir, 'wide', 'ckpt.pt'), join(dir, 'tokenizer.json'), join(dir, 'wide.gguf'), 'q8_0', 'wide', 'spm']);
    // The product's runtime: prebuilt binaries only, never a source build.
    const llama = await getRuntime('off');
    const model = await llama.loadModel({ modelPath: join(dir, 'wide.gguf') });
    try {
      expect(model.trainContextSize).toBe(128);
    } finally {
      await model.dispose();
    }
  }, 120_000);

  it('refuses rows packed at another length, and a checkpoint of another shape than the context', () => {
    expect(() => train(join(dir, 'mispacked'), 128, '')).toThrow(/train\.bin: \d+ tokens are not whole rows of 129/);
    const otherShape = JSON.stringify({ vocab: 384, dim: 32, layers: 2, heads: 2, ffn: 128, ctx: 64 });
    execFileSync(PY, ['-c', `import sys; sys.path.insert(0, "${PIPE}"); import torch; from model import Config, Llama; c = Config(**${otherShape}); torch.save({"model": Llama(c).state_dict(), "config": c.as_dict(), "step": 0}, "${join(dir, 'other.pt')}")`], { env });
    expect(() => train(join(dir, 'refused'), 128, '-128', ['--init-from', join(dir, 'other.pt')])).toThrow(/its model shape differs from --config/);
  });
});
