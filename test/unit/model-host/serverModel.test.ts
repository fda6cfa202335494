/**
 * The model inside the bundled language server (dist/server.js, CommonJS):
 * node-llama-cpp (ESM) loads through the bundle's dynamic import, the model
 * loads in the background after `initialized`, its status reaches the client,
 * a bad model file ends in `error` with a reason, and diagnostics keep
 * coming throughout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DidChangeConfigurationNotification } from 'vscode-languageserver-protocol/node';
import { ModelStatus, modelStatusNotification, modelStatusRequest } from '../../../server/protocol';
import { buildServerBundle, ServerProcess } from '../../integration/serverProcess';
import { writeTinyGguf } from './tinyGguf';

const dir = mkdtempSync(join(tmpdir(), 'server-model-'));
const modelPath = join(dir, 'tiny.gguf');
let server: ServerProcess;
const statuses: ModelStatus[] = [];
let section: Record<string, unknown> = {};

beforeAll(async () => {
  writeTinyGguf(modelPath);
  buildServerBundle();
  server = await ServerProcess.start();
  server.connection.onNotification(modelStatusNotification, (status) => {
    statuses.push(status);
  });
  server.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => section));
}, 120_000);

afterAll(() => {
  server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function waitForModel(predicate: (status: ModelStatus) => boolean, timeoutMs = 20_000): Promise<ModelStatus> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const status = await server.connection.sendRequest(modelStatusRequest);
    if (predicate(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`model status never matched; last: ${JSON.stringify(statuses.at(-1))}`);
}

it('loads the configured model in the background and reports it ready on the CPU', async () => {
  section = { model: { path: modelPath, threads: 1, gpu: 'off' } };
  await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  const ready = await waitForModel((s) => s.state === 'ready' && s.modelId === 'tiny.gguf');
  expect(ready).toMatchObject({ modelName: 'tiny-test-model', device: 'cpu', threads: 1 });
  expect(statuses.some((s) => s.state === 'loading')).toBe(true);
  const uri = 'file:///model/ok.cbl';
  await server.open(uri, '       IDENTIFICATION DIVISION.\n       PROGRAM-ID. OK.\n');
  await server.diagnostics(uri, 10_000);
}, 60_000);

it('reports a bad model file as error with a reason, and the language features keep working', async () => {
  section = { model: { path: join(dir, 'nothing-here.gguf') } };
  await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  const failed = await waitForModel((s) => s.state === 'error');
  expect(failed.message).toContain('does not exist');
  const uri = 'file:///model/after-error.cbl';
  await server.open(uri, '       IDENTIFICATION DIVISION.\n       PROGRAM-ID. AFTER.\n');
  await server.diagnostics(uri, 10_000);
  expect((await server.status(5_000)).phase).toBe('ready');
  expect(server.alive).toBe(true);
}, 60_000);

it('switches the model off when disabled', async () => {
  section = { model: { enabled: false } };
  await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  await waitForModel((s) => s.state === 'off');
}, 30_000);
