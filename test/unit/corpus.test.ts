/**
 * Checks the project's hand-written COBOL corpus (test/fixtures/corpus):
 * the manifest lists exactly the files on disk, its derived facts match
 * the sources, the corpus covers every construct the front end handles,
 * and every program the manifest marks as GnuCOBOL-compatible really
 * passes `cobc -fsyntax-only` (the invalid fixtures really fail it).
 * Programs with EXEC SQL / EXEC CICS are compiled too, after
 * exec-stubs.mjs has replaced their EXEC blocks, so the COBOL around
 * the blocks is checked even without a precompiler.
 *
 * Without cobc on PATH the compile checks are skipped with a message,
 * except under CI, where a missing cobc is a failure.
 */
import { cobcArguments, cobcMissingMessage, cobcVersion } from '../../server/cli/cobc';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stubExecBlocks } from '../fixtures/corpus/exec-stubs.mjs';
import {
  copybookFormat,
  copyStatements,
  detectFeatures,
  detectFormat,
  type SourceFormat,
} from '../fixtures/corpus/features.mjs';

interface ProgramEntry {
  file: string;
  format: SourceFormat;
  lines: number;
  features: string[];
  copybooks: string[];
  copybooksTransitive: string[];
  cobc: boolean;
  cobcFlags: string[];
  cobcReason?: string;
  cobcStripLines?: number[];
  cobcWithExecStubs?: boolean;
}
interface CopybookEntry {
  file: string;
  format: SourceFormat;
  lines: number;
  kind: string;
  template: boolean;
  formatNeutral: boolean;
  copies: string[];
  usedBy: string[];
}
interface InvalidEntry {
  file: string;
  lines: number;
  expected: { line: number; problem: string; detail: string }[];
  cobcRejects: boolean;
}
interface Manifest {
  programs: ProgramEntry[];
  copybooks: CopybookEntry[];
  invalid: InvalidEntry[];
}

const CORPUS = join(__dirname, '..', 'fixtures', 'corpus');
const COPYBOOKS = join(CORPUS, 'copybooks');
const INVALID_COPYBOOKS = join(CORPUS, 'invalid', 'copybooks');
const PRECOMPILER_STUBS = join(CORPUS, 'precompiler-stubs');
const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as Manifest;

/** Constructs issue 3 asks the corpus to cover; each must appear in at least one program. */
const REQUIRED_FEATURES = [
  'identification-division', 'environment-division', 'data-division', 'procedure-division',
  'author', 'installation', 'date-written', 'remarks',
  'select-assign', 'org-sequential', 'org-line-sequential', 'org-indexed', 'org-relative',
  'access-sequential', 'access-random', 'access-dynamic', 'record-key', 'alternate-key', 'relative-key', 'file-status',
  'file-section', 'fd', 'sd', 'working-storage', 'local-storage', 'linkage-section',
  'level-01', 'level-nested-groups', 'level-49', 'level-66-renames', 'renames-thru', 'level-77', 'level-88',
  'level-88-value-list', 'level-88-thru', 'level-88-false',
  'pic-9', 'pic-x', 'pic-a', 'pic-s', 'pic-v', 'pic-p',
  'edit-z', 'edit-asterisk', 'edit-currency', 'edit-comma', 'edit-period', 'edit-plus', 'edit-minus',
  'edit-cr', 'edit-db', 'edit-b', 'edit-zero-insert', 'edit-slash',
  'usage-display', 'comp', 'comp-1', 'comp-2', 'comp-3', 'comp-4', 'comp-5', 'binary', 'packed-decimal',
  'usage-pointer', 'usage-index',
  'value', 'occurs', 'occurs-depending', 'indexed-by', 'ascending-key', 'descending-key', 'occurs-2-dim',
  'redefines', 'sign-leading-separate', 'sign-trailing-separate', 'justified', 'sync', 'blank-when-zero',
  'procedure-using', 'procedure-returning', 'declaratives', 'procedure-sections',
  'move', 'corresponding', 'qualified-reference', 'compute', 'rounded', 'on-size-error', 'add', 'subtract', 'multiply', 'divide',
  'add-giving', 'subtract-giving', 'multiply-giving', 'divide-giving', 'divide-remainder',
  'if-else', 'end-if', 'period-closed-if', 'next-sentence',
  'evaluate-true', 'evaluate-also', 'when-other',
  'perform-thru', 'perform-varying', 'perform-until', 'perform-inline', 'perform-times', 'perform-test-after',
  'go-to', 'go-to-depending',
  'read', 'write', 'rewrite', 'delete', 'start', 'at-end', 'invalid-key', 'open', 'close',
  'search', 'search-all', 'string', 'unstring', 'delimited-by', 'with-pointer', 'unstring-tallying',
  'inspect-tallying', 'inspect-replacing', 'inspect-converting',
  'call', 'by-reference', 'by-content', 'by-value', 'on-exception', 'cancel',
  'accept-date', 'display-upon', 'initialize', 'set-index', 'set-up-down-by', 'set-to-true', 'set-to-false', 'set-address-of',
  'sort', 'merge', 'input-procedure', 'output-procedure', 'release', 'return',
  'exit-program', 'entry-statement', 'goback', 'stop-run', 'continue', 'intrinsic-function', 'scope-terminators',
  'nested-programs', 'end-program',
  'copy', 'copy-replacing-pseudo-text', 'copy-replacing-word', 'copy-replacing-leading', 'copy-replacing-trailing',
  'copy-of-library', 'copy-suppress', 'copy-procedure-division', 'replace', 'replace-off',
  'exec-sql', 'sql-include-sqlca', 'sql-declare-cursor', 'sql-open-cursor', 'sql-fetch-into', 'sql-close-cursor',
  'sql-select-into', 'sql-host-variables',
  'exec-cics', 'cics-receive-map', 'cics-send-map', 'cics-return-transid', 'cics-commarea', 'cics-handle-condition',
  'cics-link', 'cics-xctl', 'cics-browse',
  'format-fixed', 'format-free', 'sequence-numbers', 'columns-73-80', 'blank-sequence-area',
  'upper-case', 'lower-case', 'mixed-case', 'floating-comment', 'boxed-header',
  'debug-lines', 'continuation-apostrophe', 'continuation-quote', 'page-eject', 'process-statement', 'cbl-statement',
];

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? listFiles(full) : [full];
    });
}
const rel = (p: string) => relative(CORPUS, p).split('\\').join('/');
const read = (file: string) => readFileSync(join(CORPUS, file), 'utf8');

describe('COBOL corpus manifest', () => {
  it('lists every program, copybook and invalid fixture on disk, and nothing else', () => {
    expect(manifest.programs.map((p) => p.file)).toEqual(listFiles(join(CORPUS, 'programs')).map(rel));
    expect(manifest.copybooks.map((c) => c.file)).toEqual(listFiles(COPYBOOKS).map(rel));
    const invalid = listFiles(join(CORPUS, 'invalid')).filter((f) => !f.startsWith(INVALID_COPYBOOKS));
    expect(manifest.invalid.map((i) => i.file)).toEqual(invalid.map(rel));
  });

  it('holds at least 40 programs and 20 copybooks, each program 60-400 lines', () => {
    expect(manifest.programs.length).toBeGreaterThanOrEqual(40);
    expect(manifest.copybooks.length).toBeGreaterThanOrEqual(20);
    for (const p of manifest.programs) {
      expect(p.lines, p.file).toBeGreaterThanOrEqual(60);
      expect(p.lines, p.file).toBeLessThanOrEqual(400);
    }
  });

  it('records the format and features each program really has', () => {
    for (const p of manifest.programs) {
      const text = read(p.file);
      expect(detectFormat(text, p.cobcFlags), p.file).toBe(p.format);
      expect(detectFeatures(text, p.format), p.file).toEqual(p.features);
    }
  });

  it('records copybooks that exist and match the COPY statements of each program', () => {
    const known = new Set(manifest.copybooks.map((c) => c.file));
    for (const p of manifest.programs) {
      for (const c of [...p.copybooks, ...p.copybooksTransitive]) expect(known.has(c), `${p.file} -> ${c}`).toBe(true);
      const listed = p.copybooks.map((c) => basename(c).toLowerCase());
      for (const { name } of copyStatements(read(p.file), p.format)) {
        const lower = name.toLowerCase();
        const found = listed.some((b) => b === lower || b.replace(/\.[^.]+$/, '') === lower);
        expect(found, `${p.file}: COPY ${name} not in ${p.copybooks.join(', ')}`).toBe(true);
      }
    }
  });

  it('pairs every program only with copybooks written for its source format', () => {
    const byFile = new Map(manifest.copybooks.map((c) => [c.file, c]));
    for (const c of manifest.copybooks) expect(copybookFormat(read(c.file)), c.file).toBe(c.format);
    for (const p of manifest.programs) {
      for (const file of p.copybooksTransitive) {
        const c = byFile.get(file);
        const fits = c !== undefined && (c.formatNeutral || c.format === p.format);
        expect(fits, `${p.file} (${p.format}) copies ${file}`).toBe(true);
      }
    }
    expect(manifest.copybooks.some((c) => c.format === 'free')).toBe(true);
  });

  it('covers every construct the front end handles', () => {
    const covered = new Set(manifest.programs.flatMap((p) => p.features));
    expect(REQUIRED_FEATURES.filter((f) => !covered.has(f))).toEqual([]);
    const copybookKinds = new Set(manifest.copybooks.map((c) => c.kind));
    expect([...copybookKinds].sort()).toEqual(['data', 'procedure', 'sql-dclgen']);
    expect(manifest.copybooks.some((c) => c.template)).toBe(true);
    expect(manifest.copybooks.some((c) => c.copies.length > 0)).toBe(true);
    expect(manifest.copybooks.some((c) => c.formatNeutral)).toBe(true);
  });

  it('gives a reason for every program cobc cannot take, and an expectation for every invalid file', () => {
    for (const p of manifest.programs.filter((x) => !x.cobc)) expect(p.cobcReason, p.file).toMatch(/\S/);
    expect(manifest.invalid.length).toBeGreaterThanOrEqual(5);
    for (const i of manifest.invalid) {
      expect(i.expected.length, i.file).toBeGreaterThan(0);
      for (const e of i.expected) expect(e.line, i.file).toBeLessThanOrEqual(i.lines);
    }
  });
});

interface CobcResult {
  file: string;
  code: number | null;
  output: string;
}

/** Runs cobc -fsyntax-only on one file. */
function cobc(path: string, flags: string[], includeDirs: string[], label: string): Promise<CobcResult> {
  const args = cobcArguments(path, { includeFolders: includeDirs, extraArguments: flags });
  return new Promise((resolve) => {
    const child = spawn('cobc', args);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => resolve({ file: label, code: -1, output: String(e) }));
    child.on('close', (code) => resolve({ file: label, code, output }));
  });
}

/** Runs jobs with at most `limit` in flight (the machine's cores are shared). */
async function limited<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

// Needs cobc (scripts/setup.sh installs it): without it these fail, they do not skip.
describe('COBOL corpus under cobc -fsyntax-only', () => {
  it('has GnuCOBOL (cobc) on PATH', () => expect(cobcVersion(), cobcMissingMessage).toBeDefined());

  const scratch = mkdtempSync(join(tmpdir(), 'corpus-test-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('compiles every program the manifest marks as cobc-compatible', { timeout: 60_000 }, async () => {
    const jobs = manifest.programs
      .filter((p) => p.cobc)
      .map((p) => () => cobc(join(CORPUS, p.file), p.cobcFlags, [COPYBOOKS], p.file));
    expect(jobs.length).toBeGreaterThanOrEqual(30);
    const failures = (await limited(jobs, 2)).filter((r) => r.code !== 0);
    expect(failures.map((f) => `${f.file} (exit ${f.code}):\n${f.output}`)).toEqual([]);
  });

  /** Writes a rewritten program (and stubbed copies of the copybooks it names) to a fresh folder and compiles it. */
  function compileVariant(p: ProgramEntry, text: string, stubCopybooks: string[]): Promise<CobcResult> {
    const dir = mkdtempSync(join(scratch, 'p-'));
    writeFileSync(join(dir, basename(p.file)), text);
    for (const c of stubCopybooks) writeFileSync(join(dir, basename(c)), stubExecBlocks(read(c), 'fixed'));
    return cobc(join(dir, basename(p.file)), p.cobcFlags, [dir, PRECOMPILER_STUBS, COPYBOOKS], p.file);
  }

  it('compiles the excluded programs whose only obstacle is a blanked line', { timeout: 30_000 }, async () => {
    const jobs = manifest.programs
      .filter((p) => !p.cobc && p.cobcStripLines)
      .map((p) => () => {
        const strip = p.cobcStripLines ?? [];
        const text = read(p.file)
          .split('\n')
          .map((l, i) => (strip.includes(i + 1) ? '' : l))
          .join('\n');
        return compileVariant(p, text, []);
      });
    expect(jobs.length).toBeGreaterThan(0);
    const failures = (await limited(jobs, 2)).filter((r) => r.code !== 0);
    expect(failures.map((f) => `${f.file} (exit ${f.code}):\n${f.output}`)).toEqual([]);
  });

  it('compiles the EXEC SQL and EXEC CICS programs once their EXEC blocks are stubbed', { timeout: 30_000 }, async () => {
    const execPrograms = manifest.programs.filter((p) => p.features.includes('exec-sql') || p.features.includes('exec-cics'));
    expect(execPrograms.length).toBeGreaterThanOrEqual(6);
    for (const p of execPrograms) expect(p.cobcWithExecStubs, p.file).toBe(true);
    const jobs = execPrograms.map((p) => () => {
      const withExec = p.copybooksTransitive.filter((c) => /EXEC\s+(SQL|CICS)/i.test(read(c)));
      return compileVariant(p, stubExecBlocks(read(p.file), p.format), withExec);
    });
    const failures = (await limited(jobs, 2)).filter((r) => r.code !== 0);
    expect(failures.map((f) => `${f.file} (exit ${f.code}):\n${f.output}`)).toEqual([]);
  });

  it('rejects the invalid fixtures GnuCOBOL can detect', { timeout: 30_000 }, async () => {
    const checked = manifest.invalid.filter((i) => i.cobcRejects);
    expect(checked.length).toBeGreaterThanOrEqual(4);
    const jobs = checked.map((i) => () => cobc(join(CORPUS, i.file), [], [INVALID_COPYBOOKS, COPYBOOKS], i.file));
    const accepted = (await limited(jobs, 2)).filter((r) => r.code === 0);
    expect(accepted.map((r) => r.file)).toEqual([]);
  });
});
