/**
 * Continuing a committed model and distilling into it (issue 12):
 * import_gguf.py reads a GGUF written by export_gguf.py back into a training
 * checkpoint (Q8_0 dequantised: within Q8_0's rounding of the original
 * weights), and train.py trains from it with a teacher's soft targets. Needs
 * Debian's PyTorch (/usr/bin/python3): without it this test fails, as training does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProgram } from '../../../models/pipeline/corpus/generate';
import { buildSamples } from '../../../models/pipeline/samples';
import { Tokenizer, trainTokenizer } from '../../../models/pipeline/tokenizer';

const PY = '/usr/bin/python3';
const PIPE = new URL('../../../models/pipeline/', import.meta.url).pathname;
const CTX = 128;
const env = { ...process.env, OMP_NUM_THREADS: '1' };

describe('import_gguf.py and distillation in train.py', () => {
  let dir: string;
  const config = JSON.stringify({ vocab: 384, dim: 64, layers: 2, heads: 2, ffn: 128, ctx: CTX });
  const train = (out: string, extra: string[]) =>
    execFileSync(PY, [join(PIPE, 'train.py'), '--data', dir, '--out', out, '--config', config, '--steps', '12', '--batch', '4', '--lr', '0.01', '--seed', '3', '--threads', '1', '--no-bf16', '--eval-every', '1000', ...extra], { env, encoding: 'utf8' });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'import-distill-'));
    const docs = Array.from({ length: 8 }, (_, i) => generateProgram(700 + i).text);
    const data = trainTokenizer(docs, 384);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(data));
    const tok = new Tokenizer(data);
    writeFileSync(join(dir, 'train.bin'), Buffer.from(buildSamples(docs, tok, { contextLength: CTX, seed: 1, minTokens: 20_000 }).buffer));
    writeFileSync(join(dir, 'validation.bin'), Buffer.from(buildSamples(docs.slice(0, 2), tok, { contextLength: CTX, seed: 2, minTokens: 0 }).buffer));
    train(join(dir, 'base'), []);
    execFileSync(PY, [join(PIPE, 'export_gguf.py'), join(dir, 'base', 'ckpt.pt'), join(dir, 'tokenizer.json'), join(dir, 'base.gguf'), 'q8_0', 'base', 'spm']);
    execFileSync(PY, [join(PIPE, 'import_gguf.py'), join(dir, 'base.gguf'), join(dir, 'imported.pt')], { env });
  }, 240_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads a Q8_0 GGUF back into the same shape and weights, within Q8_0 rounding', () => {
    const check = `
import torch, json
a = torch.load("${join(dir, 'base', 'ckpt.pt')}")
b = torch.load("${join(dir, 'imported.pt')}")
worst = max(float(((a["model"][k].float() - b["model"][k]).abs().max() / (a["model"][k].float().abs().max() + 1e-12))) for k in a["model"])
print(json.dumps({"same_keys": sorted(a["model"]) == sorted(b["model"]), "config": a["config"] == b["config"], "worst": worst}))`;
    const result = JSON.parse(execFileSync(PY, ['-c', check], { env, encoding: 'utf8' }).trim().split('\n').pop()!) as { same_keys: boolean; config: boolean; worst: number };
    expect(result.same_keys).toBe(true);
    expect(result.config).toBe(true);
    // Q8_0: each block of 32 is scaled by its own max / 127, so no weight moves more than 1/254 of its tensor's largest.
    expect(result.worst).toBeLessThan(1 / 250);
    expect(result.worst).toBeGreaterThan(0);
  });

  it('trains a student from the imported weights with the teacher\'s soft targets, and refuses a teacher of another vocabulary', () => {
    const out = train(join(dir, 'student'), ['--init-from', join(dir, 'imported.pt'), '--teacher', join(dir, 'imported.pt'), '--distill-weight', '0.7', '--distill-temperature', '2']);
    expect(out).toMatch(/distilling from .*imported\.pt .*weight 0\.7, temperature 2/);
    const summary = JSON.parse(readFileSync(join(dir, 'student', 'train-summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ steps: 12, distillWeight: 0.7, distillTemperature: 2 });
    expect(summary.teacher).toContain('imported.pt');
    expect(Number.isFinite(summary.valLoss)).toBe(true);
    const otherVocab = JSON.stringify({ vocab: 512, dim: 64, layers: 2, heads: 2, ffn: 128, ctx: CTX });
    execFileSync(PY, ['-c', `import sys; sys.path.insert(0, "${PIPE}"); import torch; from model import Config, Llama; c = Config(**${otherVocab}); torch.save({"model": Llama(c).state_dict(), "config": c.as_dict()}, "${join(dir, 'other.pt')}")`], { env });
    expect(() => train(join(dir, 'refused'), ['--teacher', join(dir, 'other.pt')])).toThrow(/vocabulary 512 differs from the student's 384/);
  });
});
