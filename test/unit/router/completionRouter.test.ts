/**
 * CompletionRouter end to end: the bundled small model answers locally (real
 * node-llama-cpp), the remote is a real HTTP server on 127.0.0.1 that
 * misbehaves on script (scriptedOpenAiServer.ts, a mock at the boundary).
 * Modes, fallback within the budget, one health report per outage and
 * recovery, logged decisions, statistics and the cost budget.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findModel } from '../../../server/model/catalog';
import { LocalModelBackend } from '../../../server/model/localBackend';
import { RemoteModelBackend } from '../../../server/remote/remoteBackend';
import { defaultRemoteSettings, defaultRouterSettings, type RouterSettings } from '../../../server/remote/remoteSettings';
import { featureNames } from '../../../server/router/features';
import { CompletionRouter } from '../../../server/router/router';
import type { RouterFile } from '../../../server/router/routerFile';
import { ScriptedServer, startScriptedOpenAiServer } from '../remote/scriptedOpenAiServer';

const secret = 'sk-router-test-5b2d';
const entry = findModel('cobol-slm-small')!;
let local: LocalModelBackend;
let server: ScriptedServer;
beforeAll(async () => {
  local = await LocalModelBackend.load({ id: entry.id, path: join(__dirname, '../../..', entry.file), threads: 1, contextSize: 0, gpu: 'off', temperature: 0, tokenHealing: true });
  server = await startScriptedOpenAiServer();
});
afterAll(async () => {
  await server?.close();
  await local?.dispose();
});
beforeEach(() => {
  server.seen.length = 0;
});

const width = featureNames.length;
/** A router file whose score is the local attempt's mean probability (weight on that feature only). */
const file: RouterFile = {
  schema: 1, kind: 'logistic-regression', label: 'test', features: [...featureNames],
  model: { mean: new Array(width).fill(0), std: new Array(width).fill(1), weights: featureNames.map((n) => (n === 'meanProbability' ? 4 : 0)), bias: -2 },
  threshold: 0.5, defaultRemoteShare: 0.5, scoreQuantiles: Array.from({ length: 101 }, (_, i) => i / 100),
  trainedOn: { local: 'small', remote: 'large', cases: 0, calibrationCases: 0, dataSha256: '0'.repeat(64), source: 'test', date: '2026-01-01' },
  calibration: { cases: 0, smallOnlyQuality: 0, largeOnlyQuality: 0, oracleQuality: 0, bestQuality: 0, bestQualityRemoteShare: 0, remoteShareAtLargeQuality: null, apgr: 0, cpt50: null, cpt80: null, randomApgr: 0 },
};

const request = {
  prefix: ['       IDENTIFICATION DIVISION.', '       PROGRAM-ID. DEMO.', '       DATA DIVISION.', '       WORKING-STORAGE SECTION.', '       01  WS-COUNT PIC 9(4).', '       PROCEDURE DIVISION.', '           DISPLAY WS-COUNT', '           STOP R'].join('\n'),
  suffix: '\n       END PROGRAM DEMO.\n',
  maxTokens: 12,
  timeBudgetMs: 2000,
  stop: ['\n'],
};

/** The remote backends' clock (their back-off): tests move it instead of waiting. */
let clock = 1_000_000;

function makeRouter(settings: Partial<RouterSettings>, remoteOverrides: Partial<ConstructorParameters<typeof RemoteModelBackend>[0]> = {}) {
  const remote = new RemoteModelBackend({ ...defaultRemoteSettings, endpoint: server.url, apiKey: secret, timeoutMs: 1500, pricePer1kTokens: 2, now: () => clock, ...remoteOverrides });
  const lines: string[] = [];
  remote.health.onChange((change) => lines.push(`[health] ${change.message}`));
  const router = new CompletionRouter({ local, remote, file, settings: { ...defaultRouterSettings, ...settings }, log: (line) => lines.push(line) });
  return { router, remote, lines };
}

describe('CompletionRouter', () => {
  it('mode local never calls the remote', async () => {
    const { router, lines } = makeRouter({ mode: 'local' });
    const routed = await router.route(request, { documentId: 'a' });
    expect(routed.source).toBe('local');
    expect(routed.result.text.length).toBeGreaterThan(0);
    expect(server.seen).toHaveLength(0);
    expect(lines[0]).toMatch(/\[router\] local: mode local/);
  });

  it('auto below the threshold routes, shows the remote answer, logs score, threshold and reason, counts cost and latency', async () => {
    server.script({ kind: 'completion', text: 'UN.' });
    const { router, lines } = makeRouter({ mode: 'auto', targetRemoteShare: 1 });
    const routed = await router.route(request, { documentId: 'a' });
    expect(routed).toMatchObject({ source: 'remote', decision: { route: 'remote' }, result: { text: 'UN.' } });
    expect(routed.decision.score).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/\[router\] remote: score 0\.\d{3} threshold 1\.000; score < threshold \(.*\); remote answered in \d+ ms/);
    const stats = router.stats.snapshot();
    expect(stats).toMatchObject({ requests: 1, routedRemote: 1, remoteShare: 1, remoteAnswered: 1, fallbacks: 0 });
    expect(stats.remoteCost).toBeCloseTo((13 / 1000) * 2, 10);
    expect(stats.meanAddedLatencyMs).toBeGreaterThan(0);
  });

  it('auto above the threshold keeps the local answer', async () => {
    const { router } = makeRouter({ mode: 'auto', targetRemoteShare: 0 });
    const routed = await router.route(request, { documentId: 'a' });
    expect(routed.source).toBe('local');
    expect(routed.decision.reason).toMatch(/score ≥ threshold/);
    expect(server.seen).toHaveLength(0);
  });

  it('a failing remote (500, then a wrong key) falls back to the local answer, says so once per outage, and recovers', async () => {
    server.script({ kind: 'status', status: 500 }, { kind: 'status', status: 500 }, { kind: 'completion', text: 'UN.' });
    const { router, lines } = makeRouter({ mode: 'auto', targetRemoteShare: 1 });
    const first = await router.route(request, { documentId: 'a' });
    const second = await router.route(request, { documentId: 'a' }); // within the back-off: local at once
    expect(server.seen).toHaveLength(1);
    clock += 1001;
    for (const routed of [first, second]) {
      expect(routed.source).toBe('local');
      expect(routed.fallback).toMatch(/serverError/);
      expect(routed.result.text.length).toBeGreaterThan(0);
    }
    expect(lines.filter((l) => l.startsWith('[health]'))).toHaveLength(1);
    const third = await router.route(request, { documentId: 'a' });
    expect(third.source).toBe('local'); // the remote is asked again after the back-off, and fails once more
    clock += 2001;
    const fourth = await router.route(request, { documentId: 'a' });
    expect(fourth.source).toBe('remote');
    expect(lines.filter((l) => l.startsWith('[health]'))).toHaveLength(2);
    expect(lines.at(-2)).toMatch(/answers again/);

    server.script({ kind: 'status', status: 401, body: { error: { message: `bad key ${secret}` } } });
    const refused = await router.route(request, { documentId: 'a' });
    expect(refused.source).toBe('local');
    expect(refused.fallback).toMatch(/auth/);
    expect(lines.join('\n')).not.toContain(secret);
    expect(router.stats.snapshot()).toMatchObject({ requests: 5, routedRemote: 5, remoteAnswered: 1, fallbacks: 4 });
  });

  it('a remote answering in 2 s: the suggestion still arrives within its total budget, with the local answer', async () => {
    server.script({ kind: 'completion', text: 'UN.', delayMs: 2000 });
    const { router } = makeRouter({ mode: 'auto', targetRemoteShare: 1 });
    const started = performance.now();
    const routed = await router.route(request, { documentId: 'a', totalBudgetMs: 600 });
    expect(performance.now() - started).toBeLessThan(900);
    expect(routed.source).toBe('local');
    expect(routed.fallback).toMatch(/timed out/);
  });

  it('mode remote: the remote answer when it comes, the local one (computed alongside) when the remote is down', async () => {
    server.script({ kind: 'completion', text: 'UN.' });
    const { router } = makeRouter({ mode: 'remote' });
    expect((await router.route(request, { documentId: 'a' })).source).toBe('remote');
    const down = makeRouter({ mode: 'remote' }, { endpoint: 'http://127.0.0.1:9/v1' });
    const routed = await down.router.route(request, { documentId: 'a' });
    expect(routed.source).toBe('local');
    expect(routed.fallback).toMatch(/unreachable/);
    expect(routed.result.text.length).toBeGreaterThan(0);
  });

  it('an empty remote completion keeps the local answer', async () => {
    server.script({ kind: 'completion', text: '' });
    const { router } = makeRouter({ mode: 'auto', targetRemoteShare: 1 });
    const routed = await router.route(request, { documentId: 'a' });
    expect(routed.source).toBe('local');
    expect(routed.fallback).toMatch(/empty/);
  });

  it('rejections raise the recent-rejections feature for that document only', async () => {
    const { router } = makeRouter({ mode: 'local' });
    router.recordOutcome('a', false);
    router.recordOutcome('a', true);
    expect(router.outcomes.rejectionRate('a')).toBe(0.5);
    expect(router.outcomes.rejectionRate('b')).toBe(0);
  });

  it('once the observed cost passes the budget, requests stay local', async () => {
    server.script({ kind: 'completion', text: 'UN.' });
    // Each remote call costs 13 tokens × 2 / 1000 = 0.026; a budget of 1 per 1,000 requests allows ~4 % remote.
    const { router } = makeRouter({ mode: 'auto', targetRemoteShare: 1, costBudgetPer1kRequests: 1 });
    for (let i = 0; i < 22; i++) await router.route(request, { documentId: 'a' });
    const stats = router.stats.snapshot();
    expect(stats.requests).toBe(22);
    expect(stats.routedRemote).toBeLessThan(22);
    expect(router.threshold).toBeLessThan(1);
  });

  it('a target share holds on the scores seen lately, not only on the calibration data', () => {
    const { router } = makeRouter({ mode: 'auto', targetRemoteShare: 0.3 });
    // This document's local answers are all less confident than the calibration data's.
    const scores: number[] = [];
    for (let i = 0; i < 80; i++) {
      const p = 0.05 + (i % 40) / 100;
      const local = { text: 'UN.', tokenProbabilities: [p, p], stopReason: 'stopString' as const, prefixTruncated: false, timings: { promptTokens: 1, reusedTokens: 0, timeToFirstTokenMs: 1, totalMs: 1 } };
      scores.push(router.score(request, local, 'a').score);
    }
    const threshold = router.threshold;
    const share = scores.filter((score) => score < threshold).length / scores.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });
});
