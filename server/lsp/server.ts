/**
 * Wires the language server's features onto an LSP connection. This and the
 * other files in `server/lsp/` are the only code that knows LSP.
 */
import {
  Connection,
  InitializeResult,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerStatus, serverStatusNotification, serverStatusRequest } from '../protocol';
import { Settings, defaultSettings, parseSettings } from '../settings';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { createLanguageFeatures } from './languageFeatures';
import { registerStats } from './stats';
import { registerModelService } from './modelService';
import { registerRouterService } from './routerService';
import { registerAgentService } from './agentService';
import { registerInlineCompletion } from './inlineCompletion';
import { registerFixedFormatEditing } from './fixedFormatEditing';

export interface ServerOptions {
  version: string;
  /** Time since the server process started, for the startup figure. */
  millisecondsSinceStart: () => number;
  /** The remote model's API key (from the environment the extension started the server with; see remoteApiKey.ts). */
  remoteApiKey?: string;
}

export function startServer(connection: Connection, options: ServerOptions): void {
  const documents = new TextDocuments(TextDocument);
  const settingsCache = new Map<string, Promise<Settings>>();
  let clientHasConfiguration = false;
  let status: ServerStatus = { phase: 'starting', version: options.version, startupMs: 0, openDocuments: 0 };

  const publishStatus = (update: Partial<ServerStatus>) => {
    status = { ...status, ...update, openDocuments: documents.all().length };
    void connection.sendNotification(serverStatusNotification, status);
  };

  const settingsFor = (uri: string): Promise<Settings> => {
    if (!clientHasConfiguration) return Promise.resolve(defaultSettings);
    let settings = settingsCache.get(uri);
    if (!settings) {
      settings = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'cobolAssist' })
        .then(parseSettings, () => defaultSettings);
      settingsCache.set(uri, settings);
    }
    return settings;
  };

  const language = createLanguageFeatures(connection, documents, settingsFor, (uri) => scheduler.schedule(uri));

  // Long enough to merge the changes of one paste or multi-cursor edit, short
  // enough not to show in the edit-to-diagnostics time (an edit of a
  // 10,000-line program is analysed in about 25 ms).
  const scheduler = new DiagnosticsScheduler(
    10,
    (uri) => language.validate(uri),
    (uri, error) => connection.console.error(`Analysis of ${uri} failed: ${describe(error)}`),
  );

  connection.onInitialize((params): InitializeResult => {
    clientHasConfiguration = params.capabilities.workspace?.configuration === true;
    language.initialize(params);
    model.initialize(params.initializationOptions);
    agent.initialize(params.initializationOptions);
    inline.initialize(params.initializationOptions);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        ...language.capabilities,
      },
      serverInfo: { name: 'cobol-assist', version: options.version },
    };
  });

  connection.onInitialized(() => {
    publishStatus({ phase: 'ready', startupMs: Math.round(options.millisecondsSinceStart()) });
    language.initialized();
    model.start(); // loads in the background; language features never wait for it
    router.configurationChanged();
    agent.configurationChanged();
  });

  connection.onRequest(serverStatusRequest, () => ({ ...status, openDocuments: documents.all().length }));
  registerStats(connection, () => documents.all().length);
  registerFixedFormatEditing(connection, documents, settingsFor);
  const model = registerModelService(connection, () => clientHasConfiguration);
  const router = registerRouterService(connection, () => clientHasConfiguration, model.host, options.remoteApiKey ?? '');
  const inline = registerInlineCompletion(connection, documents, language.workspace, language.uris, model.host, router.engineRouter);
  const agent = registerAgentService(connection, language.workspace, model.host, () => clientHasConfiguration);

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    model.configurationChanged();
    router.configurationChanged();
    agent.configurationChanged();
    for (const document of documents.all()) scheduler.schedule(document.uri);
  });

  documents.onDidOpen((event) => {
    language.opened(event.document.uri);
    scheduler.schedule(event.document.uri);
  });
  documents.onDidChangeContent((event) => {
    scheduler.schedule(event.document.uri);
    // Programs that copy this document (a copybook being edited) see the change too.
    for (const dependent of language.dependents(event.document.uri)) scheduler.schedule(dependent);
  });
  documents.onDidSave((event) => void language.saved(event.document.uri));
  documents.onDidClose((event) => {
    scheduler.cancel(event.document.uri);
    settingsCache.delete(event.document.uri);
    language.closed(event.document.uri);
  });
  connection.onShutdown(async () => {
    scheduler.dispose();
    agent.dispose();
    inline.dispose();
    await model.dispose();
    await router.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

export function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
