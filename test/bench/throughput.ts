/**
 * Throughput of the front end (read, preprocess, parse, semantic model and
 * the workspace summary the index keeps, per file) against `cobc -fsyntax-only` on the same
 * files in the same run: the generated 100,000-line program and the whole
 * fixture corpus.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countLines } from '../../server/cli/frontEnd';
import { analyseProgram, FileSystemCopybookResolver, nodeFileSystem, summarise } from '../../server/cobol/index';
import { defaultSettings } from '../../server/settings';
import { corpusFiles } from '../fixtures/corpus/corpusFiles';
import { median, time, timeCommand } from './measure';

export interface ThroughputResult {
  label: string;
  files: number;
  lines: number;
  /** Median milliseconds of one pass over all files, in process. */
  ourMs: number;
  ourLinesPerSecond: number;
  /** The fastest pass, for the machine's capability when it is shared and noisy. */
  ourBestLinesPerSecond: number;
  /** Median milliseconds of cobc over all files (one cobc process per file, as a build runs it). */
  cobcMs: number | null;
  cobcLinesPerSecond: number | null;
  /** Files cobc rejected (they still count: it parsed them). */
  cobcFailures: string[];
  ratio: number | null;
}

export interface FileSet {
  label: string;
  /** Each file with the copybook folders it is analysed (and compiled) with. */
  files: { path: string; copybookPaths: string[] }[];
}

export function cobcAvailable(): boolean {
  return timeCommand('cobc', ['--version']).ok;
}

export function measureThroughput(set: FileSet, repetitions: number, withCobc: boolean): ThroughputResult {
  // A checker per file: each program gets its own copybook folders (and a cold resolver cache, like cobc).
  // What the server does per file: read, analyse (copybooks included) and make the workspace index's summary.
  const run = () => {
    let lines = 0;
    for (const file of set.files) {
      const resolver = new FileSystemCopybookResolver(nodeFileSystem, { workspaceRoot: '/', searchPaths: file.copybookPaths });
      const text = readFileSync(file.path, 'utf8');
      summarise(analyseProgram({ id: file.path, text, resolver, settings: { sourceFormat: defaultSettings.sourceFormat } }));
      lines += countLines(text);
    }
    return lines;
  };
  // Warm-up pass: JIT and file cache, as in a long-running server.
  const lines = run();
  const ours: number[] = [];
  for (let r = 0; r < repetitions; r++) ours.push(time(run));
  const ourMs = median(ours);

  let cobcMs: number | null = null;
  const cobcFailures = new Set<string>();
  if (withCobc) {
    const runs: number[] = [];
    for (let r = 0; r < Math.max(1, Math.min(repetitions, 3)); r++) {
      let total = 0;
      for (const file of set.files) {
        const include = file.copybookPaths.flatMap((path) => ['-I', path]);
        const result = timeCommand('cobc', ['-fsyntax-only', ...include, file.path]);
        total += result.ms;
        if (!result.ok) cobcFailures.add(file.path);
      }
      runs.push(total);
    }
    cobcMs = median(runs);
  }
  const ourLinesPerSecond = lines / (ourMs / 1000);
  const ourBestLinesPerSecond = lines / (Math.min(...ours) / 1000);
  const cobcLinesPerSecond = cobcMs === null ? null : lines / (cobcMs / 1000);
  return {
    label: set.label,
    files: set.files.length,
    lines,
    ourMs,
    ourLinesPerSecond,
    ourBestLinesPerSecond,
    cobcMs,
    cobcLinesPerSecond,
    cobcFailures: [...cobcFailures],
    ratio: cobcLinesPerSecond === null ? null : ourLinesPerSecond / cobcLinesPerSecond,
  };
}

/**
 * The files of `set` that cobc accepts, and those it rejects (EXEC SQL/CICS
 * programs without a precompiler, dialect extensions): a rejected file stops
 * cobc early, so timing it would flatter cobc.
 */
export function cobcAccepted(set: FileSet): { accepted: FileSet; rejected: string[] } {
  const rejected: string[] = [];
  const files = set.files.filter((file) => {
    const include = file.copybookPaths.flatMap((path) => ['-I', path]);
    const ok = timeCommand('cobc', ['-fsyntax-only', ...include, file.path]).ok;
    if (!ok) rejected.push(file.path);
    return ok;
  });
  return { accepted: { label: `${set.label} (files cobc accepts)`, files }, rejected };
}

/**
 * Every program of the fixture corpus (its manifest's list) and of the
 * sample workspace; each program is analysed with the copybook folders of
 * its own tree, as cobc is.
 */
export function fixtureCorpus(root: string): FileSet {
  const corpus = corpusFiles(join(root, 'test/fixtures/corpus'));
  const files: FileSet['files'] = corpus.programs.map((program) => ({ path: program.path, copybookPaths: corpus.copybookFolders }));
  const workspace = join(root, 'test/fixtures/workspace');
  if (existsSync(workspace)) {
    const copybooks = join(workspace, 'copybooks');
    for (const entry of readdirSync(workspace).sort()) {
      if (/\.(cbl|cob|cobol)$/i.test(entry)) files.push({ path: join(workspace, entry), copybookPaths: existsSync(copybooks) ? [copybooks] : [] });
    }
  }
  return { label: 'fixture corpus', files };
}
