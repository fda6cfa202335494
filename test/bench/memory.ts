/**
 * Server heap for a 300,000-line workspace. Generated programs and copybooks
 * are written to a temporary folder, which the real server (started with
 * --expose-gc) gets as its workspace folder:
 * 1. the server indexes the workspace in the background; the benchmark knows
 *    it is done when workspace symbols list every program and every
 *    copybook's unique `MK…-MARK` item; then the heap after a full GC is
 *    read through `cobolAssist/stats` (the headline figure);
 * 2. every program is then also opened as a document (the server keeps full
 *    analyses of open documents) and the heap is read again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ServerProcess } from '../integration/serverProcess';

export interface MemoryResult {
  workspaceLines: number;
  programs: number;
  copybooks: number;
  /** Heap (after GC) of the idle server before indexing. */
  baselineHeapMB: number;
  /** Heap (after GC) once the background index holds every file. */
  indexedHeapMB: number;
  indexedRssMB: number;
  indexSeconds: number;
  /** Heap (after GC) with every program also open as a document. */
  allOpenHeapMB: number;
  allOpenRssMB: number;
  openSeconds: number;
  collectedGarbage: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Names that workspace symbols return for `query`. */
async function symbolNames(client: ServerProcess, query: string): Promise<Set<string>> {
  const symbols = (await client.connection.sendRequest('workspace/symbol', { query })) as { name: string }[] | null;
  return new Set((symbols ?? []).map((symbol) => symbol.name.toUpperCase()));
}

export async function measureWorkspaceMemory(options: {
  serverPath: string;
  folder: string;
  programFiles: string[];
  programIds: string[];
  copybookCount: number;
  workspaceLines: number;
  settings: Record<string, unknown>;
  timeoutMs: number;
}): Promise<MemoryResult> {
  const started = Date.now();
  const client = await ServerProcess.start({
    serverPath: options.serverPath,
    workspaceFolder: options.folder,
    settings: options.settings,
    nodeArgs: ['--expose-gc'],
  });
  try {
    const baseline = await client.stats(true);
    // 1. Background indexing of the workspace folder.
    for (;;) {
      const programs = await symbolNames(client, 'GENP');
      const marks = [...(await symbolNames(client, 'MK'))].filter((name) => /^MK[CNT]\d+-MARK$/.test(name));
      if (options.programIds.every((id) => programs.has(id)) && marks.length >= options.copybookCount) break;
      if (Date.now() - started > options.timeoutMs) {
        throw new Error(`the server indexed ${options.programIds.filter((id) => programs.has(id)).length}/${options.programIds.length} programs and ${marks.length}/${options.copybookCount} copybooks within ${options.timeoutMs / 1000} s`);
      }
      await sleep(250);
    }
    const indexSeconds = (Date.now() - started) / 1000;
    const indexed = await client.stats(true);

    // 2. Every program open as a document, a few at a time, diagnostics awaited.
    const openStarted = Date.now();
    const batch = 5;
    for (let i = 0; i < options.programFiles.length; i += batch) {
      await Promise.all(options.programFiles.slice(i, i + batch).map(async (file) => {
        const uri = pathToFileURL(join(options.folder, file)).href;
        const published = client.waitForDiagnostics((p) => p.uri === uri, 120_000);
        await client.open(uri, readFileSync(join(options.folder, file), 'utf8'));
        await published;
      }));
    }
    const openSeconds = (Date.now() - openStarted) / 1000;
    const allOpen = await client.stats(true);
    return {
      workspaceLines: options.workspaceLines,
      programs: options.programFiles.length,
      copybooks: options.copybookCount,
      baselineHeapMB: baseline.heapUsedMB,
      indexedHeapMB: indexed.heapUsedMB,
      indexedRssMB: indexed.rssMB,
      indexSeconds,
      allOpenHeapMB: allOpen.heapUsedMB,
      allOpenRssMB: allOpen.rssMB,
      openSeconds,
      collectedGarbage: indexed.collectedGarbage && allOpen.collectedGarbage,
    };
  } finally {
    await client.stop();
  }
}
