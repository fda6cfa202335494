/**
 * Connects the router to LSP: reads `cobolAssist.remote.*` and
 * `cobolAssist.router.*`, keeps one remote backend for the endpoint (probed
 * once when set, so a wrong endpoint or key shows at once), loads the shipped
 * router file, sends `cobolAssist/routeStatus` when the remote's health or
 * the latest suggestion's source changes, answers
 * `cobolAssist/routerStatistics`, and offers `route` to the completion
 * pipeline. The API key comes from the process environment (remoteApiKey.ts)
 * and goes nowhere but the remote's Authorization header.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import type { CompletionRequest } from '../model/backend';
import { messageOf } from '../model/errors';
import type { ModelHost } from '../model/modelHost';
import type { RoutingCandidate } from '../completion';
import { RouteStatus, routeStatusNotification, routerStatisticsRequest } from '../protocol';
import { RemoteModelBackend } from '../remote/remoteBackend';
import { RemoteSettings, RouterSettings, defaultRemoteSettings, defaultRouterSettings, parseRemoteSettings, parseRouterSettings } from '../remote/remoteSettings';
import { CompletionRouter, RouteOptions, RoutedCompletion } from '../router/router';
import { routeEngineCandidate } from '../router/engineRouting';
import type { EngineRouter } from './inlineCompletion';
import { RouterFile, parseRouterFile } from '../router/routerFile';

export interface RouterService {
  /** The completion engine's routing hook (engine.ts `CompletionRouter`): the remote's text, or undefined to keep the local one. */
  readonly engineRouter: EngineRouter;
  /** The completion pipeline's entry: the local model's answer, or the remote's when the router sends it there. */
  route(request: CompletionRequest, options: RouteOptions): Promise<RoutedCompletion>;
  /** The pipeline reports whether the user took a suggestion (the recent-rejections feature). */
  recordOutcome(documentId: string, accepted: boolean): void;
  /** Call from `onInitialized` and `onDidChangeConfiguration`. */
  configurationChanged(): void;
  readonly status: RouteStatus;
  dispose(): Promise<void>;
}

/** Suggestions remembered for their accept / reject events (the recent-rejections feature). */
const rememberedSuggestions = 512;

/** The extension's folder: this code runs bundled as <extension>/dist/server.js. */
const extensionRoot = resolve(__dirname, '..');

export function registerRouterService(connection: Connection, clientHasConfiguration: () => boolean, host: ModelHost, apiKey: string, routerFilePath = join(extensionRoot, 'models', 'router.json')): RouterService {
  const file = loadRouterFile(routerFilePath, (message) => connection.console.warn(message));
  let remoteSettings: RemoteSettings = defaultRemoteSettings;
  let routerSettings: RouterSettings = defaultRouterSettings;
  let remote: RemoteModelBackend | undefined;
  let router: CompletionRouter | undefined;
  let status: RouteStatus = { mode: routerSettings.mode, remote: 'off', lastSource: null, message: 'No remote endpoint set.' };
  const local = { complete: (request: CompletionRequest) => host.complete(request) };

  const publish = (update: Partial<RouteStatus>) => {
    const next = { ...status, ...update };
    if (JSON.stringify(next) === JSON.stringify(status)) return;
    status = next;
    void connection.sendNotification(routeStatusNotification, status);
  };

  const rebuild = (nextRemote: RemoteSettings, nextRouter: RouterSettings) => {
    const endpointChanged = JSON.stringify(nextRemote) !== JSON.stringify(remoteSettings) || !remote;
    remoteSettings = nextRemote;
    routerSettings = file ? nextRouter : { ...nextRouter, mode: nextRouter.mode === 'auto' ? 'local' : nextRouter.mode };
    if (endpointChanged) {
      void remote?.dispose();
      remote = remoteSettings.endpoint ? new RemoteModelBackend({ ...remoteSettings, apiKey }) : undefined;
      if (remote) {
        const current = remote;
        current.health.onChange((change) => {
          if (remote !== current) return;
          // Once per change of state, in the log and the status bar.
          connection.console[change.state.state === 'failing' ? 'warn' : 'info'](change.message);
          publish({ remote: change.state.state === 'failing' ? 'failing' : 'ok', message: change.message });
        });
        publish({ remote: 'unknown', message: `Remote model ${remoteSettings.model} at ${new URL(remoteSettings.endpoint).host}: checking.` });
        void current.probe().then(() => {
          // A first success is no change of health (nothing was failing), but the status bar leaves "checking".
          if (remote === current && current.health.state.state === 'ok') {
            publish({ remote: 'ok', message: `Remote model ${remoteSettings.model} at ${new URL(remoteSettings.endpoint).host} answers.` });
          }
        });
      } else {
        publish({ remote: 'off', message: 'No remote endpoint set.' });
      }
    }
    // Statistics and recent outcomes survive a settings change.
    router = file ? new CompletionRouter({ local, remote, file, settings: routerSettings, log: (line) => connection.console.info(line), stats: router?.stats, outcomes: router?.outcomes }) : undefined;
    publish({ mode: routerSettings.mode });
  };

  // Local suggestions shown, by id, so that accepting or rejecting one feeds its document's recent rejections.
  const shown = new Map<string, string>();
  const engineRouter: EngineRouter = {
    async route(candidate: RoutingCandidate, signal: AbortSignal | undefined) {
      if (!router || !remote || routerSettings.mode === 'local') return undefined;
      const { routed, answer } = await routeEngineCandidate(router, candidate, signal, remoteSettings);
      if (routed.source === 'remote' || candidate.text) publish({ lastSource: routed.source });
      return answer;
    },
    suggested(suggestionId, documentId, source) {
      if (source !== 'model' || !suggestionId) return;
      shown.set(suggestionId, documentId);
      if (shown.size > rememberedSuggestions) shown.delete(shown.keys().next().value!);
    },
    event(event) {
      const documentId = shown.get(event.id);
      if (documentId === undefined || (event.kind !== 'accepted' && event.kind !== 'rejected')) return;
      shown.delete(event.id);
      router?.recordOutcome(documentId, event.kind === 'accepted');
    },
  };

  connection.onRequest(routerStatisticsRequest, () => ({ ...(router?.stats.snapshot() ?? emptyStatistics), status }));

  return {
    engineRouter,
    async route(request, options) {
      if (!router) {
        const result = await local.complete(request);
        return { result, source: 'local', decision: { route: 'local', score: null, threshold: null, reason: 'no router file' }, addedLatencyMs: 0, cost: 0 };
      }
      const routed = await router.route(request, options);
      if (routed.result.text) publish({ lastSource: routed.source });
      return routed;
    },
    recordOutcome: (documentId, accepted) => router?.recordOutcome(documentId, accepted),
    configurationChanged() {
      const raw = clientHasConfiguration()
        ? connection.workspace.getConfiguration('cobolAssist').then((value) => value as unknown, () => ({}))
        : Promise.resolve({});
      void raw.then((value) => rebuild(parseRemoteSettings(value), parseRouterSettings(value)));
    },
    get status() {
      return status;
    },
    async dispose() {
      await remote?.dispose();
    },
  };
}

const emptyStatistics = { requests: 0, routedRemote: 0, remoteShare: 0, remoteAnswered: 0, fallbacks: 0, remoteCost: 0, meanAddedLatencyMs: 0, medianAddedLatencyMs: 0 };

function loadRouterFile(path: string, warn: (message: string) => void): RouterFile | undefined {
  try {
    return parseRouterFile(JSON.parse(readFileSync(path, 'utf8')), path);
  } catch (error) {
    warn(`The router file could not be read (${messageOf(error)}); completions stay local.`);
    return undefined;
  }
}
