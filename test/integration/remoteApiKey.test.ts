/**
 * The remote API key, end to end through the real dist/server.js over stdio
 * with LSP tracing on (verbose: every message with its parameters and
 * results): the key given in the server's environment reaches the remote as
 * a bearer token, and appears in no LSP message, trace line, log message or
 * stderr, even when the remote echoes it back in an error. The remote is the
 * scripted HTTP server (a mock at the boundary) answering 401, then a good
 * model list: the status goes failing (auth) once, then recovers after a
 * settings change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  InitializedNotification,
  InitializeRequest,
  DidChangeConfigurationNotification,
  LogMessageNotification,
  ShutdownRequest,
  ExitNotification,
  StreamMessageReader,
  StreamMessageWriter,
  Trace,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { remoteApiKeyEnvironmentVariable, routeStatusNotification, routerStatisticsRequest, type RouteStatus } from '../../server/protocol';
import { startScriptedOpenAiServer, type ScriptedServer } from '../unit/remote/scriptedOpenAiServer';
import { buildServerBundle, projectRoot } from './serverProcess';

const key = 'sk-integration-9d41f0e2-never-log-me';
let remote: ScriptedServer;
let child: ChildProcess;
let connection: ProtocolConnection;
let stderr = '';
const traced: string[] = [];
const logged: string[] = [];
const statuses: RouteStatus[] = [];
let configuration: Record<string, unknown>;

beforeAll(async () => {
  buildServerBundle();
  remote = await startScriptedOpenAiServer();
  // The remote refuses the key, quoting it back (as some APIs do), then accepts.
  remote.script({ kind: 'status', status: 401, body: { error: { message: `Incorrect API key provided: ${key}` } } });
  configuration = { remote: { endpoint: remote.url, model: 'cobol-slm-large' }, router: { mode: 'auto' }, model: { enabled: false } };
  child = spawn(process.execPath, ['dist/server.js', '--stdio'], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, [remoteApiKeyEnvironmentVariable]: key } });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  await connection.trace(Trace.Verbose, { log: (message: string, data?: string) => traced.push(`${message}\n${data ?? ''}`) });
  connection.onNotification(LogMessageNotification.type, (params) => {
    logged.push(params.message);
  });
  connection.onNotification(routeStatusNotification, (status) => {
    statuses.push(status);
  });
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => configuration));
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true } } });
  await connection.sendNotification(InitializedNotification.type, {});
}, 120_000);

afterAll(async () => {
  await connection?.sendRequest(ShutdownRequest.type).catch(() => undefined);
  await connection?.sendNotification(ExitNotification.type).catch(() => undefined);
  child?.kill();
  await remote?.close();
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('the remote API key (real server, LSP trace on)', () => {
  it('reaches the remote as a bearer token, and the refusal shows once as failing (auth)', async () => {
    const failing = await until('a failing route status', () => statuses.find((s) => s.remote === 'failing'));
    expect(failing.message).toMatch(/auth/);
    expect(remote.seen[0]).toMatchObject({ path: '/v1/models', authorization: `Bearer ${key}` });
    expect(logged.filter((line) => /unavailable \(auth\)/.test(line))).toHaveLength(1);
  });

  it('recovers when the remote accepts again (after a settings change)', async () => {
    remote.script({ kind: 'raw', body: JSON.stringify({ object: 'list', data: [{ id: 'cobol-slm-large', object: 'model' }] }) });
    configuration = { ...configuration, remote: { endpoint: remote.url, model: 'cobol-slm-large', timeoutMs: 1200 } };
    await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const ok = await until('an ok route status', () => statuses.find((s) => s.remote === 'ok'));
    expect(ok.mode).toBe('auto');
    const stats = await connection.sendRequest(routerStatisticsRequest);
    expect(stats).toMatchObject({ requests: 0, status: { remote: 'ok' } });
  });

  it('appears in no trace line, log message, notification or stderr', () => {
    expect(traced.length).toBeGreaterThan(5);
    expect(traced.some((line) => line.includes('cobolAssist/routeStatus'))).toBe(true);
    for (const text of [...traced, ...logged, stderr, JSON.stringify(statuses)]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(3, 20));
    }
  });
});
