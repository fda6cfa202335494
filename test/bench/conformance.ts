/**
 * Conformance on a folder of real code: every program analysed by the same
 * front end `cobol-assist check` uses and compiled by `cobc -fsyntax-only`
 * (as it is, then with -std=ibm); on the programs cobc accepts, the share
 * with zero errors from us, errors by code and the worst files
 * (server/cli/conformance.ts).
 *
 * Copybooks: a folder of real code usually holds several projects, each with
 * its own copybook folders. With `--projects`, each top-level subfolder of
 * DIR is one project; otherwise DIR is one. Every folder of a project that
 * holds a file is searched for copybooks, by us and by cobc alike.
 *
 * cobc's verdicts are cached in .run/conformance-cobc.json by file content
 * and arguments (`--no-cache` re-runs cobc): compiling a thousand programs
 * twice takes minutes, analysing them takes seconds.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { cobcAcceptance, cobcVersion } from '../../server/cli/cobc';
import { summariseConformance, type CobcVerdict, type ConformanceEntry, type ConformanceSummary } from '../../server/cli/conformance';
import { createChecker } from '../../server/cli/frontEnd';
import { defaultSettings } from '../../server/settings';

const programExtensions = /\.(?:cbl|cob|cobol)$/i;

export interface ConformanceOptions {
  /** Each top-level subfolder is a project with its own copybook folders. */
  projects: boolean;
  cache: boolean;
  /** Where the cache lives (the repository root's .run/). */
  root: string;
  /** Folders never searched for programs (deliberately invalid fixtures, precompiler stubs). */
  exclude?: readonly string[];
}

export interface ConformanceRun {
  folder: string;
  summary: ConformanceSummary;
  entries: ConformanceEntry[];
  cobc: string | undefined;
  seconds: number;
}

export function measureConformance(folder: string, options: ConformanceOptions): ConformanceRun {
  const started = Date.now();
  const version = cobcVersion();
  const cachePath = join(options.root, '.run/conformance-cobc.json');
  const cache: Record<string, CobcVerdict> = options.cache && existsSync(cachePath) ? JSON.parse(readFileSync(cachePath, 'utf8')) : {};
  const projects = options.projects
    ? readdirSync(folder, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(folder, e.name)).sort()
    : [folder];
  const entries: ConformanceEntry[] = [];
  for (const project of projects) {
    const { programs, folders } = listProject(project, options.exclude ?? []);
    const checker = createChecker({ ...defaultSettings, copybookPaths: folders }, project);
    for (const program of programs) {
      const checked = checker.check(program);
      const file = relative(folder, program);
      const errors = checked.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => ({ ...d, file: d.file.startsWith('/') ? relative(folder, d.file) : d.file }));
      let verdict: CobcVerdict = 'unavailable';
      if (version) {
        const key = createHash('sha256').update(readFileSync(program)).update(`\0${version}\0fixed,free;default,ibm\0${folders.map((f) => relative(folder, f)).join('\0')}`).digest('hex');
        verdict = cache[key] ?? (() => {
          const { dialect } = cobcAcceptance(program, { includeFolders: folders });
          return (cache[key] = dialect ?? 'rejected');
        })();
      }
      entries.push({ file, lines: checked.lines, cobc: verdict, errors: errors.map((e) => ({ ...e, file: e.file === program ? file : e.file })) });
    }
  }
  if (options.cache && version) {
    mkdirSync(dirname(cachePath), { recursive: true });
    writeFileSync(cachePath, JSON.stringify(cache));
  }
  return { folder, summary: summariseConformance(entries, 15), entries, cobc: version, seconds: (Date.now() - started) / 1000 };
}

/** The programs of a project and every folder of it that holds a file (copybook search paths). */
function listProject(project: string, exclude: readonly string[]): { programs: string[]; folders: string[] } {
  const programs: string[] = [];
  const folders: string[] = [];
  const walk = (current: string) => {
    let holdsFile = false;
    const entries = readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && !exclude.includes(entry.name)) walk(path);
      } else if (entry.isFile()) {
        holdsFile = true;
        if (programExtensions.test(entry.name)) programs.push(path);
      }
    }
    if (holdsFile) folders.push(current);
  };
  walk(project);
  return { programs, folders };
}
