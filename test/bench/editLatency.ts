/**
 * Edit latency of the real server: a 10,000-line program is opened in
 * dist/server.js (a child process over stdio), then edits are
 * sent as incremental didChange notifications, one at a time (typing in a
 * literal, a new paragraph, a changed level number, a COPY removed; see
 * editPlan); each is timed
 * from sending the change to the publishDiagnostics for that version.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ServerProcess } from '../integration/serverProcess';
import { percentile, median } from './measure';

export interface EditLatencyResult {
  programLines: number;
  edits: number;
  firstDiagnosticsMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Diagnostics published for the last version (every edit is undone by the next of its kind). */
  lastDiagnosticCount: number;
  /** The same figures per kind of edit. */
  byKind: Record<EditKind, { edits: number; p50Ms: number; p95Ms: number }>;
}

/**
 * Kinds of edit, taken in turn: a character in a literal (typing), a new
 * paragraph (a name in Area A before a statement), a changed level number
 * (the data hierarchy moves), a COPY removed (the copied names go). Each
 * edit is undone by the next edit of its kind, so the program returns to
 * valid, and every edit stays on one line, so the other sites keep their
 * line numbers.
 */
export type EditKind = 'literal' | 'paragraph' | 'level' | 'copy';

interface PlannedEdit {
  kind: EditKind;
  line: number;
  start: number;
  end: number;
  text: string;
}

export function editPlan(text: string, count: number): PlannedEdit[] {
  const lines = text.split('\n');
  const sites: Record<EditKind, { line: number; start: number; end: number; original: string; changed: (k: number) => string }[]> = {
    literal: [], paragraph: [], level: [], copy: [],
  };
  lines.forEach((line, index) => {
    const quote = line.indexOf('MOVE "');
    if (quote > 0 && quote < 60) {
      sites.literal.push({ line: index, start: quote + 6, end: quote + 7, original: line[quote + 6], changed: () => (line[quote + 6] === 'Q' ? 'R' : 'Q') });
      if (quote === 11 && line.slice(7, 11) === '    ') {
        sites.paragraph.push({ line: index, start: 7, end: 11, original: '    ', changed: (k) => `Q${(k % 36).toString(36).toUpperCase()}. ` });
      }
    }
    const level = /^.{7}( +)05( +)[A-Z0-9-]+ +PIC /.exec(line);
    if (level) {
      const at = 7 + level[1].length;
      sites.level.push({ line: index, start: at, end: at + 2, original: '05', changed: () => '07' });
    }
    const copy = /^.{7}(COPY [A-Z0-9-]+\.)/.exec(line);
    if (copy) sites.copy.push({ line: index, start: 7, end: 7 + copy[1].length, original: copy[1], changed: () => ' '.repeat(copy[1].length) });
  });
  for (const [kind, list] of Object.entries(sites)) {
    if (list.length === 0) throw new Error(`no site for a ${kind} edit in the generated program`);
  }
  const kinds: EditKind[] = ['literal', 'paragraph', 'level', 'copy'];
  const plan: PlannedEdit[] = [];
  // Pairs of (change, undo) per kind, the kinds interleaved: literal, literal-undo, paragraph, paragraph-undo, …
  for (let pair = 0; plan.length < count; pair++) {
    const kind = kinds[pair % kinds.length];
    const list = sites[kind];
    const site = list[Math.floor(pair / kinds.length) % list.length];
    const changed = site.changed(pair);
    plan.push({ kind, line: site.line, start: site.start, end: site.start + site.original.length, text: changed });
    plan.push({ kind, line: site.line, start: site.start, end: site.start + changed.length, text: site.original });
  }
  return plan.slice(0, count);
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
  const client = await ServerProcess.start({ serverPath: options.serverPath, workspaceFolder: options.folder, settings: options.settings });
  try {
    const uri = pathToFileURL(join(options.folder, options.fileName)).href;
    const openedAt = performance.now();
    const first = client.waitForDiagnostics((p) => p.uri === uri);
    await client.open(uri, options.text, 1);
    const firstDiagnosticsMs = (await first).at - openedAt;

    const edits = editPlan(options.text, options.warmupEdits + options.edits);
    const latencies: number[] = [];
    const byKind: Record<EditKind, number[]> = { literal: [], paragraph: [], level: [], copy: [] };
    let version = 1;
    let lastDiagnosticCount = 0;
    for (let e = 0; e < edits.length; e++) {
      const edit = edits[e];
      version++;
      const expected = version;
      const published = client.waitForDiagnostics((p) => p.uri === uri && (p.version === undefined || p.version === expected));
      const sentAt = performance.now();
      await client.change(uri, expected, { start: { line: edit.line, character: edit.start }, end: { line: edit.line, character: edit.end } }, edit.text);
      const arrived = await published;
      if (e >= options.warmupEdits) {
        latencies.push(arrived.at - sentAt);
        byKind[edit.kind].push(arrived.at - sentAt);
      }
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
      byKind: Object.fromEntries(
        Object.entries(byKind).map(([kind, values]) => [kind, { edits: values.length, p50Ms: median(values), p95Ms: percentile(values, 95) }]),
      ) as EditLatencyResult['byKind'],
    };
  } finally {
    await client.stop();
  }
}
