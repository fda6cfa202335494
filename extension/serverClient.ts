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
import type { RequestType } from 'vscode-languageserver-protocol';
import { ServerStatus, modelStatusNotification, serverStatusNotification, serverStatusRequest } from '../server/protocol';
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
  /** Milliseconds from `activate` to the first server `ready`, once known. */
  activationMs: number | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly statusBar: StatusBar,
    private readonly activatedAt: number,
  ) {}

  async start(): Promise<void> {
    const serverModule = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: 'cobol' }],
      outputChannel: this.log,
      synchronize: { configurationSection: 'cobolAssist' },
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
    client.onNotification(modelStatusNotification, (status) => this.statusBar.showModel(status));
    this.startedAt = Date.now();
    try {
      await client.start();
    } catch (error) {
      this.statusBar.show('error', String(error));
      this.log.error(`Language server failed to start: ${String(error)}`);
      this.scheduleRestart();
    }
  }

  async status(): Promise<ServerStatus | undefined> {
    if (!this.client || this.client.state !== State.Running) return undefined;
    return this.client.sendRequest(serverStatusRequest);
  }

  /** Sends a request to the running server; undefined when it is not running or the request fails. */
  async request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R | undefined> {
    if (!this.client || this.client.state !== State.Running) return undefined;
    try {
      return (await this.client.sendRequest(type.method, params)) as R;
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
