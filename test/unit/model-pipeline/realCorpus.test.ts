/**
 * The real corpus as training input (models/pipeline/realCorpus.ts): bad files
 * are skipped with a message naming them, a held-out file never reaches
 * training (by repository, and by content under any other name), and the
 * output is never half-written. Built on small corpora in temporary folders,
 * laid out like ../shared/corpus/real (files/<owner>__<repo>/…, MANIFEST.tsv,
 * SOURCES.tsv).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../models/pipeline/cli';
import { CATEGORY_WEIGHTS, MAX_LINE_CHARS, classifyBytes, loadRealTraining, normalisedHash, writeJsonlAtomically } from '../../../models/pipeline/realCorpus';
import { buildSamples } from '../../../models/pipeline/samples';
import { Tokenizer, trainTokenizer } from '../../../models/pipeline/tokenizer';

const PROGRAM = (name: string, verb = 'DISPLAY') => `       IDENTIFICATION DIVISION.
       PROGRAM-ID. ${name}.
       DATA DIVISION.
       WORKING-STORAGE SECTION.
       01  WS-COUNT            PIC 9(4) VALUE ZERO.
       PROCEDURE DIVISION.
       0000-MAIN.
           ADD 1 TO WS-COUNT
           ${verb} 'COUNT ' WS-COUNT
           STOP RUN.
`;

/** EBCDIC (code page 1047) bytes of upper-case COBOL text: letters and digits above 0x80, space 0x40. */
function ebcdic(text: string): Buffer {
  const map: Record<string, number> = { ' ': 0x40, '.': 0x4b, '-': 0x60, "'": 0x7d, '\n': 0x15 };
  'ABCDEFGHI'.split('').forEach((c, i) => (map[c] = 0xc1 + i));
  'JKLMNOPQR'.split('').forEach((c, i) => (map[c] = 0xd1 + i));
  'STUVWXYZ'.split('').forEach((c, i) => (map[c] = 0xe2 + i));
  '0123456789'.split('').forEach((c, i) => (map[c] = 0xf0 + i));
  return Buffer.from([...text.toUpperCase()].map((c) => map[c] ?? 0x40));
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

interface Entry { repo: string; path: string; bytes: Buffer | string; kind?: 'program' | 'copybook' }

function corpus(entries: Entry[], categories: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'real-corpus-'));
  dirs.push(dir);
  const manifest = ['repo\tpath\tkind\tlines\tbytes\tsha256\tencoding_note'];
  for (const e of entries) {
    const file = join(dir, 'files', e.repo.replace('/', '__'), e.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, e.bytes);
    const buf = Buffer.from(e.bytes);
    manifest.push([e.repo, e.path, e.kind ?? 'program', String(buf.toString().split('\n').length), String(buf.length), createHash('sha256').update(buf).digest('hex'), ''].join('\t'));
  }
  writeFileSync(join(dir, 'MANIFEST.tsv'), manifest.join('\n') + '\n');
  const sources = ['repo\tcommit\tspdx\tlicence_file\tfiles\tlines\tkinds\tcategory\tfirst_commit\tnote'];
  for (const [repo, category] of Object.entries(categories)) sources.push([repo, 'a'.repeat(40), 'MIT', 'LICENSE', '1', '1', '', category, '', ''].join('\t'));
  writeFileSync(join(dir, 'SOURCES.tsv'), sources.join('\n') + '\n');
  return dir;
}

describe('classifyBytes', () => {
  it('accepts UTF-8 COBOL, normalising CRLF and a byte-order mark', () => {
    const result = classifyBytes(Buffer.from('\uFEFF' + PROGRAM('A').replace(/\n/g, '\r\n')));
    expect(result).toEqual({ text: PROGRAM('A') });
  });
  it('names binary, EBCDIC, non-UTF-8, over-long-line and empty files', () => {
    const problem = (bytes: Buffer) => ('problem' in classifyBytes(bytes) ? (classifyBytes(bytes) as { problem: string }).problem : 'ok');
    expect(problem(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 3, 0, 0, 0]))).toBe('binary');
    expect(problem(ebcdic(PROGRAM('EBC')))).toBe('ebcdic');
    expect(problem(Buffer.from(PROGRAM('LAT').replace("'COUNT '", "'CAFÉ '"), 'latin1'))).toBe('not-utf8');
    expect(problem(Buffer.from(PROGRAM('LONG') + 'X'.repeat(1024 * 1024) + '\n'))).toBe('long-line');
    expect(problem(Buffer.alloc(0))).toBe('empty');
    expect(problem(Buffer.from('\n  \n'))).toBe('empty');
    const long = classifyBytes(Buffer.from('A\n' + 'X'.repeat(MAX_LINE_CHARS + 1)));
    expect('problem' in long && long.detail).toMatch(/line 2 is 10001 characters/);
  });
});

describe('loadRealTraining', () => {
  it('takes good files with their category weight and skips bad ones with a message naming each', () => {
    const dir = corpus([
      { repo: 'acme/bank', path: 'src/GOOD.cbl', bytes: PROGRAM('GOOD') },
      { repo: 'acme/bank', path: 'src/ACCT.cpy', bytes: '       01  ACCT-REC.\n           05  ACCT-NO  PIC X(8).\n', kind: 'copybook' },
      { repo: 'acme/bank', path: 'src/BIN.cbl', bytes: Buffer.from([0, 1, 2, 3, 0, 0, 0x41]) },
      { repo: 'acme/bank', path: 'src/EBC.cbl', bytes: ebcdic(PROGRAM('EBC')) },
      { repo: 'acme/bank', path: 'src/LAT.cbl', bytes: Buffer.from(PROGRAM('LAT').replace("'COUNT '", "'CAFÉ '"), 'latin1') },
      { repo: 'acme/bank', path: 'src/LONG.cbl', bytes: PROGRAM('LONG') + 'X'.repeat(1024 * 1024) },
      { repo: 'acme/bank', path: 'src/EMPTY.cbl', bytes: '' },
      { repo: 'acme/bank', path: 'src/COPY.cbl', bytes: PROGRAM('GOOD').toLowerCase() },
      { repo: 'parser/tests', path: 'snippet.cbl', bytes: PROGRAM('SNIP') },
    ], { 'acme/bank': 'business-app', 'parser/tests': 'test-fixture' });
    const messages: string[] = [];
    const { docs, report } = loadRealTraining({ dir, log: (m) => messages.push(m) });
    expect(docs.map((d) => d.path).sort()).toEqual(['snippet.cbl', 'src/ACCT.cpy', 'src/GOOD.cbl']);
    expect(docs.find((d) => d.path === 'src/GOOD.cbl')!.weight).toBe(CATEGORY_WEIGHTS['business-app']);
    expect(docs.find((d) => d.path === 'snippet.cbl')!.weight).toBe(CATEGORY_WEIGHTS['test-fixture']);
    expect(CATEGORY_WEIGHTS['test-fixture']!).toBeLessThan(CATEGORY_WEIGHTS['mainframe-sample']!);
    expect(report.skipped).toEqual({ binary: 1, ebcdic: 1, 'not-utf8': 1, 'long-line': 1, empty: 1, duplicate: 1 });
    for (const name of ['BIN', 'EBC', 'LAT', 'LONG', 'EMPTY', 'COPY']) expect(messages.some((m) => m.includes(`acme/bank/src/${name}.cbl`))).toBe(true);
    expect(report.byRepository['acme/bank']).toMatchObject({ category: 'business-app', licence: 'MIT', programs: 1, copybooks: 1 });
  });

  it('never takes a held-out repository, nor a copy of one of its files, nor a synthetic test program, under any name', () => {
    const heldOutText = PROGRAM('DB2SAMP', 'EXHIBIT');
    const syntheticTest = PROGRAM('SYNTEST', 'MOVE');
    const dir = corpus([
      { repo: 'IBM/db2-samples', path: 'cobol/DB2SAMP.cbl', bytes: heldOutText },
      { repo: 'someone/mirror', path: 'renamed.cbl', bytes: heldOutText },
      { repo: 'someone/mirror', path: 'reformatted.cbl', bytes: heldOutText.toLowerCase().replace(/\n/g, '   \n') },
      { repo: 'someone/mirror', path: 'synthetic.cbl', bytes: syntheticTest },
      { repo: 'someone/mirror', path: 'own.cbl', bytes: PROGRAM('OWN') },
    ], { 'IBM/db2-samples': 'mainframe-sample', 'someone/mirror': 'course' });
    const { docs, report } = loadRealTraining({ dir, forbiddenTexts: [syntheticTest] });
    expect(docs.map((d) => d.path)).toEqual(['own.cbl']);
    expect(report.heldOutRepositoryFiles).toBe(1);
    expect(report.skipped).toEqual({ 'test-split': 3 });
    expect(docs.every((d) => normalisedHash(d.text) !== normalisedHash(heldOutText))).toBe(true);
  });

  it('walks a folder without MANIFEST.tsv, and reports an empty one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'real-corpus-'));
    dirs.push(dir);
    const messages: string[] = [];
    expect(loadRealTraining({ dir, log: (m) => messages.push(m) }).docs).toEqual([]);
    expect(messages.join('\n')).toMatch(/holds no COBOL files; training on the synthetic corpus alone/);
    mkdirSync(join(dir, 'shop'), { recursive: true });
    writeFileSync(join(dir, 'shop', 'PAYROLL.cbl'), PROGRAM('PAYROLL'));
    writeFileSync(join(dir, 'shop', 'notes.txt'), 'not COBOL');
    const { docs } = loadRealTraining({ dir });
    expect(docs.map((d) => [d.repository, d.path, d.category, d.weight])).toEqual([['shop', 'PAYROLL.cbl', 'unknown', CATEGORY_WEIGHTS.unknown]]);
  });

  it('refuses a folder that does not exist', () => {
    expect(() => loadRealTraining({ dir: '/nonexistent/real' })).toThrow(/\/nonexistent\/real is not a folder/);
  });
});

describe('model:build --real-corpus', () => {
  it('stops with a clear message, before any stage, when the folder named does not exist', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      expect(await main(['--stage', 'real', '--real-corpus', '/nonexistent/real-corpus'])).toBe(2);
      expect(await main(['--stage', 'real', '--real-corpus'])).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toMatch(/--real-corpus \/nonexistent\/real-corpus: no such folder/);
    expect(errors.join('\n')).toMatch(/--real-corpus needs a folder/);
  });
});

describe('writeJsonlAtomically', () => {
  it('leaves the complete file and no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jsonl-'));
    dirs.push(dir);
    const path = join(dir, 'sub', 'rows.jsonl');
    writeJsonlAtomically(path, [{ a: 1 }, { b: 'two' }]);
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n{"b":"two"}\n');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['rows.jsonl']);
    writeJsonlAtomically(path, []);
    expect(existsSync(path) && readFileSync(path, 'utf8')).toBe('');
  });
});

describe('weighted samples', () => {
  const docs = [PROGRAM('ONE'), PROGRAM('TWO', 'EXHIBIT')];
  const tok = new Tokenizer(trainTokenizer(docs, 300));
  const options = { contextLength: 128, seed: 5, minTokens: 0 };

  it('draw about weight samples per pass from a document, none at weight 0', () => {
    const count = (weights: number[]) => {
      const text = tok.decode([...buildSamples(docs, tok, { ...options, minTokens: 40_000, weights })]);
      return [(text.match(/EXHIBIT/g) ?? []).length, (text.match(/DISPLAY/g) ?? []).length];
    };
    const [exhibitZero] = count([1, 0]);
    expect(exhibitZero).toBe(0);
    const [exhibit, display] = count([1, 0.25]);
    expect(exhibit).toBeGreaterThan(0);
    expect(exhibit / display).toBeGreaterThan(0.1);
    expect(exhibit / display).toBeLessThan(0.5);
  });
});
