/**
 * COBOL Assist: Show Router Statistics: what the router did since the server
 * started (share sent remote, remote cost, latency added, fallbacks), in the
 * log and a message.
 */
import * as vscode from 'vscode';
import { routerStatisticsRequest } from '../server/protocol';
import type { ServerClient } from './serverClient';

export function routerStatisticsCommand(client: ServerClient, log: vscode.LogOutputChannel): () => Promise<void> {
  return async () => {
    const stats = await client.request(routerStatisticsRequest);
    if (!stats) {
      void vscode.window.showInformationMessage('COBOL Assist: the language server is not running.');
      return;
    }
    const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
    const text = `Router (mode ${stats.status.mode}): ${stats.requests} suggestion(s), ${stats.routedRemote} sent remote (${percent(stats.remoteShare)}), `
      + `${stats.remoteAnswered} answered remotely, ${stats.fallbacks} fell back to local; remote cost ${stats.remoteCost.toFixed(4)}; `
      + `latency added per routed request: mean ${stats.meanAddedLatencyMs} ms, median ${stats.medianAddedLatencyMs} ms. Remote: ${stats.status.remote}. ${stats.status.message}`;
    log.info(text);
    void vscode.window.showInformationMessage(text);
  };
}
