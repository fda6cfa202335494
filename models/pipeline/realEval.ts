/**
 * The real-code test split as evaluation programs: every held-out program of
 * models/eval/realSplit.ts with its repository's copybooks, its format, and
 * whether cobc accepts it as it is (the compile-keep check applies only then:
 * most IBM samples need a precompiler or IBM dialect tolerances). Programs
 * that are not readable UTF-8 text are left out with a message, as in
 * training (realCorpus.ts).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { realTestSplit } from '../eval/realSplit';
import type { EvalProgram } from './evaluate';
import { classifyBytes } from './realCorpus';
import { isFree } from './stages/corpus';

const run = promisify(execFile);

export interface RealEvalProgram extends EvalProgram {
  repository: string;
}

export async function loadRealEvalPrograms(corpusDir: string, log: (msg: string) => void = () => {}): Promise<RealEvalProgram[]> {
  const files = realTestSplit(corpusDir);
  const text = (file: string): string | undefined => {
    const c = classifyBytes(readFileSync(file));
    if ('problem' in c) {
      log(`real split: left out ${file}: ${c.detail}`);
      return undefined;
    }
    return c.text;
  };
  const copybooksOf = new Map<string, Record<string, string>>();
  for (const f of files.filter((f) => f.kind === 'copybook')) {
    const body = text(f.file);
    if (body === undefined) continue;
    const books = copybooksOf.get(f.repository) ?? {};
    books[basename(f.path)] = body;
    copybooksOf.set(f.repository, books);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cobol-real-split-'));
  const programs: RealEvalProgram[] = [];
  try {
    for (const f of files.filter((f) => f.kind === 'program')) {
      const body = text(f.file);
      if (body === undefined) continue;
      const free = isFree(body);
      const copybooks = copybooksOf.get(f.repository) ?? {};
      programs.push({ id: `${f.repository}/${f.path}`, repository: f.repository, text: body, free, copybooks, cobcDirect: await acceptedByCobc(body, free, copybooks, dir) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return programs;
}

async function acceptedByCobc(text: string, free: boolean, copybooks: Record<string, string>, dir: string): Promise<boolean> {
  // A fresh folder per program: another program's copybooks must not satisfy this one's COPY.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of Object.entries(copybooks)) writeFileSync(join(dir, name), body, 'latin1');
  const file = join(dir, 'evalprog.cbl');
  writeFileSync(file, text, 'latin1');
  try {
    await run('cobc', ['-fsyntax-only', ...(free ? ['-free'] : []), '-I', dir, file], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
