/**
 * Starts the language server over IPC and keeps it alive: a server that
 * crashes is restarted with exponential backoff, and the user is told.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';
import type { RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import { ServerStatus, modelStatusNotification, remoteApiKeyEnvironmentVariable, serverStatusNotification, serverStatusRequest } from '../server/protocol';
import { readRemoteApiKey } from './remoteApiKey';
import type { StatusBar } from './statusBar';

const backoffMs = { first: 1000, max: 30_000 };
/** A server that stayed up this long is considered healthy again. */
const healthyAfterMs = 60_000;

export class ServerClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private restarts = 0;
  private startedAt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private lastModelNotice: string | undefined;
  /** Milliseconds from `activate` to the first server `ready`, once known. */
  activationMs: number | undefined;
  private readonly clientCreated = new vscode.EventEmitter<LanguageClient>();
  /** Fires for each new LanguageClient (each start and restart): register notification handlers here. */
  readonly onDidCreateClient = this.clientCreated.event;
  /** Called with every new client (first start and restarts), before it starts, to register handlers. */
  private readonly clientListeners: ((client: LanguageClient) => void)[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly statusBar: StatusBar,
    private readonly activatedAt: number,
  ) {}

  async start(): Promise<void> {
    const serverModule = this.context.asAbsolutePath('dist/server.js');
    // The remote API key travels in the server's environment, never in settings or LSP messages (see remoteApiKey.ts).
    const apiKey = await readRemoteApiKey(this.context).then((key) => key ?? '', () => '');
    const env = { ...process.env, [remoteApiKeyEnvironmentVariable]: apiKey };
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: 'cobol' }],
      outputChannel: this.log,
      synchronize: { configurationSection: 'cobolAssist' },
      // The extension's private storage: the server's crash guard keeps its marker there, where no one else can
      // plant one, and completion metrics are kept there, on this machine only. The agent's activity log and
      // preferences live in this workspace's storage, never in the workspace.
      initializationOptions: {
        agentStorage: (this.context.storageUri ?? this.context.globalStorageUri).fsPath,
        storagePath: this.context.globalStorageUri.fsPath,
      },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue }),
        closed: () => {
          this.scheduleRestart();
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
    };
    const client = new LanguageClient('cobolAssist', 'COBOL Assist Language Server', serverOptions, clientOptions);
    this.client = client;
    this.statusBar.show('starting');
    client.onDidChangeState((event) => {
      if (event.newState === State.Stopped && !this.disposed && this.restartTimer === undefined) {
        this.statusBar.show('stopped');
      }
    });
    client.onNotification(serverStatusNotification, (status) => this.onServerStatus(status));
    client.onNotification(modelStatusNotification, (status) => {
      this.statusBar.showModel(status);
      // A ready model with a message had settings lowered to fit the machine or the model: say so once per change.
      if (status.state === 'ready' && status.message && status.message !== this.lastModelNotice) {
        this.lastModelNotice = status.message;
        void vscode.window.showWarningMessage(`COBOL Assist: ${status.message}`);
      }
    });
    this.clientCreated.fire(client);
    client.onNotification(modelStatusNotification, (status) => this.statusBar.showModel(status));
    for (const listener of this.clientListeners) listener(client);
    this.startedAt = Date.now();
    try {
      await client.start();
    } catch (error) {
      this.statusBar.show('error', String(error));
      this.log.error(`Language server failed to start: ${String(error)}`);
      this.scheduleRestart();
    }
  }

  /** Registers handlers on the current client and on every client a restart makes. */
  onClient(listener: (client: LanguageClient) => void): void {
    this.clientListeners.push(listener);
    if (this.client) listener(this.client);
  }

  /** The language client while the server runs (for requests that must not wait for a restart). */
  get running(): LanguageClient | undefined {
    return this.client?.state === State.Running ? this.client : undefined;
  }

  async status(): Promise<ServerStatus | undefined> {
    if (!this.client || this.client.state !== State.Running) return undefined;
    return this.client.sendRequest(serverStatusRequest);
  }

  /** Sends a request to the running server; undefined when it is not running or the request fails. */
  async request<R>(type: RequestType0<R, void>): Promise<R | undefined>;
  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R | undefined>;
  async request(type: { method: string }, params?: unknown): Promise<unknown> {
    if (!this.client || this.client.state !== State.Running) return undefined;
    try {
      return params === undefined ? await this.client.sendRequest(type.method) : await this.client.sendRequest(type.method, params);
    } catch (error) {
      this.log.warn(`${type.method} failed: ${String(error)}`);
      return undefined;
    }
  }

  async restart(): Promise<void> {
    this.clearRestartTimer();
    await this.stopClient();
    await this.start();
  }

  private onServerStatus(status: ServerStatus): void {
    this.statusBar.show(status.phase, status.message);
    if (status.phase !== 'ready') return;
    if (this.activationMs === undefined) {
      this.activationMs = Date.now() - this.activatedAt;
      this.log.info(`Language server ${status.version} ready: ${this.activationMs} ms after activation (server start-up ${status.startupMs} ms).`);
    } else {
      // After a restart (by command or after a crash) the log says so too.
      this.log.info(`Language server ${status.version} ready again: ${Date.now() - this.startedAt} ms after the restart (server start-up ${status.startupMs} ms).`);
    }
  }

  private scheduleRestart(): void {
    if (this.disposed || this.restartTimer) return;
    if (Date.now() - this.startedAt > healthyAfterMs) this.restarts = 0;
    const delay = Math.min(backoffMs.first * 2 ** this.restarts, backoffMs.max);
    this.restarts++;
    this.statusBar.show('restarting', `attempt ${this.restarts} in ${delay / 1000} s`);
    this.log.warn(`Language server stopped unexpectedly; restarting in ${delay} ms (attempt ${this.restarts}).`);
    void vscode.window.showWarningMessage(
      `COBOL Assist: the language server stopped unexpectedly and restarts in ${delay / 1000} s.`,
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      void this.stopClient().then(() => this.start());
    }, delay);
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    try {
      if (client.needsStop()) await client.stop(2000);
    } catch (error) {
      this.log.warn(`Stopping the language server: ${String(error)}`);
    }
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearRestartTimer();
    await this.stopClient();
  }
}
