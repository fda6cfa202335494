/**
 * Bad model files: each gets a typed ModelError with a message a user can act
 * on, and llama.cpp keeps working for the next, good file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalModelBackend } from '../../../server/model/localBackend';
import { writeTinyGguf } from './tinyGguf';

const dir = mkdtempSync(join(tmpdir(), 'model-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const load = (path: string) => LocalModelBackend.load({ id: 'bad', path, threads: 1, contextSize: 0, gpu: 'off', temperature: 0, tokenHealing: true });
const file = (name: string) => join(dir, name);

describe('bad model files', () => {
  it('a missing file: fileMissing, naming the path and what to do', async () => {
    await expect(load(file('nope.gguf'))).rejects.toMatchObject({ name: 'ModelError', code: 'fileMissing', message: expect.stringContaining('Select Model') });
  });

  it('a folder: notGguf', async () => {
    mkdirSync(file('folder.gguf'));
    await expect(load(file('folder.gguf'))).rejects.toMatchObject({ code: 'notGguf' });
  });

  it('a file that is not GGUF: notGguf', async () => {
    writeFileSync(file('readme.gguf'), 'This is not a model, it is a README.\n');
    await expect(load(file('readme.gguf'))).rejects.toMatchObject({ code: 'notGguf', message: expect.stringContaining('not a GGUF model') });
    writeFileSync(file('empty.gguf'), '');
    await expect(load(file('empty.gguf'))).rejects.toMatchObject({ code: 'notGguf' });
  });

  it('a truncated file (in the tensors or in the header): truncated', async () => {
    writeTinyGguf(file('whole.gguf'));
    const bytes = readFileSync(file('whole.gguf'));
    writeFileSync(file('cut-data.gguf'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(load(file('cut-data.gguf'))).rejects.toMatchObject({ code: 'truncated', message: expect.stringContaining('incomplete') });
    writeFileSync(file('cut-header.gguf'), bytes.subarray(0, 200));
    await expect(load(file('cut-header.gguf'))).rejects.toMatchObject({ code: 'truncated' });
  });

  it('an architecture llama.cpp does not know: unsupportedModel, before llama.cpp sees it', async () => {
    writeTinyGguf(file('foreign.gguf'), { architecture: 'cobolnet' });
    await expect(load(file('foreign.gguf'))).rejects.toMatchObject({ code: 'unsupportedModel', message: expect.stringContaining('"cobolnet"') });
  });

  it('a file llama.cpp itself rejects (a tensor missing): unsupportedModel quoting llama.cpp', async () => {
    writeTinyGguf(file('missing-tensor.gguf'), { omitTensors: ['blk.1.ffn_down.weight'] });
    const error = await load(file('missing-tensor.gguf')).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ModelError', code: 'unsupportedModel' });
    expect((error as Error).message).toMatch(/missing tensor 'blk\.1\.ffn_down\.weight'/);
  });

  it('after all that, a good file still loads and completes', async () => {
    writeTinyGguf(file('good.gguf'));
    const backend = await load(file('good.gguf'));
    try {
      const result = await backend.complete({ prefix: '       MOVE A TO B.\n', suffix: '', maxTokens: 3, timeBudgetMs: 5000 });
      expect(result.tokenProbabilities.length).toBeGreaterThan(0);
    } finally {
      await backend.dispose();
    }
  });
});
