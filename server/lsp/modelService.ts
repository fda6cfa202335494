/**
 * Connects the model host to LSP: reads the `cobolAssist.model.*` settings
 * (window-wide), starts loading the model once the client is initialized and
 * again when the settings change, sends `cobolAssist/modelStatus` on every
 * change, and answers the status request. Loading never blocks a handler.
 */
import { isAbsolute, join, resolve } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { modelStatusNotification, modelStatusRequest } from '../protocol';
import { ModelHost } from '../model/modelHost';
import { defaultModelSettings, parseModelSettings } from '../model/modelSettings';

export interface ModelService {
  host: ModelHost;
  /** Call from `onInitialize`: the client's private storage folder (`initializationOptions.storagePath`) keeps the crash guard. */
  initialize(initializationOptions: unknown): void;
  /** Call from `onInitialized`: starts the first load in the background. */
  start(): void;
  /** Call from `onDidChangeConfiguration`. */
  configurationChanged(): void;
  dispose(): Promise<void>;
}

/** Settings changes closer together than this are applied as one. */
const settleMs = 200;

/** The extension's folder: this code runs bundled as <extension>/dist/server.js. */
const extensionRoot = resolve(__dirname, '..');

export function registerModelService(connection: Connection, clientHasConfiguration: () => boolean): ModelService {
  const host = new ModelHost({
    extensionRoot,
    log: (level, message) => connection.console[level === 'info' ? 'info' : level === 'warn' ? 'warn' : 'error'](message),
    onStatus: (status) => void connection.sendNotification(modelStatusNotification, status),
  });
  connection.onRequest(modelStatusRequest, () => host.status);

  const reconfigure = () => {
    const settings = clientHasConfiguration()
      ? connection.workspace.getConfiguration('cobolAssist').then(parseModelSettings, () => defaultModelSettings)
      : Promise.resolve(defaultModelSettings);
    void settings.then((value) => host.configure(value));
  };
  // "Select Model" writes two settings (id, path): wait for both before reloading.
  let pending: NodeJS.Timeout | undefined;
  const configurationChanged = () => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = undefined;
      reconfigure();
    }, settleMs);
  };
  return {
    host,
    initialize: (initializationOptions) => {
      const storage = (initializationOptions as { storagePath?: unknown } | null | undefined)?.storagePath;
      if (typeof storage === 'string' && isAbsolute(storage)) host.useGuardFolder(join(storage, 'crash-guard'));
    },
    // A tick later, so that the `ready` status and the first diagnostics go out first.
    start: () => void setImmediate(reconfigure),
    configurationChanged,
    dispose: () => {
      if (pending) clearTimeout(pending);
      return host.dispose();
    },
  };
}
