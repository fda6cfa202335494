/**
 * `npm run bench:frontend`: the figures of issue 3 in one run.
 * - throughput (parse + index) of a generated ≥100,000-line program and of
 *   the fixture corpus, in lines/s, against `cobc -fsyntax-only` on the same
 *   files in the same run (cobcRatio = ours ÷ cobc's);
 * - edit latency of the real server on a 10,000-line program (p50, p95);
 * - server heap and RSS after indexing a 300,000-line workspace;
 * - conformance: on the programs cobc accepts, the share with zero errors
 *   from us, on the project's fixtures and on every `--real DIR` given
 *   (`--projects`: each subfolder of DIR is a project with its own
 *   copybooks), e.g. `npm run bench:frontend -- --real ~/cobol --projects`.
 * Prints the figures and writes bench-results/frontend.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { measureEditLatency } from './editLatency';
import { GeneratedSources, generateProgram, generateWorkspace } from './generateCobol';
import { median, round, timeCommand } from './measure';
import { measureWorkspaceMemory } from './memory';
import { formatConformance } from '../../server/cli/conformance';
import { measureConformance } from './conformance';
import { cobcAccepted, cobcAvailable, fixtureCorpus, measureThroughput } from './throughput';

const root = resolve(process.argv[2] ?? process.cwd());
const extra = process.argv.slice(3);
const realFolders = extra.flatMap((argument, i) => (argument === '--real' && extra[i + 1] ? [resolve(process.env.INIT_CWD ?? process.cwd(), extra[i + 1])] : []));
const realProjects = extra.includes('--projects');
const serverPath = join(root, 'dist/server.js');
const cliPath = join(root, 'dist/cli.js');
const goals = { linesPerSecond: 200_000, cobcRatio: 2, editLatencyP95Ms: 100, heapMB300k: 200, zeroErrorShare: 0.99 };

function writeSources(folder: string, sources: GeneratedSources): { programs: string[]; copybookFolder: string } {
  const copybookFolder = join(folder, 'copybooks');
  mkdirSync(copybookFolder, { recursive: true });
  for (const copybook of sources.copybooks) writeFileSync(join(copybookFolder, copybook.fileName), copybook.text);
  for (const program of sources.programs) writeFileSync(join(folder, program.fileName), program.text);
  return { programs: sources.programs.map((p) => p.fileName), copybookFolder };
}

const log = (line: string) => console.log(line);
const fmt = (n: number | null) => (n === null ? 'n/a' : Math.round(n).toLocaleString('en-US'));

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'cobol-assist-bench-'));
  const started = Date.now();
  // The machine may be shared: the load says how much to trust the figures.
  const loadAtStart = loadavg()[0];
  log(`machine: ${cpus().length} CPUs, load average ${loadAtStart.toFixed(1)}`);
  try {
    const withCobc = cobcAvailable();
    if (!withCobc) log('cobc not found: cobc figures are left out (install gnucobol3).');

    // (a) throughput
    const bigFolder = join(work, 'big');
    const big = generateProgram({ seed: 20261129, programLines: 100_000 });
    const bigFiles = writeSources(bigFolder, big);
    const generated = measureThroughput(
      { label: 'generated program', files: bigFiles.programs.map((f) => ({ path: join(bigFolder, f), copybookPaths: [bigFiles.copybookFolder] })) },
      5,
      withCobc,
    );
    const allFixtures = fixtureCorpus(root);
    const corpus = measureThroughput(allFixtures, 5, false);
    const cobcCorpus = withCobc ? cobcAccepted(allFixtures) : undefined;
    const corpusVsCobc = cobcCorpus ? measureThroughput(cobcCorpus.accepted, 5, true) : undefined;
    if (cobcCorpus?.rejected.length) {
      log(`cobc rejects ${cobcCorpus.rejected.length} of ${allFixtures.files.length} fixture programs (EXEC SQL/CICS without a precompiler, extensions); they are left out of the cobc comparison: ${cobcCorpus.rejected.map((f) => f.slice(root.length + 1)).join(', ')}`);
    }
    for (const r of [generated, corpus, ...(corpusVsCobc ? [corpusVsCobc] : [])]) {
      log(`${r.label}: ${r.files} files, ${fmt(r.lines)} lines: ${fmt(r.ourLinesPerSecond)} lines/s (median of 5: ${round(r.ourMs)} ms; best ${fmt(r.ourBestLinesPerSecond)} lines/s)` +
        (r.cobcLinesPerSecond === null ? '' : `; cobc ${fmt(r.cobcLinesPerSecond)} lines/s (${round(r.cobcMs!)} ms); ratio ${round(r.ratio!, 2)}`) +
        (r.cobcFailures.length ? `; cobc rejected ${r.cobcFailures.length}` : ''));
    }
    // The whole command, process start included, on the same generated program.
    const cliRuns = [0, 1, 2].map(() => timeCommand(process.execPath, [cliPath, 'check', join(bigFolder, bigFiles.programs[0]), '-I', bigFiles.copybookFolder]));
    const cliMs = median(cliRuns.map((r) => r.ms));
    log(`cobol-assist check (whole process) on the generated program: ${round(cliMs)} ms = ${fmt(generated.lines / (cliMs / 1000))} lines/s`);

    // (b) edit latency
    const editFolder = join(work, 'edit');
    const ten = generateProgram({ seed: 7, programLines: 10_000 });
    const tenFiles = writeSources(editFolder, ten);
    const settings = { sourceFormat: 'auto', copybookPaths: ['copybooks'], diagnostics: { checkSequenceArea: false } };
    const edits = await measureEditLatency({
      serverPath,
      folder: editFolder,
      fileName: tenFiles.programs[0],
      text: ten.programs[0].text,
      programLines: ten.programs[0].lineCount,
      edits: 80,
      warmupEdits: 5,
      settings,
    });
    log(`edit latency (${fmt(edits.programLines)}-line program, ${edits.edits} edits): p50 ${round(edits.p50Ms)} ms, p95 ${round(edits.p95Ms)} ms, max ${round(edits.maxMs)} ms; first diagnostics after open ${round(edits.firstDiagnosticsMs)} ms`);
    log(`  by kind: ${Object.entries(edits.byKind).map(([kind, k]) => `${kind} p95 ${round(k.p95Ms)} ms (${k.edits})`).join(', ')}`);
    const structural = Object.entries(edits.byKind).filter(([kind]) => kind !== 'literal').map(([, k]) => k.p95Ms);
    const structuralP95 = Math.max(...structural);

    // (c) memory
    const workspaceFolder = join(work, 'workspace');
    const workspace = generateWorkspace(300, 300_000, 10_000);
    const workspaceFiles = writeSources(workspaceFolder, workspace);
    const workspaceLines = workspace.programs.reduce((sum, p) => sum + p.lineCount, 0);
    const memory = await measureWorkspaceMemory({
      serverPath,
      folder: workspaceFolder,
      programFiles: workspaceFiles.programs,
      programIds: workspace.programs.map((p) => p.fileName.replace(/\.cbl$/, '')),
      copybookCount: workspace.copybooks.length,
      workspaceLines,
      settings,
      timeoutMs: 240_000,
    });
    log(`memory: ${fmt(memory.workspaceLines)}-line workspace (${memory.programs} programs, ${memory.copybooks} copybooks), heap after full GC: ` +
      `${memory.indexedHeapMB} MB once the server's background index holds every file (${round(memory.indexSeconds)} s; idle server ${memory.baselineHeapMB} MB; RSS ${memory.indexedRssMB} MB); ` +
      `${memory.allOpenHeapMB} MB with all ${memory.programs} programs also open as documents (RSS ${memory.allOpenRssMB} MB)`);

    // (d) conformance: false errors on code cobc accepts
    const conformanceRuns = [
      measureConformance(join(root, 'test/fixtures'), { projects: false, cache: true, root, exclude: ['invalid', 'precompiler-stubs'] }),
      ...realFolders.map((folder) => measureConformance(folder, { projects: realProjects, cache: true, root })),
    ];
    for (const run of conformanceRuns) log(`${run.folder}:\n${formatConformance(run.summary)}`);
    const allErrors: Record<string, number> = {};
    for (const run of conformanceRuns) for (const [code, n] of Object.entries(run.summary.errorsByCode)) allErrors[code] = (allErrors[code] ?? 0) + n;
    const accepted = conformanceRuns.reduce((sum, run) => sum + (run.summary.cobcAccepted ?? 0), 0);
    const zero = conformanceRuns.reduce((sum, run) => sum + (run.summary.zeroErrorPrograms ?? 0), 0);
    const conformance = {
      programs: conformanceRuns.reduce((sum, run) => sum + run.summary.programs, 0),
      cobcAccepted: withCobc ? accepted : null,
      zeroErrorShare: withCobc ? (accepted === 0 ? 1 : round(zero / accepted, 4)) : null,
      errorsByCode: allErrors,
      byFolder: conformanceRuns.map((run) => ({ folder: run.folder.startsWith(root) ? run.folder.slice(root.length + 1) : run.folder, ...run.summary })),
    };

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: { start: round(loadAtStart, 2), end: round(loadavg()[0], 2) },
      linesPerSecond: Math.round(generated.ourLinesPerSecond),
      cobcRatio: generated.ratio === null ? null : round(generated.ratio, 2),
      editLatencyP50Ms: round(edits.p50Ms),
      editLatencyP95Ms: round(edits.p95Ms),
      editLatencyStructuralP95Ms: round(structuralP95),
      heapMB300k: memory.indexedHeapMB,
      rssMB300k: memory.indexedRssMB,
      heapMB300kAllOpen: memory.allOpenHeapMB,
      rssMB300kAllOpen: memory.allOpenRssMB,
      conformance,
      goals,
      met: {
        linesPerSecond: generated.ourLinesPerSecond >= goals.linesPerSecond,
        editLatencyP95Ms: edits.p95Ms <= goals.editLatencyP95Ms && structuralP95 <= goals.editLatencyP95Ms,
        cobcRatio: generated.ratio !== null && generated.ratio >= goals.cobcRatio,
        zeroErrorShare: conformance.zeroErrorShare !== null && conformance.zeroErrorShare >= goals.zeroErrorShare,
        heapMB300k: memory.indexedHeapMB <= goals.heapMB300k,
      },
      throughput: {
        generated: { ...generated, cobcFailures: generated.cobcFailures.length },
        corpus,
        corpusVsCobc: corpusVsCobc ? { ...corpusVsCobc, cobcRejectedLeftOut: cobcCorpus!.rejected.map((f) => f.slice(root.length + 1)) } : null,
        cliWholeProcessMs: round(cliMs),
      },
      editLatency: edits,
      memory,
      seconds: round((Date.now() - started) / 1000),
    };
    mkdirSync(join(root, 'bench-results'), { recursive: true });
    writeFileSync(join(root, 'bench-results/frontend.json'), JSON.stringify(results, null, 2) + '\n');
    log(`goals: ${Object.entries(results.met).map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`).join(', ')}`);
    log(`wrote bench-results/frontend.json in ${results.seconds} s`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`bench:frontend failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
