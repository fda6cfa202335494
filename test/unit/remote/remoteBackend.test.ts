/**
 * The remote backend against a real HTTP server on 127.0.0.1 that misbehaves
 * on script (scriptedOpenAiServer.ts, a mock at the boundary): every bad
 * answer the issue names falls back within the budget, is reported once, and
 * recovers; the API key never appears in an error or a health message.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CompletionRequest } from '../../../server/model/backend';
import { RemoteBackendOptions, RemoteModelBackend, RemoteModelError, retryAfterMs } from '../../../server/remote/remoteBackend';
import type { RemoteHealthChange } from '../../../server/remote/remoteHealth';
import { defaultRemoteSettings } from '../../../server/remote/remoteSettings';
import { Behaviour, ScriptedServer, startScriptedOpenAiServer } from './scriptedOpenAiServer';

const secret = 'sk-test-3f9a1c77-do-not-log';
let server: ScriptedServer;
beforeAll(async () => {
  server = await startScriptedOpenAiServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.seen.length = 0;
});

const request: CompletionRequest = { prefix: '       PROCEDURE DIVISION.\n           MOVE A TO B\n           STOP R', suffix: '\n       END PROGRAM X.\n', maxTokens: 16, timeBudgetMs: 800, stop: ['\n'] };

/** The backends' clock (back-off, Retry-After): tests move it instead of waiting. */
let clock = 1_000_000;

function backend(overrides: Partial<RemoteBackendOptions> = {}) {
  const remote = new RemoteModelBackend({ ...defaultRemoteSettings, endpoint: server.url, apiKey: secret, timeoutMs: 1500, now: () => clock, ...overrides });
  const changes: RemoteHealthChange[] = [];
  remote.health.onChange((change) => changes.push(change));
  return { remote, changes };
}

async function failure(promise: Promise<unknown>): Promise<RemoteModelError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RemoteModelError);
  expect((error as Error).message).not.toContain(secret);
  return error as RemoteModelError;
}

/** Each bad answer, what the backend must make of it. */
const badAnswers: Array<{ name: string; behaviour: Behaviour; failure: string }> = [
  { name: '500', behaviour: { kind: 'status', status: 500 }, failure: 'serverError' },
  { name: 'malformed JSON', behaviour: { kind: 'raw', body: '{"choices": [ {"text": "MOVE' }, failure: 'badResponse' },
  { name: 'JSON without choices', behaviour: { kind: 'raw', body: '{"object": "text_completion"}' }, failure: 'badResponse' },
  { name: 'a wrong API key (401, the key echoed by the server)', behaviour: { kind: 'status', status: 401, body: { error: { message: `Incorrect API key provided: ${secret}`, type: 'invalid_request_error' } } }, failure: 'auth' },
  { name: 'another 4xx', behaviour: { kind: 'status', status: 422, body: { error: { message: 'bad temperature' } } }, failure: 'rejected' },
];

describe('RemoteModelBackend', () => {
  it('sends FIM to /v1/completions with the suffix, the stop strings and the key as a bearer token', async () => {
    server.script({ kind: 'completion', text: 'UN.\n           GOBACK.' });
    const { remote } = backend({ api: 'completions' });
    const result = await remote.complete(request);
    expect(result).toMatchObject({ text: 'UN.', stopReason: 'stopString', usage: { api: 'completions', promptTokens: 10, completionTokens: 3 } });
    expect(server.seen[0]).toMatchObject({ path: '/v1/completions', authorization: `Bearer ${secret}`, body: { model: 'cobol-slm-large', suffix: request.suffix, stop: ['\n'], max_tokens: 16 } });
    expect(server.seen[0]!.body.prompt).toBe(request.prefix);
  });

  it('prices the tokens it used', async () => {
    server.script({ kind: 'completion', text: 'UN.' });
    const { remote } = backend({ pricePer1kTokens: 0.5 });
    const result = await remote.complete(request);
    expect(result.usage.cost).toBeCloseTo((13 / 1000) * 0.5, 10);
  });

  for (const bad of badAnswers) {
    it(`${bad.name}: fails as ${bad.failure} at once, reported once, and recovers`, async () => {
      server.script(bad.behaviour);
      const { remote, changes } = backend();
      const started = performance.now();
      expect((await failure(remote.complete(request))).failure).toBe(bad.failure);
      clock += 1001; // past the first back-off: the remote is asked again
      expect((await failure(remote.complete(request))).failure).toBe(bad.failure);
      expect(performance.now() - started).toBeLessThan(request.timeBudgetMs * 2);
      expect(server.seen).toHaveLength(2);
      expect(changes).toHaveLength(1);
      expect(changes[0]!.message).toContain(bad.failure);
      expect(changes[0]!.message).not.toContain(secret);
      server.script({ kind: 'completion', text: 'UN.' });
      clock += 2001; // the second back-off is 2 s
      expect((await remote.complete(request)).text).toBe('UN.');
      expect(changes).toHaveLength(2);
      expect(changes[1]!.message).toMatch(/answers again/);
      expect(remote.health.state.state).toBe('ok');
    });
  }

  it('an empty completion is no suggestion, reported once as empty', async () => {
    server.script({ kind: 'completion', text: '' });
    const { remote, changes } = backend();
    expect((await remote.complete(request)).text).toBe('');
    expect((await remote.complete(request)).text).toBe('');
    expect(changes.map((c) => c.state.state === 'failing' && c.state.failure)).toEqual(['empty']);
  });

  it('a 2 s answer ends at the budget with no text (timeBudget), not an error', async () => {
    server.script({ kind: 'completion', text: 'UN.', delayMs: 2000 });
    const { remote, changes } = backend();
    const started = performance.now();
    const result = await remote.complete({ ...request, timeBudgetMs: 300.5 }); // a fractional budget, as a router's leftover is
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ text: '', stopReason: 'timeBudget' });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(700);
    expect(changes[0]!.state).toMatchObject({ state: 'failing', failure: 'timeout' });
  });

  it('the timeoutMs setting bounds a request even when the budget is longer', async () => {
    server.script({ kind: 'hang' });
    const { remote } = backend({ timeoutMs: 200 });
    const started = performance.now();
    expect((await remote.complete({ ...request, timeBudgetMs: 10_000 })).stopReason).toBe('timeBudget');
    expect(performance.now() - started).toBeLessThan(600);
  });

  it('a remote that is down (connection refused) fails at once as unreachable', async () => {
    const port = await closedPort();
    const remote = new RemoteModelBackend({ ...defaultRemoteSettings, endpoint: `http://127.0.0.1:${port}/v1`, apiKey: secret });
    const changes: RemoteHealthChange[] = [];
    remote.health.onChange((change) => changes.push(change));
    const started = performance.now();
    const error = await failure(remote.complete(request));
    expect(error.failure).toBe('unreachable');
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(performance.now() - started).toBeLessThan(request.timeBudgetMs);
    await failure(remote.complete(request));
    expect(changes).toHaveLength(1);
  });

  it('after a fault the remote is not asked for a back-off of 1 s, doubling to 30 s; a success resets it', async () => {
    server.script({ kind: 'status', status: 502 });
    const { remote } = backend();
    await failure(remote.complete(request));
    const during = await failure(remote.complete(request));
    expect(during.failure).toBe('serverError');
    expect(during.message).toMatch(/next try in 1 s/);
    expect(server.seen).toHaveLength(1);
    for (const wait of [1000, 2000, 4000, 8000, 16000, 30000, 30000]) {
      clock += wait + 1;
      await failure(remote.complete(request));
      expect(remote.retryAfterMs).toBe(0); // a back-off, not a Retry-After
      const next = await failure(remote.complete(request));
      expect(next.message).toMatch(new RegExp(`next try in ${Math.min(wait * 2, 30000) / 1000} s`));
    }
    server.script({ kind: 'completion', text: 'UN.' });
    clock += 30_001;
    expect((await remote.complete(request)).text).toBe('UN.');
    server.script({ kind: 'status', status: 502 });
    await failure(remote.complete(request));
    expect((await failure(remote.complete(request))).message).toMatch(/next try in 1 s/);
  });

  it('429 with Retry-After: no request is sent until it has passed, then it recovers', async () => {
    server.script({ kind: 'status', status: 429, headers: { 'Retry-After': '2' } }, { kind: 'completion', text: 'UN.' });
    const { remote, changes } = backend();
    const first = await failure(remote.complete(request));
    expect(first.failure).toBe('rateLimited');
    expect(remote.retryAfterMs).toBe(2000);
    clock += 1000;
    expect((await failure(remote.complete(request))).failure).toBe('rateLimited');
    expect(server.seen).toHaveLength(1); // the second call never reached the server
    clock += 1001;
    expect((await remote.complete(request)).text).toBe('UN.');
    expect(server.seen).toHaveLength(2);
    expect(changes.map((c) => c.state.state)).toEqual(['failing', 'ok']);
  });

  it('reads Retry-After as seconds, milliseconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '3' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }), now)).toBe(10_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
  });

  it('auto: an endpoint without FIM (404 on /completions) is asked through chat from then on', async () => {
    server.script({ kind: 'status', status: 404 }, { kind: 'chat', content: '```cobol\n           STOP RUN.\n```' }, { kind: 'chat', content: 'UN.' });
    const { remote } = backend({ api: 'auto' });
    const result = await remote.complete(request);
    expect(result.text).toBe('UN.');
    expect(remote.currentApi).toBe('chat');
    await remote.complete(request);
    expect(server.seen.map((s) => s.path)).toEqual(['/v1/completions', '/v1/chat/completions', '/v1/chat/completions']);
    const messages = server.seen[1]!.body.messages as Array<{ role: string; content: string }>;
    expect(messages[1]!.content).toContain('STOP R<CURSOR>\n       END PROGRAM X.');
  });

  it('completions (not auto): a 404 is an error, not a switch to chat', async () => {
    server.script({ kind: 'status', status: 404 });
    const { remote } = backend({ api: 'completions' });
    expect((await failure(remote.complete(request))).failure).toBe('rejected');
    expect(remote.currentApi).toBe('completions');
  });

  it('beyond the concurrency limit a request fails at once as busy (the local answer is used)', async () => {
    server.script({ kind: 'completion', text: 'UN.', delayMs: 300 });
    const { remote, changes } = backend({ concurrency: 1 });
    const first = remote.complete(request);
    expect((await failure(remote.complete(request))).failure).toBe('busy');
    expect((await first).text).toBe('UN.');
    expect(changes.map((c) => c.state.state)).toEqual([]); // busy is not the remote's fault; first success from unknown is silent
  });

  it('a cancelled request ends as cancelled, without an error', async () => {
    server.script({ kind: 'completion', text: 'UN.', delayMs: 1000 });
    const { remote, changes } = backend();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await remote.complete({ ...request, signal: controller.signal });
    expect(result.stopReason).toBe('cancelled');
    expect(changes).toHaveLength(0);
  });
});

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
