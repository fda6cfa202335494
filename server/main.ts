/** Entry point of the language server process (bundled to dist/server.js). */
import { performance } from 'node:perf_hooks';
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { describe, startServer } from './lsp/server';
import { takeRemoteApiKey } from './remote/remoteApiKey';

const connection = createConnection(ProposedFeatures.all);

// A bug in one handler must never take the server down with every open editor:
// log it and keep serving.
process.on('uncaughtException', (error) => connection.console.error(`Uncaught: ${describe(error)}`));
process.on('unhandledRejection', (error) => connection.console.error(`Unhandled rejection: ${describe(error)}`));

declare const COBOL_ASSIST_VERSION: string;
// performance.now() counts from the start of this process.
startServer(connection, { version: COBOL_ASSIST_VERSION, millisecondsSinceStart: () => performance.now(), remoteApiKey: takeRemoteApiKey() });
