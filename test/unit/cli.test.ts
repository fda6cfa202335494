/**
 * The `cobol-assist` command as users run it: the CLI is bundled exactly as
 * scripts/build.mjs bundles dist/cli.js (shebang included), executed as a
 * child process on fixtures, and its output and exit status are checked.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
let work: string;
let cli: string;

/** Runs the bundled CLI directly (through its shebang), in `cwd`. */
function run(args: string[], cwd = work) {
  const result = spawnSync(cli, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fixed-format line: sequence area, indicator, code, padded, with columns 73-80 filled. */
const fixed = (code: string, indicator = ' ') => `000100${indicator}${code.padEnd(65)}TESTPROG`;

const validProgram = [
  fixed('IDENTIFICATION DIVISION.'),
  fixed('PROGRAM-ID. GOODPROG.'),
  fixed('DATA DIVISION.'),
  fixed('WORKING-STORAGE SECTION.'),
  fixed('COPY GOODCPY.'),
  fixed('PROCEDURE DIVISION.'),
  fixed('MAIN-PARA.'),
  fixed('    MOVE 1 TO GOOD-COUNT'),
  fixed('    STOP RUN.'),
].join('\n') + '\n';

const goodCopybook = [fixed('01  GOOD-COUNT PIC 9(4).')].join('\n') + '\n';

// Line 3 has '%' in the indicator column: an error in every analysis the server runs.
const badProgram = [
  fixed('IDENTIFICATION DIVISION.'),
  fixed('PROGRAM-ID. BADPROG.'),
  fixed('PROCEDURE DIVISION.', '%'),
  fixed('    STOP RUN.'),
].join('\n') + '\n';

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cobol-assist-cli-'));
  cli = join(work, 'bin', 'cli.js');
  await build({
    entryPoints: [join(root, 'server/cli/main.ts')],
    outfile: cli,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['node-llama-cpp'], // as scripts/build.mjs: `complete` loads it at run time
    banner: { js: '#!/usr/bin/env node' },
    define: { COBOL_ASSIST_VERSION: JSON.stringify('0.0.0-test') },
    logLevel: 'silent',
  });
  chmodSync(cli, 0o755);
  mkdirSync(join(work, 'src/sub'), { recursive: true });
  mkdirSync(join(work, 'cpy'), { recursive: true });
  mkdirSync(join(work, 'empty'), { recursive: true });
  writeFileSync(join(work, 'src/GOODPROG.cbl'), validProgram);
  writeFileSync(join(work, 'src/sub/BADPROG.cob'), badProgram);
  writeFileSync(join(work, 'src/notes.txt'), 'not COBOL\n');
  writeFileSync(join(work, 'cpy/GOODCPY.cpy'), goodCopybook);
  symlinkSync(join(work, 'missing-target.cbl'), join(work, 'src/DANGLING.cbl'));
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('cobol-assist check: results', () => {
  it('passes a valid program with exit 0 and prints only the summary', () => {
    const result = run(['check', 'src/GOODPROG.cbl', '--copybook-path', 'cpy']);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('1 file checked, 0 errors, 0 warnings\n');
    expect(result.status).toBe(0);
  });

  it('prints compiler-style lines for errors and exits 1', () => {
    const result = run(['check', 'src/sub/BADPROG.cob']);
    expect(result.stdout).toMatch(/^src\/sub\/BADPROG\.cob:3:7: error: .*indicator.* \[fixed-format\/indicator\]$/m);
    expect(result.stderr).toMatch(/1 file checked, [1-9]\d* errors?/);
    expect(result.status).toBe(1);
  });

  it('writes one JSON object per file with file, lines and LSP-style diagnostics', () => {
    const result = run(['check', '--json', 'src/GOODPROG.cbl', 'src/sub/BADPROG.cob', '-I', 'cpy']);
    const objects = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(objects.map((o) => o.file)).toEqual(['src/GOODPROG.cbl', 'src/sub/BADPROG.cob']);
    expect(objects[0]).toMatchObject({ lines: 9, diagnostics: [] });
    expect(objects[1].lines).toBe(4);
    const indicator = objects[1].diagnostics.find((d: { code: string }) => d.code === 'fixed-format/indicator');
    expect(indicator).toEqual({
      file: 'src/sub/BADPROG.cob',
      range: { start: { line: 2, character: 6 }, end: { line: 2, character: 7 } },
      severity: 'error',
      code: 'fixed-format/indicator',
      message: expect.stringContaining("'%'"),
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
  });

  it('walks folders for programs only, skipping other files', () => {
    const result = run(['check', '--json', 'src', '-I', 'cpy']);
    const objects = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(objects.filter((o) => o.diagnostics).map((o) => o.file)).toEqual(['src/GOODPROG.cbl', 'src/sub/BADPROG.cob']);
    expect(objects).toContainEqual({ file: 'src/DANGLING.cbl', error: 'no such file or folder' });
    // The dangling link is a program name that cannot be read: reported, not fatal.
    expect(result.stderr).toMatch(/src\/DANGLING\.cbl: no such file or folder/);
    expect(result.status).toBe(2);
  });

  it('expands quoted globs itself', () => {
    const result = run(['check', '--json', 'src/**/*.{cbl,cob}', '--copybook-path=cpy']);
    const files = result.stdout.trim().split('\n').map((line) => JSON.parse(line).file).filter((f) => !f.includes('DANGLING'));
    expect(files).toEqual(['src/GOODPROG.cbl', 'src/sub/BADPROG.cob']);
  });

  it('accepts comma-separated and repeated copybook paths and every --format', () => {
    for (const format of ['fixed', 'free', 'auto']) {
      const result = run(['check', 'src/GOODPROG.cbl', '-I', 'cpy,empty', '--copybook-path', 'src', `--format=${format}`]);
      expect(result.stderr).toMatch(/^1 file checked/m);
      expect(result.stderr).not.toMatch(/cobol-assist:/);
      expect([0, 1]).toContain(result.status);
    }
    // Fixed format must flag the bad indicator; free format has no indicator column.
    expect(run(['check', 'src/sub/BADPROG.cob', '--format', 'fixed']).status).toBe(1);
    expect(run(['check', 'src/sub/BADPROG.cob', '--format', 'free']).stdout).not.toMatch(/fixed-format\/indicator/);
  });

  it('resolves copybooks through a glob search path, and reports them missing without one', () => {
    expect(run(['check', 'src/GOODPROG.cbl', '-I', 'c*']).status).toBe(0);
    const missing = run(['check', 'src/GOODPROG.cbl']);
    expect(missing.stdout).toMatch(/^src\/GOODPROG\.cbl:5:\d+: error: .*GOODCPY.* \[copybook\/missing\]$/m);
    expect(missing.status).toBe(1);
  });

  it('checks the sample workspace and the cobc-valid corpus programs without errors', () => {
    const result = run(['check', 'test/fixtures/workspace', '-I', 'test/fixtures/workspace/copybooks'], root);
    expect(result.stdout).not.toMatch(/: error: /);
    expect(result.status).toBe(0);
    const corpus = run(['check', 'test/fixtures/corpus/programs', '-I', 'test/fixtures/corpus/copybooks'], root);
    expect(corpus.stdout).not.toMatch(/: error: /);
    expect(corpus.status).toBe(0);
  });
});

describe('cobol-assist check: the invalid corpus', () => {
  const corpus = 'test/fixtures/corpus';
  const manifest = JSON.parse(readFileSync(join(root, corpus, 'manifest.json'), 'utf8')) as {
    invalid: { file: string; expected: { line: number; problem: string }[]; cobcRejects: boolean }[];
  };
  const copybookPaths = `${corpus}/invalid/copybooks,${corpus}/copybooks`;

  it.each(manifest.invalid.map((entry) => [entry.file, entry] as const))('%s: reported where the manifest says, exit status to match', (file, entry) => {
    const result = run(['check', '--json', `${corpus}/${file}`, '-I', copybookPaths], root);
    const report = JSON.parse(result.stdout.trim()) as { file: string; diagnostics: { file: string; severity: string; range: { start: { line: number } } }[] };
    expect(report.file).toBe(`${corpus}/${file}`);
    for (const expected of entry.expected) {
      // A problem lies on the expected program line, or inside a copybook the program copies (cycles).
      const found = report.diagnostics.some((d) =>
        (d.file === report.file && d.range.start.line + 1 === expected.line) || (d.file !== report.file && /\.cpy$/i.test(d.file)));
      expect(found, `${expected.problem} on line ${expected.line}: ${JSON.stringify(report.diagnostics)}`).toBe(true);
    }
    const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
    if (entry.cobcRejects) expect(errors).toBeGreaterThan(0);
    expect(result.status).toBe(errors > 0 ? 1 : 0);
  });

  it('names the copybook a diagnostic lies in, in text and JSON', () => {
    const args = ['check', `${corpus}/invalid/cyclic-copybooks.cbl`, '-I', copybookPaths];
    const json = JSON.parse(run([...args, '--json'], root).stdout.trim());
    const inCopybook = json.diagnostics.find((d: { file: string }) => d.file !== json.file);
    expect(inCopybook?.file).toMatch(new RegExp(`^${corpus}/invalid/copybooks/CYCLE[AB]\\.cpy$`));
    expect(inCopybook?.code).toBe('copybook/cycle');
    const text = run(args, root).stdout;
    expect(text).toMatch(new RegExp(`^${corpus}/invalid/copybooks/CYCLE[AB]\\.cpy:\\d+:\\d+: error: .*circular.* \\[copybook/cycle\\]$`, 'm'));
  });
});

describe('cobol-assist check: bad inputs', () => {
  it('reports a missing file, still checks the others, and exits 2', () => {
    const result = run(['check', 'nowhere.cbl', 'src/GOODPROG.cbl', '-I', 'cpy']);
    expect(result.stderr).toMatch(/^cobol-assist: nowhere\.cbl: no such file or folder$/m);
    expect(result.stderr).toMatch(/1 file checked, 0 errors, 0 warnings, 1 input not checked/);
    expect(result.status).toBe(2);
  });

  it('reports an unreadable path (a file used as a folder) with a clear message', () => {
    const result = run(['check', 'src/GOODPROG.cbl/inner.cbl']);
    expect(result.stderr).toMatch(/src\/GOODPROG\.cbl\/inner\.cbl: a part of this path is a file, not a folder/);
    expect(result.status).toBe(2);
  });

  it('reports a file without read permission', () => {
    const locked = join(work, 'src/LOCKED.cbl');
    writeFileSync(locked, validProgram);
    chmodSync(locked, 0o000);
    try {
      const result = run(['check', 'src/LOCKED.cbl', '-I', 'cpy']);
      if (process.getuid?.() === 0) {
        // root reads anything: the file is simply checked.
        expect(result.status).toBe(0);
      } else {
        expect(result.stderr).toMatch(/src\/LOCKED\.cbl: permission denied/);
        expect(result.status).toBe(2);
      }
    } finally {
      rmSync(locked, { force: true });
    }
  });

  it('reports a glob that matches nothing, in text and JSON', () => {
    const text = run(['check', 'src/**/*.cobx']);
    expect(text.stderr).toMatch(/src\/\*\*\/\*\.cobx: no file matches this pattern/);
    expect(text.status).toBe(2);
    const json = run(['check', '--json', 'src/**/*.cobx']);
    expect(JSON.parse(json.stdout.trim())).toEqual({ file: 'src/**/*.cobx', error: 'no file matches this pattern' });
    expect(json.status).toBe(2);
  });

  it('reports a folder without programs', () => {
    const result = run(['check', 'empty']);
    expect(result.stderr).toMatch(/empty: folder holds no COBOL program/);
    expect(result.status).toBe(2);
  });

  it.each([
    [[], /missing command/],
    [['lint', 'a.cbl'], /unknown command 'lint'/],
    [['check'], /no input/],
    [['check', '--bogus', 'a.cbl'], /unknown option '--bogus'/],
    [['check', '--format', 'cobol', 'a.cbl'], /--format must be one of fixed, free, auto, not 'cobol'/],
    [['check', 'a.cbl', '--copybook-path'], /--copybook-path needs a folder/],
    [['check', 'a.cbl', '-I', ','], /-I needs a folder/],
  ])('exits 2 with a clear usage message for %j', (args, message) => {
    const result = run(args as string[]);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/cobol-assist --help/);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });

  it('prints help and version with exit 0', () => {
    const help = run(['--help']);
    expect(help.stdout).toMatch(/Usage: cobol-assist check/);
    expect(help.stdout).toMatch(/--copybook-path/);
    expect(help.status).toBe(0);
    expect(run(['check', '-h']).status).toBe(0);
    expect(run(['--version']).stdout).toBe('cobol-assist 0.0.0-test\n');
  });
});
