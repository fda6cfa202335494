/**
 * Answers the `cobolAssist/stats` request with the server process's memory
 * figures, so benchmarks and users can see the heap the index really costs
 * (measured inside the process, after a full collection when possible).
 */
import type { Connection } from 'vscode-languageserver/node';
import { ServerStats, serverStatsRequest } from '../protocol';

const megabytes = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

export function registerStats(connection: Connection, openDocuments: () => number): void {
  const started = Date.now();
  connection.onRequest(serverStatsRequest, (params): ServerStats => {
    // `gc` exists only when Node runs with --expose-gc (as the benchmark starts it).
    const gc = (globalThis as { gc?: () => void }).gc;
    const collectedGarbage = params?.collectGarbage === true && typeof gc === 'function';
    if (collectedGarbage) gc!();
    const memory = process.memoryUsage();
    return {
      heapUsedMB: megabytes(memory.heapUsed),
      heapTotalMB: megabytes(memory.heapTotal),
      rssMB: megabytes(memory.rss),
      externalMB: megabytes(memory.external),
      collectedGarbage,
      openDocuments: openDocuments(),
      uptimeMs: Date.now() - started,
    };
  });
}
