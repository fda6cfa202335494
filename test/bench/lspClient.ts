/**
 * A minimal LSP client for measuring the real server: starts dist/server.js
 * over stdio as a child process, answers the few requests a server sends to
 * its client (configuration, capability registration, progress), and records
 * every publishDiagnostics with the time it arrived.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  ProtocolConnection,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { ServerStats, serverStatsRequest } from '../../server/protocol';

export interface PublishedDiagnostics {
  params: PublishDiagnosticsParams;
  /** performance.now() when it arrived. */
  at: number;
}

export interface StartOptions {
  serverPath: string;
  /** Workspace folder; the server sees it as the only workspace folder. */
  workspaceFolder?: string;
  /** The `cobolAssist` settings section returned to configuration requests. */
  settings?: Record<string, unknown>;
  /** Extra Node flags, e.g. --expose-gc. */
  nodeArgs?: string[];
}

type Waiter = { match: (p: PublishDiagnosticsParams) => boolean; resolve: (d: PublishedDiagnostics) => void };

export class LspClient {
  private waiters: Waiter[] = [];
  readonly published: PublishedDiagnostics[] = [];
  stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(options: StartOptions): Promise<LspClient> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.serverPath, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    const client = new LspClient(child, connection);
    child.stderr!.on('data', (chunk) => (client.stderr += String(chunk)));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      const entry = { params, at: performance.now() };
      client.published.push(entry);
      const ready = client.waiters.filter((w) => w.match(params));
      client.waiters = client.waiters.filter((w) => !w.match(params));
      for (const waiter of ready) waiter.resolve(entry);
    });
    // Requests a server may send its client; every other one gets null.
    connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'cobolAssist' ? (options.settings ?? {}) : null)),
    );
    for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create', 'window/showMessageRequest']) {
      connection.onRequest(method, () => null);
    }
    connection.onRequest('workspace/workspaceFolders', () =>
      options.workspaceFolder ? [{ uri: pathToFileURL(options.workspaceFolder).href, name: 'bench' }] : null,
    );
    connection.listen();

    const folder = options.workspaceFolder;
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder ? pathToFileURL(folder).href : null,
      workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: 'bench' }] : null,
      capabilities: {
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { didSave: true } },
        window: { workDoneProgress: true },
      },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** Resolves with the next publishDiagnostics that `match` accepts (also one that already arrived after `since`). */
  waitForDiagnostics(match: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 60_000): Promise<PublishedDiagnostics> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching publishDiagnostics within ${timeoutMs} ms; server stderr: ${this.stderr.slice(-2000)}`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (d) => {
          clearTimeout(timer);
          resolve(d);
        },
      };
      this.waiters.push(waiter);
    });
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'cobol', version, text },
    });
  }

  change(uri: string, version: number, changes: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: changes,
    });
  }

  stats(collectGarbage: boolean): Promise<ServerStats> {
    return this.connection.sendRequest(serverStatsRequest, { collectGarbage });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; it is killed below either way.
    }
    this.connection.dispose();
    setTimeout(() => this.child.kill('SIGKILL'), 2000).unref();
  }
}
