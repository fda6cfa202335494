/**
 * The router in the live completion path: the completion engine (real
 * bundled model, the demo workspace) with its routing hook on
 * CompletionRouter, the remote a real HTTP server on 127.0.0.1 scripted to
 * answer or fail (scriptedOpenAiServer.ts, a mock at the boundary). A routed
 * suggestion is the remote's text shaped like a local one; a failing remote
 * leaves the local suggestion.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionEngine, type EngineInput } from '../../../server/completion';
import { ModelHost } from '../../../server/model/modelHost';
import { defaultModelSettings } from '../../../server/model/modelSettings';
import { RemoteModelBackend } from '../../../server/remote/remoteBackend';
import { defaultRemoteSettings, defaultRouterSettings, type RouterSettings } from '../../../server/remote/remoteSettings';
import { routeEngineCandidate } from '../../../server/router/engineRouting';
import { CompletionRouter } from '../../../server/router/router';
import { parseRouterFile } from '../../../server/router/routerFile';
import { defaultSettings } from '../../../server/settings';
import { MemoryDocuments, Workspace } from '../../../server/workspace';
import { ScriptedServer, startScriptedOpenAiServer } from '../remote/scriptedOpenAiServer';

const root = resolve(__dirname, '../../..');
const folder = join(root, 'test/fixtures/workspace');
const file = join(folder, 'CUSTRPT.cbl');
const original = readFileSync(file, 'utf8');
const cutLine = '003900     PERFORM 2000-PROCESS-CUSTOMER UNTIL WS-CUST-EOF              CUSTRPT';
const text = original.replace(cutLine, '003900     PERFORM '.padEnd(72) + 'CUSTRPT');
const routerFile = parseRouterFile(JSON.parse(readFileSync(join(root, 'models/router.json'), 'utf8')));
const scratch = mkdtempSync(join(tmpdir(), 'engine-routing-'));
let host: ModelHost;
let remoteServer: ScriptedServer;

beforeAll(async () => {
  host = new ModelHost({ extensionRoot: root, guardFolder: scratch, log: () => {}, onStatus: () => {} });
  await host.configure({ ...defaultModelSettings, gpu: 'off' });
  expect(host.status.state).toBe('ready');
  remoteServer = await startScriptedOpenAiServer();
});
afterAll(async () => {
  await host?.dispose();
  await remoteServer?.close();
  rmSync(scratch, { recursive: true, force: true });
});

function engineWith(settings: Partial<RouterSettings>) {
  const documents = new MemoryDocuments();
  const workspace = new Workspace({ documents, settingsFor: async () => ({ ...defaultSettings, copybookPaths: ['copybooks'] }) });
  workspace.setRoots([folder]);
  documents.set(file, text);
  const remote = new RemoteModelBackend({ ...defaultRemoteSettings, endpoint: remoteServer.url, apiKey: '', timeoutMs: 1000 });
  const log: string[] = [];
  const router = new CompletionRouter({ local: host, remote, file: routerFile, settings: { ...defaultRouterSettings, ...settings }, log: (line) => log.push(line) });
  const engine = new CompletionEngine({
    workspace,
    model: host,
    router: { route: async (candidate, signal) => (await routeEngineCandidate(router, candidate, signal, { timeoutMs: 1000, model: 'cobol-slm-large' })).answer },
  });
  return { engine, router, log };
}

function at(marker: string): EngineInput {
  const offset = text.indexOf(marker) + marker.length;
  const before = text.slice(0, offset);
  return { id: file, text, offset, line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1), trigger: 'manual', features: { debounce: false, cache: false } };
}

describe('the router in the completion engine', () => {
  it('routed: the remote text, shaped to the line (one line, before column 73), from the remote model', async () => {
    remoteServer.script({ kind: 'completion', text: '2000-PROCESS-CUSTOMER UNTIL WS-CUST-EOF\n           GOBACK.' });
    const { engine, router, log } = engineWith({ mode: 'remote' });
    const outcome = await engine.complete(at('003900     PERFORM '));
    expect(outcome).toMatchObject({ source: 'router', model: 'cobol-slm-large', text: '2000-PROCESS-CUSTOMER UNTIL WS-CUST-EOF' });
    expect(router.stats.snapshot()).toMatchObject({ routedRemote: 1, remoteAnswered: 1 });
    expect(log[0]).toMatch(/\[router\] remote: mode remote; remote answered/);
    const request = remoteServer.seen.at(-1)!.body;
    expect(String(request.prompt).endsWith('003900     PERFORM ')).toBe(true);
  });

  it('a failing remote leaves the local suggestion (source model), logged as a fallback', async () => {
    remoteServer.script({ kind: 'status', status: 503 });
    const { engine, log } = engineWith({ mode: 'remote' });
    const outcome = await engine.complete(at('003900     PERFORM '));
    expect(outcome.source).toBe('model');
    expect(outcome.text.length).toBeGreaterThan(0);
    expect(log[0]).toMatch(/fell back to local \(remote serverError/);
  });

  it('auto with the shipped router file: a decision with score and threshold for every suggestion', async () => {
    remoteServer.script({ kind: 'completion', text: '2000-PROCESS-CUSTOMER' });
    const { engine, log } = engineWith({ mode: 'auto' });
    await engine.complete(at('003900     PERFORM '));
    expect(log[0]).toMatch(/^\[router\] (local|remote): score 0\.\d{3} threshold 0\.\d{3}; score (≥|<) threshold/);
  });
});
