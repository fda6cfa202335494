/**
 * Drives the bundled language server (dist/server.js) as a separate process
 * over stdio, the way an editor does: spawn, initialize, open and change
 * documents, wait for published diagnostics, ask for the server's status.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  LogMessageNotification,
  MessageType,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { serverStatusRequest, type ServerStatus } from '../../server/protocol';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Builds dist/server.js from the current sources, so the test never runs a stale bundle. */
export function buildServerBundle(): void {
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`node scripts/build.mjs failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
}

export interface PublishedDiagnostics {
  version: number | undefined;
  diagnostics: Diagnostic[];
}

export class ServerProcess {
  readonly connection: ProtocolConnection;
  private readonly published = new Map<string, PublishedDiagnostics>();
  private readonly waiters = new Set<() => void>();
  private stderr = '';
  /** Messages the server logged as errors (uncaught exceptions, failed analyses). */
  readonly loggedErrors: string[] = [];

  private constructor(readonly child: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.set(params.uri, { version: params.version, diagnostics: params.diagnostics });
      for (const wake of this.waiters) wake();
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      if (params.type === MessageType.Error) this.loggedErrors.push(params.message);
    });
    // Default settings: answer every configuration item with an empty section.
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    this.connection.listen();
  }

  static async start(): Promise<ServerProcess> {
    // A temp folder of its own: a test that kills its server while the model loads leaves the model's
    // crash-guard marker there, where no other test's server will read it and refuse the bundled model.
    const env = { ...process.env, TMPDIR: mkdtempSync(join(tmpdir(), 'cobol-assist-server-')) };
    const child = spawn(process.execPath, ['dist/server.js', '--stdio'], { cwd: projectRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const server = new ServerProcess(child);
    await withTimeout(
      server.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: null,
        capabilities: {
          workspace: { configuration: true },
          textDocument: { synchronization: { dynamicRegistration: false }, publishDiagnostics: { versionSupport: true } },
        },
      }),
      15_000,
      'initialize',
    );
    await server.connection.sendNotification(InitializedNotification.type, {});
    return server;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get errorOutput(): string {
    return this.stderr;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    this.published.delete(uri);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'cobol', version, text },
    });
  }

  /** Replaces one range of the document (incremental sync, as VS Code sends it). */
  async change(uri: string, version: number, range: { start: Pos; end: Pos }, text: string): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
  }

  /** Resolves with the diagnostics published for `uri` (at `version`, when given), or fails after `timeoutMs`. */
  diagnostics(uri: string, timeoutMs: number, version?: number): Promise<PublishedDiagnostics> {
    const ready = () => {
      const found = this.published.get(uri);
      return found && (version === undefined || found.version === undefined || found.version === version) ? found : undefined;
    };
    const now = ready();
    if (now) return Promise.resolve(now);
    return withTimeout(
      new Promise<PublishedDiagnostics>((resolve) => {
        const wake = () => {
          const found = ready();
          if (!found) return;
          this.waiters.delete(wake);
          resolve(found);
        };
        this.waiters.add(wake);
      }),
      timeoutMs,
      `diagnostics for ${uri}${version === undefined ? '' : ` version ${version}`}`,
    );
  }

  status(timeoutMs: number): Promise<ServerStatus> {
    return withTimeout(this.connection.sendRequest(serverStatusRequest), timeoutMs, 'cobolAssist/serverStatus');
  }

  /** Shuts the server down politely; resolves with its exit code. */
  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 10_000, 'shutdown');
    await this.connection.sendNotification(ExitNotification.type);
    const code = await withTimeout(exited, 10_000, 'exit after shutdown');
    this.connection.dispose();
    return code;
  }

  /** Last resort for a test that failed half way: never leave a server process behind. */
  kill(): void {
    this.connection.dispose();
    if (this.alive) this.child.kill('SIGKILL');
  }
}

interface Pos {
  line: number;
  character: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from the server within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
