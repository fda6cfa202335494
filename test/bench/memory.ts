/**
 * Server heap after indexing a 300,000-line workspace: generated programs and
 * copybooks are written to a temporary workspace folder, the real server
 * (started with --expose-gc) gets that folder and opens every program as a
 * document, and once every program has its diagnostics the server reports
 * its heap after a full garbage collection through `cobolAssist/stats`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lspClient';

export interface MemoryResult {
  workspaceLines: number;
  programs: number;
  copybooks: number;
  /** Heap (after GC) of the idle server before any document. */
  baselineHeapMB: number;
  /** Heap (after GC) once every program is indexed. */
  heapMB: number;
  rssMB: number;
  collectedGarbage: boolean;
  indexSeconds: number;
  /** How the workspace reached the server. */
  method: string;
}

export async function measureWorkspaceMemory(options: {
  serverPath: string;
  folder: string;
  programFiles: string[];
  copybookCount: number;
  workspaceLines: number;
  settings: Record<string, unknown>;
}): Promise<MemoryResult> {
  const client = await LspClient.start({
    serverPath: options.serverPath,
    workspaceFolder: options.folder,
    settings: options.settings,
    nodeArgs: ['--expose-gc'],
  });
  try {
    const baseline = await client.stats(true);
    const started = Date.now();
    // Open the programs a few at a time, as a user with many tabs would,
    // and wait for each batch's diagnostics before the next.
    const batch = 5;
    for (let i = 0; i < options.programFiles.length; i += batch) {
      const waits = options.programFiles.slice(i, i + batch).map(async (file) => {
        const uri = pathToFileURL(join(options.folder, file)).href;
        const published = client.waitForDiagnostics((p) => p.uri === uri, 120_000);
        await client.open(uri, readFileSync(join(options.folder, file), 'utf8'));
        await published;
      });
      await Promise.all(waits);
    }
    const indexSeconds = (Date.now() - started) / 1000;
    const after = await client.stats(true);
    return {
      workspaceLines: options.workspaceLines,
      programs: options.programFiles.length,
      copybooks: options.copybookCount,
      baselineHeapMB: baseline.heapUsedMB,
      heapMB: after.heapUsedMB,
      rssMB: after.rssMB,
      collectedGarbage: after.collectedGarbage,
      indexSeconds,
      method: 'every program opened as a document (didOpen), diagnostics awaited',
    };
  } finally {
    await client.stop();
  }
}
