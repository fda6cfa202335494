/**
 * Cut points where developers pause, for `npm run bench:completion`: after a
 * statement verb (`MOVE `, `PERFORM `…), after `TO `, after a level number,
 * inside a PIC clause (after `PIC `), at a blank PROCEDURE DIVISION line (the
 * cursor at the statement's indentation) and mid-statement (a random column,
 * as models/pipeline/evaluate.ts cuts). The same number of cases of each kind
 * where the programs offer them; seeded. Scoring reuses evaluate.ts
 * (`EvalCase`, `lineSimilarity`, `compiles`).
 *
 * Also turns the real-code test split (models/eval/realSplit.ts) into
 * `EvalProgram`s: every held-out program with the copybooks of its repository;
 * the compile-keep check applies to the programs cobc accepts as they are.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type RealCorpusFile, realTestSplit } from '../../models/eval/realSplit';
import { Rng } from '../../models/pipeline/corpus/rng';
import { compiles, type EvalCase, type EvalProgram } from '../../models/pipeline/evaluate';
import { detectSourceFormat } from '../../server/cobol';
import { statementVerbs } from '../../server/cobol/reservedWords';
import type { EngineInput } from '../../server/completion';
import { defaultSettings } from '../../server/settings';
import { MemoryDocuments, Workspace } from '../../server/workspace';

export type PauseKind = 'afterVerb' | 'afterTo' | 'afterLevel' | 'inPicture' | 'blankLine' | 'midStatement';

export interface PauseCase extends EvalCase {
  kind: PauseKind;
}

export function makePauseCases(programs: readonly EvalProgram[], n: number, seed: number): PauseCase[] {
  const byKind = new Map<PauseKind, PauseCase[]>();
  const rng = new Rng(seed);
  for (const program of programs) {
    let offset = 0;
    let division: 'other' | 'data' | 'procedure' = 'other';
    for (const line of program.text.split('\n')) {
      const start = offset;
      offset += line.length + 1;
      const fixed = !program.free && /^[ 0-9A-Za-z]{6}[ *\/D-]/.test(line) && line.length >= 7;
      if (fixed && (line[6] === '*' || line[6] === '/')) continue;
      const areaStart = fixed ? 7 : 0;
      const areaEnd = fixed ? Math.min(72, line.length) : line.length;
      const area = line.slice(areaStart, areaEnd);
      if (/^\s*\*>/.test(area) || /^\s*>>/.test(area)) continue;
      const upper = area.toUpperCase();
      if (/\bDATA\s+DIVISION\b/.test(upper)) division = 'data';
      if (/\bPROCEDURE\s+DIVISION\b/.test(upper)) {
        division = 'procedure';
        continue;
      }
      if (area.trim().length < 4 || division === 'other') continue;
      const add = (kind: PauseKind, column: number) => {
        const expected = line.slice(column, areaEnd).trimEnd();
        if (expected.trim().length === 0 || column <= areaStart - 1) return;
        (byKind.get(kind) ?? byKind.set(kind, []).get(kind)!).push({ kind, programId: program.id, cut: start + column, lineEnd: start + line.length, column, expected, fixed });
      };
      const indent = areaStart + (area.length - area.trimStart().length);
      if (division === 'data') {
        const level = /^(\s*)(\d{1,2})(\s+)/.exec(area);
        if (level) add('afterLevel', areaStart + level[0].length);
        const picture = /\bPIC(TURE)?\s+(IS\s+)?/i.exec(area);
        if (picture) add('inPicture', areaStart + picture.index + picture[0].length);
        continue;
      }
      const verb = /^(\s*)([A-Za-z-]+)(\s+)/.exec(area);
      if (verb && statementVerbs.has(verb[2]!.toUpperCase())) add('afterVerb', areaStart + verb[0].length);
      const to = /\sTO\s+/i.exec(area);
      if (to && to.index + to[0].length < area.trimEnd().length) add('afterTo', areaStart + to.index + to[0].length);
      if (verb && statementVerbs.has(verb[2]!.toUpperCase())) add('blankLine', indent);
      const last = areaStart + area.trimEnd().length;
      if (last - indent >= 3) add('midStatement', rng.int(indent + 1, last - 1));
    }
  }
  const kinds = [...byKind.keys()].sort();
  const cases: PauseCase[] = [];
  const pools = new Map(kinds.map((kind) => [kind, [...byKind.get(kind)!]]));
  for (let round = 0; cases.length < n && pools.size > 0; round++) {
    for (const kind of kinds) {
      const pool = pools.get(kind);
      if (!pool || cases.length >= n) continue;
      if (pool.length === 0) {
        pools.delete(kind);
        continue;
      }
      cases.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]!);
    }
  }
  return cases;
}

/** Real programs as evaluation programs, by default the real-code test split (copybooks from the same repository). */
export async function realPrograms(corpusDir: string, files: readonly RealCorpusFile[] = realTestSplit(corpusDir), options: { compileCheck?: boolean } = {}): Promise<EvalProgram[]> {
  const copybooksByRepository = new Map<string, Record<string, string>>();
  for (const file of files.filter((f) => f.kind === 'copybook')) {
    const books = copybooksByRepository.get(file.repository) ?? {};
    books[basename(file.path)] = readFileSync(file.file, 'latin1');
    copybooksByRepository.set(file.repository, books);
  }
  const dir = mkdtempSync(join(tmpdir(), 'real-cobc-'));
  const programs: EvalProgram[] = [];
  try {
    for (const file of files.filter((f) => f.kind === 'program')) {
      const text = readFileSync(file.file, 'latin1').replace(/\r\n?/g, '\n');
      if (!/PROCEDURE\s+DIVISION/i.test(text)) continue;
      const free = detectSourceFormat(text.split('\n')) === 'free';
      const program: EvalProgram = { id: `${file.repository}/${file.path}`, text, cobcDirect: false, free, copybooks: copybooksByRepository.get(file.repository) ?? {} };
      // The compile-keep check applies where cobc accepts the program as it is.
      program.cobcDirect = options.compileCheck !== false && !/\bEXEC\s+(SQL|CICS|DLI)\b/i.test(text) && await compiles(program, text, dir);
      programs.push(program);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return programs;
}

/** The engine's input for the cursor at `offset` of `text`. */
export function inputAt(id: string, text: string, offset: number, extra: Partial<EngineInput> = {}): EngineInput {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { id, text, offset, line: before.split('\n').length - 1, character: offset - lineStart, trigger: 'automatic', ...extra };
}

/**
 * A pause point as an editor would have it: the program's copybooks in
 * `folder` (written once per folder), the program cut at the cursor (the
 * rest of the line not typed yet) open in a workspace over that folder and
 * analysed.
 */
export async function openPause(program: EvalProgram, pause: EvalCase, folder: string): Promise<{ workspace: Workspace; id: string; text: string }> {
  if (!existsSync(folder)) {
    mkdirSync(folder, { recursive: true });
    for (const [book, text] of Object.entries(program.copybooks ?? {})) writeFileSync(join(folder, /\./.test(book) ? book : `${book}.cpy`), text, 'latin1');
  }
  const id = join(folder, 'PROGRAM.cbl');
  const text = program.text.slice(0, pause.cut) + program.text.slice(pause.lineEnd);
  const documents = new MemoryDocuments();
  const workspace = new Workspace({ documents, settingsFor: async () => ({ ...defaultSettings, sourceFormat: program.free ? 'free' : 'auto' }) });
  workspace.setRoots([folder]);
  documents.set(id, text);
  await workspace.analysis(id);
  return { workspace, id, text };
}
