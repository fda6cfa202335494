/**
 * The real `serve:model` server (modelServer.ts over the bundled small model
 * in node-llama-cpp) on 127.0.0.1, spoken to by the remote backend through
 * the openai client and by plain fetch: FIM with a suffix, /v1/models, the
 * API key, bad bodies and unknown routes. Fails (does not skip) without the
 * committed model file.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findModel } from '../../../server/model/catalog';
import { LocalModelBackend } from '../../../server/model/localBackend';
import { RemoteModelBackend, RemoteModelError } from '../../../server/remote/remoteBackend';
import { RunningModelServer, parseCompletionBody, startModelServer } from '../../../server/remote/modelServer';
import { defaultRemoteSettings } from '../../../server/remote/remoteSettings';

const entry = findModel('cobol-slm-small')!;
const key = 'sk-served-7c1e';
let local: LocalModelBackend;
let server: RunningModelServer;
const lines: string[] = [];

beforeAll(async () => {
  local = await LocalModelBackend.load({ id: entry.id, path: join(__dirname, '../../..', entry.file), threads: 1, contextSize: 0, gpu: 'off', temperature: 0, tokenHealing: true });
  server = await startModelServer({ backend: local, modelName: 'cobol-slm-small', port: 0, apiKey: key, log: (line) => lines.push(line) });
});
afterAll(async () => {
  await server?.close();
  await local?.dispose();
});

const prefix = [
  '       IDENTIFICATION DIVISION.',
  '       PROGRAM-ID. DEMO.',
  '       DATA DIVISION.',
  '       WORKING-STORAGE SECTION.',
  '       01  WS-COUNT            PIC 9(4) VALUE ZERO.',
  '       PROCEDURE DIVISION.',
  '       MAIN-PARA.',
  '           DISPLAY WS-COUNT',
  '           STOP R',
].join('\n');

describe('serve:model (modelServer.ts)', () => {
  it('listens on 127.0.0.1 and lists its model', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await fetch(`${server.url}/models`, { headers: { Authorization: `Bearer ${key}` } });
    expect(await response.json()).toMatchObject({ object: 'list', data: [{ id: 'cobol-slm-small', object: 'model' }] });
  });

  it('answers FIM through the remote backend, the same text the local backend gives', async () => {
    const remote = new RemoteModelBackend({ ...defaultRemoteSettings, endpoint: server.url, model: 'cobol-slm-small', apiKey: key, api: 'completions', timeoutMs: 10_000 });
    const request = { prefix, suffix: '\n       END PROGRAM DEMO.\n', maxTokens: 12, timeBudgetMs: 10_000, stop: ['\n'] };
    const viaHttp = await remote.complete(request);
    const direct = await local.complete(request);
    expect(viaHttp.text).toBe(direct.text);
    expect(viaHttp.text.length).toBeGreaterThan(0);
    expect(viaHttp.usage.promptTokens).toBeGreaterThan(20);
    expect(remote.health.state.state).toBe('ok');
  });

  it('returns token log-probabilities when asked', async () => {
    const response = await fetch(`${server.url}/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'cobol-slm-small', prompt: prefix, suffix: '\n', max_tokens: 4, logprobs: 1 }),
    });
    const body = await response.json() as { choices: Array<{ logprobs: { token_logprobs: number[] } }> };
    expect(body.choices[0]!.logprobs.token_logprobs.every((p) => p <= 0)).toBe(true);
  });

  it('a wrong key is 401 (auth for the backend), and the key is not in the log', async () => {
    const remote = new RemoteModelBackend({ ...defaultRemoteSettings, endpoint: server.url, apiKey: 'sk-wrong-key', api: 'completions' });
    const error = await remote.complete({ prefix, suffix: '', maxTokens: 4, timeBudgetMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteModelError);
    expect((error as RemoteModelError).failure).toBe('auth');
    expect(lines.join('\n')).not.toContain(key);
    expect(lines.join('\n')).not.toContain('sk-wrong-key');
  });

  it('bad bodies get 400 with an OpenAI-style error, unknown routes 404', async () => {
    const post = (body: string, path = '/completions') => fetch(`${server.url}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${key}` }, body });
    const broken = await post('{"prompt": ');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect((await post('{"prompt": 42}')).status).toBe(400);
    expect((await post('{}', '/chat/completions')).status).toBe(404);
  });

  it('parses the completions body', () => {
    expect(parseCompletionBody({ prompt: ['a'], suffix: 'b', max_tokens: 5, stop: '\n' })).toEqual({ prompt: 'a', suffix: 'b', maxTokens: 5, stop: ['\n'], logprobs: false });
    expect(parseCompletionBody({ prompt: 'a', max_tokens: 0 })).toMatch(/max_tokens/);
    expect(parseCompletionBody({ prompt: 'a', stop: ['1', '2', '3', '4', '5'] })).toMatch(/stop/);
    expect(parseCompletionBody([])).toMatch(/object/);
  });
});
