/**
 * Real COBOL as training input (`model:build --real-corpus DIR`, default
 * `../shared/corpus/real` when present). Reads the corpus in place and writes
 * only git-ignored work files (models/.work/corpus/real-train.jsonl), so no
 * third-party code enters this repository. What it guarantees:
 * - never a held-out file: the repositories of the real-code test split
 *   (models/eval/realSplit.ts) are skipped, and every remaining file is also
 *   checked by sha256 (raw and normalised) against the held-out files and the
 *   synthetic test split, so a copy under another name is caught too;
 * - bad files are skipped with a message naming them: unreadable, binary,
 *   EBCDIC, not UTF-8, a line over MAX_LINE_CHARS, empty;
 * - the output is written to a temporary file and renamed, so an interrupted
 *   build never leaves a half-written split.
 * Each document carries a category weight: how many FIM/plain samples it
 * contributes per pass relative to a synthetic program of the same length
 * (samples.ts `weights`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isHeldOut, readRealCorpus, type RealCorpusFile } from '../eval/realSplit';

/**
 * Samples per pass, relative to synthetic code of the same length. Business and
 * mainframe code is what users type and is scarce (about 57k lines), so it is
 * repeated most; parser test fixtures are short snippets, often deliberately
 * odd, so they count least. `unknown`: a folder without SOURCES.tsv.
 */
export const CATEGORY_WEIGHTS: Readonly<Record<string, number>> = {
  'business-app': 3,
  'mainframe-sample': 4,
  application: 1.5,
  course: 2,
  'tool-in-cobol': 1.5,
  puzzles: 1,
  'test-fixture': 0.25,
  unknown: 1,
};

/** A line longer than this is not source code (minified data, a generated blob): the file is skipped. */
export const MAX_LINE_CHARS = 10_000;
/** Files larger than this are skipped unread (the largest real COBOL source in the corpus is well under 1 MB). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

export interface RealTrainingDoc {
  id: string;
  repository: string;
  path: string;
  category: string;
  kind: 'program' | 'copybook';
  weight: number;
  sha256: string;
  text: string;
}

export interface RealCorpusReport {
  dir: string;
  files: number;
  taken: number;
  heldOutRepositoryFiles: number;
  skipped: Record<string, number>;
  messages: string[];
  byRepository: Record<string, { category: string; commit: string; licence: string; programs: number; copybooks: number; lines: number; bytes: number; weight: number }>;
  byCategory: Record<string, { files: number; lines: number; bytes: number; weight: number }>;
}

export interface RealSource { repository: string; commit: string; licence: string; category: string }

/** SOURCES.tsv: commit, SPDX licence and category per repository (empty when the file is absent). */
export function readSources(dir: string): Map<string, RealSource> {
  const file = join(dir, 'SOURCES.tsv');
  const out = new Map<string, RealSource>();
  if (!existsSync(file)) return out;
  const [header, ...rows] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const cols = header!.split('\t');
  const at = (name: string) => cols.indexOf(name);
  for (const row of rows) {
    const c = row.split('\t');
    out.set(c[at('repo')]!, { repository: c[at('repo')]!, commit: c[at('commit')] ?? '', licence: c[at('spdx')] ?? '', category: c[at('category')] || 'unknown' });
  }
  return out;
}

const COBOL_FILE = /\.(cbl|cob|cobol|cpy|copy|cblle|sqb|pco)$/i;

/** The corpus's files: from MANIFEST.tsv when there is one, else every COBOL-named file below DIR (first folder = repository). */
export function listRealFiles(dir: string): RealCorpusFile[] {
  if (existsSync(join(dir, 'MANIFEST.tsv'))) return readRealCorpus(dir);
  const found: RealCorpusFile[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && COBOL_FILE.test(entry.name)) {
        const rel = relative(dir, full).split(sep);
        const repository = rel.length > 1 ? rel[0]!.replace('__', '/') : '(top)';
        found.push({ repository, path: rel.slice(rel.length > 1 ? 1 : 0).join('/'), file: full, kind: /\.(cpy|copy)$/i.test(entry.name) ? 'copybook' : 'program', lines: 0, sha256: '' });
      }
    }
  };
  walk(dir);
  return found;
}

/** The README's duplicate rule: upper-cased, trailing blanks stripped, blank lines dropped, line ends unified. */
export function normalisedHash(text: string): string {
  const body = text.replace(/\r\n?/g, '\n').split('\n').map((l) => l.trimEnd().toUpperCase()).filter((l) => l !== '').join('\n');
  return createHash('sha256').update(body).digest('hex');
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Why a file's bytes are not usable UTF-8 source, or undefined when they are (then `text` holds it). */
export function classifyBytes(bytes: Buffer): { problem: string; detail: string } | { text: string } {
  if (bytes.length === 0) return { problem: 'empty', detail: 'empty file' };
  const sample = bytes.subarray(0, 65536);
  let nul = 0;
  let control = 0;
  let ebcdicSpace = 0;
  let ebcdicAlnum = 0;
  let newline = 0;
  for (const b of sample) {
    if (b === 0) nul++;
    else if (b < 9 || (b > 13 && b < 32)) control++;
    if (b === 0x40) ebcdicSpace++;
    if ((b >= 0xc1 && b <= 0xe9) || (b >= 0xf0 && b <= 0xf9) || (b >= 0x81 && b <= 0xa9)) ebcdicAlnum++;
    if (b === 0x0a) newline++;
  }
  // EBCDIC text: 0x40 is its space and letters/digits sit above 0x80; an ASCII file has few such bytes.
  if (ebcdicAlnum > sample.length * 0.3 && ebcdicSpace > sample.length * 0.05) return { problem: 'ebcdic', detail: 'looks like EBCDIC (convert it to UTF-8 first, e.g. iconv -f IBM-1047 -t UTF-8)' };
  if (nul > 0 || control > sample.length * 0.01) return { problem: 'binary', detail: `binary content (${nul} NUL and ${control} other control bytes in the first ${sample.length})` };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: 'not-utf8', detail: 'not valid UTF-8 (convert it first, e.g. iconv -f LATIN1 -t UTF-8)' };
  }
  text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let lineNo = 0;
  for (let start = 0; start <= text.length; ) {
    lineNo++;
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    if (end - start > MAX_LINE_CHARS) return { problem: 'long-line', detail: `line ${lineNo} is ${end - start} characters long (limit ${MAX_LINE_CHARS})` };
    if (nl < 0) break;
    start = nl + 1;
  }
  if (!text.trim()) return { problem: 'empty', detail: 'only blank lines' };
  return { text };
}

export interface LoadRealCorpusOptions {
  dir: string;
  /** Texts that must never be trained on (the synthetic test split), compared by sha256 and normalised hash. */
  forbiddenTexts?: readonly string[];
  log?: (msg: string) => void;
  weights?: Readonly<Record<string, number>>;
}

/** The training documents of a real corpus folder, with a report of what was taken, skipped and why. */
export function loadRealTraining(opts: LoadRealCorpusOptions): { docs: RealTrainingDoc[]; report: RealCorpusReport } {
  const { dir } = opts;
  const log = opts.log ?? (() => {});
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`real corpus: ${dir} is not a folder`);
  const sources = readSources(dir);
  const weights = opts.weights ?? CATEGORY_WEIGHTS;
  const files = listRealFiles(dir);
  const report: RealCorpusReport = { dir, files: files.length, taken: 0, heldOutRepositoryFiles: 0, skipped: {}, messages: [], byRepository: {}, byCategory: {} };
  const skip = (file: RealCorpusFile, reason: string, detail: string) => {
    report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
    const msg = `real corpus: skipped ${file.repository}/${file.path}: ${detail}`;
    report.messages.push(msg);
    log(msg);
  };
  // Every held-out file's content, hashed both ways: the check is by content, not by name.
  const forbiddenRaw = new Set<string>();
  const forbiddenNorm = new Set<string>();
  for (const file of files.filter(isHeldOut)) {
    report.heldOutRepositoryFiles++;
    if (file.sha256) forbiddenRaw.add(file.sha256);
    if (existsSync(file.file)) {
      const bytes = readFileSync(file.file);
      forbiddenRaw.add(sha256(bytes));
      forbiddenNorm.add(normalisedHash(bytes.toString('utf8')));
    }
  }
  for (const text of opts.forbiddenTexts ?? []) {
    forbiddenRaw.add(sha256(text));
    forbiddenNorm.add(normalisedHash(text));
  }
  const seen = new Set<string>();
  const docs: RealTrainingDoc[] = [];
  for (const file of files) {
    if (isHeldOut(file)) continue;
    let bytes: Buffer;
    try {
      const size = statSync(file.file).size;
      if (size > MAX_FILE_BYTES) {
        skip(file, 'too-large', `${size} bytes (limit ${MAX_FILE_BYTES})`);
        continue;
      }
      bytes = readFileSync(file.file);
    } catch (e) {
      skip(file, 'unreadable', (e as Error).message);
      continue;
    }
    const raw = sha256(bytes);
    if (forbiddenRaw.has(raw)) {
      skip(file, 'test-split', 'same content as a file of a test split (sha256)');
      continue;
    }
    const classified = classifyBytes(bytes);
    if ('problem' in classified) {
      skip(file, classified.problem, classified.detail);
      continue;
    }
    const norm = normalisedHash(classified.text);
    if (forbiddenNorm.has(norm)) {
      skip(file, 'test-split', 'same content as a file of a test split (normalised sha256)');
      continue;
    }
    if (seen.has(norm)) {
      skip(file, 'duplicate', 'duplicate of a file already taken');
      continue;
    }
    seen.add(norm);
    const source = sources.get(file.repository);
    const category = source?.category ?? 'unknown';
    const weight = weights[category] ?? weights.unknown ?? 1;
    if (weight <= 0) {
      skip(file, 'weight-zero', `category ${category} has weight 0`);
      continue;
    }
    const text = classified.text;
    docs.push({ id: `real:${file.repository}/${file.path}`, repository: file.repository, path: file.path, category, kind: file.kind, weight, sha256: raw, text });
    const lines = text.split('\n').length;
    const repo = (report.byRepository[file.repository] ??= { category, commit: source?.commit ?? '', licence: source?.licence ?? '', programs: 0, copybooks: 0, lines: 0, bytes: 0, weight });
    repo[file.kind === 'copybook' ? 'copybooks' : 'programs']++;
    repo.lines += lines;
    repo.bytes += Buffer.byteLength(text);
    const cat = (report.byCategory[category] ??= { files: 0, lines: 0, bytes: 0, weight });
    cat.files++;
    cat.lines += lines;
    cat.bytes += Buffer.byteLength(text);
  }
  report.taken = docs.length;
  if (files.length === 0) log(`real corpus: ${dir} holds no COBOL files; training on the synthetic corpus alone`);
  return { docs, report };
}

/** Writes docs as JSON lines through a temporary file and a rename: never half-written. */
export function writeJsonlAtomically(path: string, rows: readonly unknown[]): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  renameSync(tmp, path);
}
