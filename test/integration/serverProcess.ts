/**
 * The one LSP-over-stdio test client: drives the bundled language server
 * (dist/server.js) as a separate process, the way an editor does: spawn,
 * initialize (optionally with a workspace folder and `cobolAssist`
 * settings), open and change documents, wait for published diagnostics
 * (each stamped with its arrival time, for the benchmarks), ask for the
 * server's status and statistics. Integration tests, security tests and
 * the front-end benchmarks all use it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  type InitializeResult,
  LogMessageNotification,
  MessageType,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { modelStatusNotification, serverStatsRequest, serverStatusRequest, type ModelStatus, type ServerStats, type ServerStatus } from '../../server/protocol';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Set by the global setup (buildOnce.ts) once dist/ is built for this test run. */
export const builtOnceVariable = 'COBOL_ASSIST_TEST_DIST_BUILT';

/**
 * Builds dist/ (server, CLI, extension) from the current sources, so a test
 * never runs a stale bundle: the project's one build. Under vitest the
 * global setup has done it once for the whole run.
 */
export function buildServerBundle(): void {
  if (process.env[builtOnceVariable] === '1') return;
  const result = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: projectRoot, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`node scripts/build.mjs failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
}

export interface PublishedDiagnostics {
  version: number | undefined;
  diagnostics: Diagnostic[];
}

/** One publishDiagnostics notification and when it arrived (performance.now()). */
export interface ArrivedDiagnostics {
  params: PublishDiagnosticsParams;
  at: number;
}

export interface ServerStartOptions {
  /** The bundle to run (default: dist/server.js of this checkout). */
  serverPath?: string;
  /** The only workspace folder the server sees; none when absent. */
  workspaceFolder?: string;
  /** The `cobolAssist` settings section returned to configuration requests (default: empty, so defaults apply). */
  settings?: Record<string, unknown>;
  /** Extra Node flags, e.g. --expose-gc. */
  nodeArgs?: string[];
  /** Node's heap limit for the server process (MB), so a runaway input fails fast instead of eating the machine. */
  maxOldSpaceMB?: number;
  initializationOptions?: unknown;
}

type Waiter = { match: (params: PublishDiagnosticsParams) => boolean; resolve: (arrived: ArrivedDiagnostics) => void };

export class ServerProcess {
  readonly connection: ProtocolConnection;
  private readonly published = new Map<string, PublishedDiagnostics>();
  private readonly waiters = new Set<() => void>();
  private stderr = '';
  /** Messages the server logged as errors (uncaught exceptions, failed analyses). */
  readonly loggedErrors: string[] = [];
  /** Every message the server logged, and every window message it showed. */
  readonly logged: string[] = [];
  readonly shownMessages: string[] = [];
  /** Every `cobolAssist/modelStatus` the server sent, in order. */
  readonly modelStatuses: ModelStatus[] = [];
  /** The `cobolAssist` section the client answers with; `configure` changes it. */
  private settings: Record<string, unknown>;

  /** What the server answered to initialize (its capabilities). */
  initializeResult: InitializeResult | undefined;
  /** Every publishDiagnostics in arrival order, with its time. */
  readonly arrivals: ArrivedDiagnostics[] = [];
  private matchers: Waiter[] = [];

  private constructor(readonly child: ChildProcess, options: ServerStartOptions) {
    this.settings = options.settings ?? {};
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const arrived = { params, at: performance.now() };
      this.arrivals.push(arrived);
      this.published.set(params.uri, { version: params.version, diagnostics: params.diagnostics });
      for (const wake of this.waiters) wake();
      const ready = this.matchers.filter((waiter) => waiter.match(params));
      this.matchers = this.matchers.filter((waiter) => !ready.includes(waiter));
      for (const waiter of ready) waiter.resolve(arrived);
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logged.push(params.message);
      if (params.type === MessageType.Error) this.loggedErrors.push(params.message);
    });
    // The cobolAssist section gets the given settings (default: empty, so the server's defaults apply).
    this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
      params.items.map((item) => (item.section === 'cobolAssist' ? this.settings : {})),
    );
    this.connection.onNotification(ShowMessageNotification.type, (params: { message: string }) => void this.shownMessages.push(params.message));
    this.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      this.shownMessages.push(params.message);
      return null;
    });
    this.connection.onNotification(modelStatusNotification, (status) => {
      this.modelStatuses.push(status);
      for (const wake of this.waiters) wake();
    });
    // Requests a server may send its client; the answer is null, as an editor without the feature gives.
    for (const method of ['client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create']) {
      this.connection.onRequest(method, () => null);
    }
    const folder = options.workspaceFolder;
    this.connection.onRequest('workspace/workspaceFolders', () => (folder ? [{ uri: pathToFileURL(folder).href, name: 'test' }] : null));
    this.connection.listen();
  }

  static async start(options: ServerStartOptions = {}): Promise<ServerProcess> {
    const heapLimit = options.maxOldSpaceMB ? [`--max-old-space-size=${options.maxOldSpaceMB}`] : [];
    // A temp folder of its own: a test that kills its server while the model loads leaves the model's
    // crash-guard marker there, where no other test's server will read it and refuse the bundled model.
    const env = { ...process.env, TMPDIR: mkdtempSync(join(tmpdir(), 'cobol-assist-server-')) };
    const child = spawn(process.execPath, [...heapLimit, ...(options.nodeArgs ?? []), options.serverPath ?? 'dist/server.js', '--stdio'], {
      cwd: projectRoot,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, options);
    const folder = options.workspaceFolder;
    server.initializeResult = await withTimeout(
      server.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: folder ? pathToFileURL(folder).href : null,
        workspaceFolders: folder ? [{ uri: pathToFileURL(folder).href, name: 'test' }] : null,
        ...(options.initializationOptions !== undefined ? { initializationOptions: options.initializationOptions } : {}),
        capabilities: {
          workspace: folder
            ? { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } }
            : { configuration: true },
          textDocument: { synchronization: { dynamicRegistration: false, didSave: true }, publishDiagnostics: { versionSupport: true } },
          window: { workDoneProgress: true },
        },
      }),
      15_000,
      'initialize',
    );
    await server.connection.sendNotification(InitializedNotification.type, {});
    return server;
  }

  /** Every diagnostic message published so far, for any document. */
  get publishedMessages(): string[] {
    return [...this.published.values()].flatMap((entry) => entry.diagnostics.map((d) => (typeof d.message === 'string' ? d.message : d.message.value)));
  }

  /** Every diagnostic published so far, for any document. */
  get allPublished(): Diagnostic[] {
    return [...this.published.values()].flatMap((entry) => entry.diagnostics);
  }
  /** Changes the `cobolAssist` settings the client answers with and tells the server, as VS Code does. */
  async configure(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { cobolAssist: settings } });
  }

  /** Tells the server the document was saved (what runs cobc when the settings ask for it). */
  async save(uri: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Resolves with the first model status that `accept` takes, or fails after `timeoutMs`. */
  modelStatus(accept: (status: ModelStatus) => boolean, timeoutMs: number): Promise<ModelStatus> {
    const found = () => this.modelStatuses.find(accept);
    const now = found();
    if (now) return Promise.resolve(now);
    return withTimeout(
      new Promise<ModelStatus>((resolve) => {
        const wake = () => {
          const status = found();
          if (!status) return;
          this.waiters.delete(wake);
          resolve(status);
        };
        this.waiters.add(wake);
      }),
      timeoutMs,
      'a matching cobolAssist/modelStatus',
    );
  }

  /** The process's peak resident memory so far, in MB (Linux; undefined elsewhere or once it exited). */
  peakMemoryMB(): number | undefined {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** Resolves with the next publishDiagnostics that `match` accepts, with its arrival time. */
  waitForDiagnostics(match: (params: PublishDiagnosticsParams) => boolean, timeoutMs = 60_000): Promise<ArrivedDiagnostics> {
    return withTimeout(
      new Promise<ArrivedDiagnostics>((resolve) => this.matchers.push({ match, resolve })),
      timeoutMs,
      `matching publishDiagnostics (server stderr: ${this.stderr.slice(-500)})`,
    );
  }

  /** cobolAssist/stats: heap and RSS of the server process, after a full GC when asked. */
  stats(collectGarbage: boolean, timeoutMs = 60_000): Promise<ServerStats> {
    return withTimeout(this.connection.sendRequest(serverStatsRequest, { collectGarbage }), timeoutMs, 'cobolAssist/stats');
  }

  /** Shuts down politely if it can, and makes sure the process is gone (for benchmarks that must not throw on the way out). */
  async stop(): Promise<void> {
    try {
      await this.shutdown();
    } catch {
      // Already gone or stuck: killed below.
    }
    this.kill();
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
