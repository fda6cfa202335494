/**
 * Edit latency of the real server: a 10,000-line program is opened in
 * dist/server.js (a child process over stdio), then one-character edits are
 * sent as incremental didChange notifications, one at a time; each is timed
 * from sending the change to the publishDiagnostics for that version.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { LspClient } from './lspClient';
import { percentile, median } from './measure';

export interface EditLatencyResult {
  programLines: number;
  edits: number;
  firstDiagnosticsMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Diagnostics published for the last version (the program stays valid: expect few or none). */
  lastDiagnosticCount: number;
}

export async function measureEditLatency(options: {
  serverPath: string;
  folder: string;
  fileName: string;
  text: string;
  programLines: number;
  edits: number;
  warmupEdits: number;
  settings: Record<string, unknown>;
}): Promise<EditLatencyResult> {
  const client = await LspClient.start({ serverPath: options.serverPath, workspaceFolder: options.folder, settings: options.settings });
  try {
    const uri = pathToFileURL(join(options.folder, options.fileName)).href;
    const openedAt = performance.now();
    const first = client.waitForDiagnostics((p) => p.uri === uri);
    await client.open(uri, options.text, 1);
    const firstDiagnosticsMs = (await first).at - openedAt;

    // Edit sites: one character inside string literals spread over the program,
    // toggled between two letters so the program stays valid and the edits are real.
    const lines = options.text.split('\n');
    const sites: { line: number; character: number; original: string }[] = [];
    lines.forEach((line, index) => {
      const quote = line.indexOf('MOVE "');
      if (quote > 0 && quote < 60) sites.push({ line: index, character: quote + 6, original: line[quote + 6] });
    });
    if (sites.length === 0) throw new Error('no edit site (MOVE "literal") in the generated program');

    const latencies: number[] = [];
    let version = 1;
    let lastDiagnosticCount = 0;
    const total = options.warmupEdits + options.edits;
    for (let e = 0; e < total; e++) {
      const site = sites[Math.floor((e * sites.length) / total)];
      const toggled = e % 2 === 0 ? (site.original === 'Q' ? 'R' : 'Q') : site.original;
      version++;
      const expected = version;
      const published = client.waitForDiagnostics((p) => p.uri === uri && (p.version === undefined || p.version === expected));
      const sentAt = performance.now();
      await client.change(uri, expected, [{
        range: { start: { line: site.line, character: site.character }, end: { line: site.line, character: site.character + 1 } },
        text: toggled,
      }]);
      const arrived = await published;
      if (e >= options.warmupEdits) latencies.push(arrived.at - sentAt);
      lastDiagnosticCount = arrived.params.diagnostics.length;
      // The next edit after a short pause, like typing, so debouncing does not merge them.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return {
      programLines: options.programLines,
      edits: latencies.length,
      firstDiagnosticsMs,
      p50Ms: median(latencies),
      p95Ms: percentile(latencies, 95),
      maxMs: Math.max(...latencies),
      lastDiagnosticCount,
    };
  } finally {
    await client.stop();
  }
}
