/**
 * Proves the pipeline's GGUF writer against llama.cpp: a tiny LLaMA is trained
 * for a few steps here (PyTorch, seconds), written as GGUF (F32, F16, Q8_0),
 * loaded by node-llama-cpp, and must tokenise held-out programs into the same
 * ids as the pipeline's tokenizer and decode greedily the same tokens as
 * PyTorch (up to a near-tie, where float rounding order may pick either).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama, type Llama, type LlamaModel, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProgram } from '../../../models/pipeline/corpus/generate';
import { buildSamples } from '../../../models/pipeline/samples';
import { EOT, FIM_MID, FIM_PRE, FIM_SUF, Tokenizer, trainTokenizer } from '../../../models/pipeline/tokenizer';

const PY = '/usr/bin/python3';
const PIPE = new URL('../../../models/pipeline/', import.meta.url).pathname;
const CTX = 256;
const hasTorch = (() => {
  try {
    execFileSync(PY, ['-c', 'import torch, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// Needs PyTorch (scripts/setup.sh installs python3-torch): without it this fails, it does not skip.
describe('GGUF writer against node-llama-cpp', () => {
  it('has PyTorch and numpy for the training scripts', () => {
    expect(hasTorch, `${PY} cannot import torch and numpy: run scripts/setup.sh (python3-torch, python3-numpy)`).toBe(true);
  });

  let dir: string;
  let tok: Tokenizer;
  let llama: Llama;
  let model: LlamaModel;
  const heldOut = Array.from({ length: 4 }, (_, i) => generateProgram(900 + i).text);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gguf-test-'));
    const train = Array.from({ length: 16 }, (_, i) => generateProgram(500 + i).text);
    const data = trainTokenizer(train, 512);
    tok = new Tokenizer(data);
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(data));
    const rows = buildSamples(train, tok, { contextLength: CTX, seed: 1, minTokens: 60_000 });
    const val = buildSamples(heldOut, tok, { contextLength: CTX, seed: 2, minTokens: 0 });
    writeFileSync(join(dir, 'train.bin'), Buffer.from(rows.buffer));
    writeFileSync(join(dir, 'validation.bin'), Buffer.from(val.buffer));
    const config = JSON.stringify({ vocab: 512, dim: 64, layers: 2, heads: 4, ffn: 128, ctx: CTX });
    execFileSync(PY, [join(PIPE, 'train.py'), '--data', dir, '--out', dir, '--config', config, '--steps', '60', '--batch', '8', '--lr', '0.01', '--seed', '3', '--threads', '1', '--no-bf16', '--eval-every', '1000'], { stdio: 'ignore', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    for (const kind of ['f32', 'f16', 'q8_0']) execFileSync(PY, [join(PIPE, 'export_gguf.py'), join(dir, 'ckpt.pt'), join(dir, 'tokenizer.json'), join(dir, `m-${kind}.gguf`), kind, 'test-model', 'spm']);
    llama = await getLlama({ gpu: false });
    model = await llama.loadModel({ modelPath: join(dir, 'm-f32.gguf') });
  }, 180_000);

  afterAll(async () => {
    await model?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the llama architecture, the trillion pre-tokeniser, the FIM token ids and the FIM order', () => {
    const md = model.fileInfo.metadata as unknown as { general: { architecture: string }; tokenizer: { ggml: { pre: string; model: string } }; cobol_assist: { fim_order: string } };
    expect(md.cobol_assist.fim_order).toBe('spm');
    expect(md.general.architecture).toBe('llama');
    expect(md.tokenizer.ggml.model).toBe('gpt2');
    expect(md.tokenizer.ggml.pre).toBe('trillion');
    expect(model.tokens.infill.prefix).toBe(FIM_PRE);
    expect(model.tokens.infill.suffix).toBe(FIM_SUF);
    expect(model.tokens.infill.middle).toBe(FIM_MID);
    expect(model.tokens.bos).toBe(EOT);
    expect(model.tokens.eos).toBe(EOT);
  });

  it('tells the model host the FIM order it was trained in', async () => {
    const { inspectGgufFile } = await import('../../../server/model/ggufFile');
    const { loadNodeLlamaCpp } = await import('../../../server/model/nodeLlamaCpp');
    expect((await inspectGgufFile(join(dir, 'm-q8_0.gguf'), await loadNodeLlamaCpp())).fimOrder).toBe('spm');
  });

  it('tokenises held-out programs into the same ids as the pipeline, and detokenises them exactly', () => {
    for (const text of [...heldOut, "  VALUE ' '.\n  STOP RUN .\n"]) {
      const ours = tok.encode(text);
      const theirs = model.tokenize(text) as number[];
      expect(theirs).toEqual(ours);
      expect(model.detokenize(theirs as Token[])).toBe(text);
    }
  });

  it('decodes greedily the same tokens as PyTorch', async () => {
    const prompts = heldOut.map((text, i) => {
      const cut = Math.floor(text.length * (0.3 + 0.1 * i));
      // Plain prompts and PSM fill-in-the-middle prompts.
      return i % 2 === 0
        ? [EOT, ...tok.encode(text.slice(Math.max(0, cut - 200), cut))]
        : [EOT, FIM_PRE, ...tok.encode(text.slice(Math.max(0, cut - 150), cut)), FIM_SUF, ...tok.encode(text.slice(cut + 20, cut + 80)), FIM_MID];
    });
    const N = 24;
    // Prompt + continuation stay inside the context, so neither side shifts or slides its window.
    for (const p of prompts) expect(p.length + N).toBeLessThan(CTX);
    const ref = JSON.parse(execFileSync(PY, [join(PIPE, 'greedy.py'), join(dir, 'ckpt.pt')], { input: JSON.stringify({ prompts, tokens: N }), env: { ...process.env, OMP_NUM_THREADS: '1' } }).toString()) as { outputs: number[][]; margins: number[][] };
    const context = await model.createContext({ contextSize: CTX, threads: 1 });
    let compared = 0;
    try {
      for (let p = 0; p < prompts.length; p++) {
        const seq = context.getSequence();
        const ours: number[] = [];
        for await (const t of seq.evaluate(prompts[p] as Token[], { temperature: 0, yieldEogToken: true })) {
          ours.push(t);
          if (ours.length >= ref.outputs[p]!.length) break;
        }
        seq.dispose();
        // Compare up to the first near-tie in PyTorch's logits (inclusive of the tied step's candidates).
        const tie = ref.margins[p]!.findIndex((m) => m < 1e-3);
        const upto = tie < 0 ? ref.outputs[p]!.length : tie;
        expect(ours.slice(0, upto)).toEqual(ref.outputs[p]!.slice(0, upto));
        compared += upto;
      }
    } finally {
      await context.dispose();
    }
    expect(compared).toBeGreaterThanOrEqual(N * 2);
  });

  it('writes F16 and Q8_0 files that load and decode', async () => {
    for (const kind of ['f16', 'q8_0']) {
      const path = join(dir, `m-${kind}.gguf`);
      expect(existsSync(path)).toBe(true);
      const m = await llama.loadModel({ modelPath: path });
      const ctx = await m.createContext({ contextSize: CTX, threads: 1 });
      const seq = ctx.getSequence();
      const out: number[] = [];
      for await (const t of seq.evaluate([EOT, ...tok.encode(heldOut[0]!.slice(0, 200))] as Token[], { temperature: 0 })) {
        out.push(t);
        if (out.length >= 8) break;
      }
      expect(out.length).toBeGreaterThan(0);
      expect(out.every((t) => t >= 0 && t < 512)).toBe(true);
      await ctx.dispose();
      await m.dispose();
    }
  });
});
