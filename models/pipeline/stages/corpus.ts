/**
 * Corpus stage: generates programs, adds the hand-written fixtures, validates
 * every program with `cobc -fsyntax-only` (EXEC SQL/CICS programs through the
 * EXEC check and their compilable twin), drops failures, deduplicates, and
 * splits train / validation / test by program (copybooks follow their program).
 * Writes models/.work/corpus/{train,validation,test}.jsonl and stats.json.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { DFHAID_STUB, checkExec } from '../corpus/exec-check';
import { loadFixtures } from '../corpus/fixtures';
import { generateProgram } from '../corpus/generate';

const run = promisify(execFile);

export interface CorpusDoc {
  id: string;
  source: 'generated' | 'fixture';
  kind: 'program' | 'copybook';
  archetype?: string;
  /** Program documents: whether cobc accepts the text as it is (no EXEC blocks). */
  cobcDirect: boolean;
  free: boolean;
  /** The program's copybooks (name -> text), needed to compile it during evaluation. */
  copybooks?: Record<string, string>;
  text: string;
}

export interface CorpusOptions {
  root: string;
  workDir: string;
  programs: number;
  seed: number;
  log: (msg: string) => void;
}

export type Split = 'train' | 'validation' | 'test';

export function splitOf(id: string): Split {
  const h = createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32;
  return h < 0.05 ? 'test' : h < 0.08 ? 'validation' : 'train';
}

export function isFree(text: string): boolean {
  const head = text.slice(0, 400);
  if (/>>\s*SOURCE\s+(FORMAT\s+)?(IS\s+)?FREE/i.test(head)) return true;
  // Fixed format has code starting at column 8 or later on nearly every line.
  const lines = text.split('\n').filter((l) => l.trim() && !/^\s*\*>/.test(l));
  const early = lines.filter((l) => /^\s{0,6}[A-Za-z]/.test(l) && !/^\d{6}/.test(l)).length;
  return early > lines.length * 0.3;
}

/** Compiles `text` with cobc -fsyntax-only; true when it is accepted. */
async function cobcOk(dir: string, name: string, text: string, free: boolean, copyDir: string): Promise<{ ok: boolean; error: string }> {
  const file = join(dir, name + '.cbl');
  writeFileSync(file, text, 'latin1');
  try {
    await run('cobc', ['-fsyntax-only', ...(free ? ['-free'] : []), '-I', copyDir, file], { timeout: 30_000 });
    return { ok: true, error: '' };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { ok: false, error: (err.stderr || err.message).split('\n').find((l) => /error/.test(l)) ?? 'failed' };
  }
}

async function pool<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

function normalise(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^\d{6}/.test(l) ? l.slice(6, 72) : l).trim().toUpperCase())
    .filter(Boolean)
    .join('\n');
}

export async function buildCorpus(opts: CorpusOptions): Promise<Record<string, unknown>> {
  const out = join(opts.workDir, 'corpus');
  const check = join(out, 'check');
  rmSync(check, { recursive: true, force: true });
  mkdirSync(check, { recursive: true });
  interface Candidate { doc: CorpusDoc; copybooks: Map<string, string> }
  const candidates: Candidate[] = [];
  for (let i = 0; i < opts.programs; i++) {
    const g = generateProgram(opts.seed * 1_000_003 + i);
    candidates.push({ doc: { id: `gen-${String(i).padStart(5, '0')}-${g.id}`, source: 'generated', kind: 'program', archetype: g.archetype, cobcDirect: !g.hasExec, free: g.free, text: g.text }, copybooks: g.copybooks });
  }
  const fixtures = loadFixtures(opts.root);
  // Keyed by file name as it is on disk (COPY "GLACCT.copy" names it exactly).
  const fixtureCopybooks = new Map(fixtures.copybooks.map((c) => [basename(c.path), c.text]));
  for (const f of fixtures.programs) {
    const hasExec = /\bEXEC\s+(SQL|CICS)\b/i.test(f.text);
    candidates.push({ doc: { id: `fix-${f.path}`, source: 'fixture', kind: 'program', cobcDirect: !hasExec, free: isFree(f.text), text: f.text.replace(/\r\n/g, '\n') }, copybooks: fixtureCopybooks });
  }
  opts.log(`corpus: ${candidates.length} candidate programs (${fixtures.programs.length} fixtures), validating with cobc, 2 at a time`);
  const accepted: Candidate[] = [];
  const rejected: Record<string, number> = {};
  let execChecked = 0;
  await pool(candidates, 2, async (c, i) => {
    const dir = join(check, String(i % 2));
    const copyDir = join(dir, `copy-${i}`);
    mkdirSync(copyDir, { recursive: true });
    for (const [name, text] of c.copybooks) {
      // Lower-case programs COPY lower-case names: provide both spellings.
      const file = /\./.test(name) ? name : name + '.cpy';
      writeFileSync(join(copyDir, file), text, 'latin1');
      writeFileSync(join(copyDir, file.toLowerCase()), text, 'latin1');
      if (/\./.test(name)) writeFileSync(join(copyDir, name.replace(/\.[^.]*$/, '') + '.cpy'), text, 'latin1');
    }
    writeFileSync(join(copyDir, 'DFHAID.cpy'), DFHAID_STUB);
    writeFileSync(join(copyDir, 'dfhaid.cpy'), DFHAID_STUB);
    let text = c.doc.text;
    if (!c.doc.cobcDirect) {
      const ex = checkExec(text, c.doc.free, [...c.copybooks.values()].join('\n'));
      execChecked++;
      if (!ex.ok) {
        rejected[`${c.doc.source}: exec check`] = (rejected[`${c.doc.source}: exec check`] ?? 0) + 1;
        if (c.doc.source === 'fixture') opts.log(`  rejected ${c.doc.id}: ${ex.problems[0]}`);
        rmSync(copyDir, { recursive: true, force: true });
        return;
      }
      text = ex.compilable;
    }
    const res = await cobcOk(dir, `p${i}`, text, c.doc.free, copyDir);
    rmSync(copyDir, { recursive: true, force: true });
    if (res.ok) accepted.push(c);
    else {
      rejected[`${c.doc.source}: cobc`] = (rejected[`${c.doc.source}: cobc`] ?? 0) + 1;
      if (c.doc.source === 'fixture') opts.log(`  rejected ${c.doc.id}: ${res.error}`);
    }
  });
  accepted.sort((a, b) => (a.doc.id < b.doc.id ? -1 : 1));
  const seen = new Set<string>();
  const splits: Record<Split, CorpusDoc[]> = { train: [], validation: [], test: [] };
  let duplicates = 0;
  for (const c of accepted) {
    const h = createHash('sha256').update(normalise(c.doc.text)).digest('hex');
    if (seen.has(h)) {
      duplicates++;
      continue;
    }
    seen.add(h);
    const split = splitOf(c.doc.id);
    splits[split].push({ ...c.doc, copybooks: Object.fromEntries(c.copybooks) });
    if (c.doc.source === 'generated') {
      for (const [name, text] of c.copybooks) {
        const ch = createHash('sha256').update(normalise(text)).digest('hex');
        if (seen.has(ch)) continue;
        seen.add(ch);
        splits[split].push({ id: `${c.doc.id}/${name}`, source: 'generated', kind: 'copybook', cobcDirect: false, free: c.doc.free, text });
      }
    }
  }
  // Fixture copybooks are shared by many fixture programs: they train.
  for (const [name, text] of fixtureCopybooks) {
    const ch = createHash('sha256').update(normalise(text)).digest('hex');
    if (seen.has(ch)) continue;
    seen.add(ch);
    splits.train.push({ id: `fix-copybook-${name}`, source: 'fixture', kind: 'copybook', cobcDirect: false, free: isFree(text), text: text.replace(/\r\n/g, '\n') });
  }
  for (const s of ['train', 'validation', 'test'] as const) writeFileSync(join(out, `${s}.jsonl`), splits[s].map((d) => JSON.stringify(d)).join('\n') + '\n');
  rmSync(check, { recursive: true, force: true });
  const count = (docs: CorpusDoc[]) => ({
    documents: docs.length,
    programs: docs.filter((d) => d.kind === 'program').length,
    copybooks: docs.filter((d) => d.kind === 'copybook').length,
    fixturePrograms: docs.filter((d) => d.kind === 'program' && d.source === 'fixture').length,
    lines: docs.reduce((s, d) => s + d.text.split('\n').length - 1, 0),
    bytes: docs.reduce((s, d) => s + d.text.length, 0),
  });
  const archetypes: Record<string, number> = {};
  const layouts: Record<string, number> = {};
  for (const c of accepted) {
    if (c.doc.archetype) archetypes[c.doc.archetype] = (archetypes[c.doc.archetype] ?? 0) + 1;
    const layout = c.doc.free ? 'free' : /^\d{6}/m.test(c.doc.text) ? 'fixed, sequence numbers' : 'fixed, blank sequence area';
    layouts[layout] = (layouts[layout] ?? 0) + 1;
  }
  const stats = {
    candidates: candidates.length,
    accepted: accepted.length,
    rejected,
    duplicates,
    execChecked,
    archetypes,
    layouts,
    lowerCasePrograms: accepted.filter((c) => /^[^*\n]*\bprocedure division\b/m.test(c.doc.text)).length,
    splits: { train: count(splits.train), validation: count(splits.validation), test: count(splits.test) },
  };
  writeFileSync(join(out, 'stats.json'), JSON.stringify(stats, null, 2) + '\n');
  opts.log(`corpus: accepted ${accepted.length}/${candidates.length}, ${duplicates} duplicates, rejected ${JSON.stringify(rejected)}`);
  return stats;
}
