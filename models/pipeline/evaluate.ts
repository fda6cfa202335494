/**
 * Next-line completion evaluation through the product's own model host
 * (server/model/localBackend.ts: its prompt fitting, token healing and stop
 * strings; greedy). Each case cuts a held-out program at a seeded random point
 * inside a code line of its PROCEDURE DIVISION and asks the model for the rest
 * of that line, with the text before the cut as the prefix and the following
 * lines as the suffix, from an empty KV cache. Reports exact match, edit
 * similarity (1 - normalised Levenshtein) on the line's code area (columns up
 * to 72 in fixed format, trailing spaces ignored), and the compile-keep rate:
 * the share of completions after which the program still passes
 * `cobc -fsyntax-only` (programs cobc accepts as they are).
 *
 * API for the benchmark (`npm run bench:model`):
 *   evaluateModel(options: EvaluateOptions): Promise<EvaluationResult>
 *     options.modelPath   GGUF file;  options.programs  from loadEvalPrograms(testJsonl)
 *     options.cases (default 300), seed (4242), maxTokens (48), threads (1),
 *     useSuffix (true), tokenHealing (true), compileCheck (true), gpu ('auto')
 *   result.summary: { cases, exactMatch, editSimilarity, compileKeepRate, compileChecked,
 *                     meanPromptTokens, meanGeneratedTokens, msPerCase, ... }
 *   compareModels(a.cases, b.cases): b's gain over a on the same cases, with paired-bootstrap 95 % intervals.
 *   makeEvalCases(programs, n, seed) and lineSimilarity(a, b) are pure and exported too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { LocalModelBackend } from '../../server/model/localBackend';
import { Rng } from './corpus/rng';

const run = promisify(execFile);

export interface EvalProgram {
  id: string;
  text: string;
  /** cobc accepts the text as it is (no EXEC blocks): the compile-keep check applies. */
  cobcDirect: boolean;
  free: boolean;
  copybooks?: Record<string, string>;
}

export interface EvalCase {
  programId: string;
  /** Offset of the cut in the program text. */
  cut: number;
  /** Offset of the end of the cut line (the newline or the end of text). */
  lineEnd: number;
  /** Column of the cut within its line (0-based). */
  column: number;
  /** Expected rest of the line's code area, trailing spaces removed. */
  expected: string;
  fixed: boolean;
}

export interface EvaluateOptions {
  modelPath: string;
  programs: readonly EvalProgram[];
  cases?: number;
  seed?: number;
  maxTokens?: number;
  threads?: number;
  useSuffix?: boolean;
  tokenHealing?: boolean;
  compileCheck?: boolean;
  gpu?: 'auto' | 'off';
  /** Cases made elsewhere (pauseCases.ts) instead of makeEvalCases' random cuts. */
  caseList?: ReadonlyArray<EvalCase & { kind?: string }>;
  onProgress?: (done: number, total: number) => void;
}

export interface CaseResult {
  programId: string;
  /** The case's kind when it has one (pauseCases.ts). */
  kind?: string;
  column: number;
  expected: string;
  completion: string;
  exact: boolean;
  similarity: number;
  /** null when the compile check does not apply to this program. */
  compiles: boolean | null;
  promptTokens: number;
  generatedTokens: number;
  ms: number;
}

export interface EvaluationSummary {
  model: string;
  cases: number;
  exactMatch: number;
  editSimilarity: number;
  compileKeepRate: number;
  compileChecked: number;
  meanPromptTokens: number;
  meanGeneratedTokens: number;
  msPerCase: number;
  useSuffix: boolean;
  tokenHealing: boolean;
  seed: number;
}

export interface EvaluationResult {
  summary: EvaluationSummary;
  cases: CaseResult[];
}

export function loadEvalPrograms(jsonlPath: string): EvalProgram[] {
  return readFileSync(jsonlPath, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as EvalProgram & { kind: string })
    .filter((d) => d.kind === 'program');
}

function isFixedLine(line: string): boolean {
  return /^(\d{6}| {6})[ D-]/.test(line) || /^\d{6}\S?/.test(line);
}

/** Seeded cases: a random code line of the PROCEDURE DIVISION, cut at a random point inside its code. */
export function makeEvalCases(programs: readonly EvalProgram[], n: number, seed: number): EvalCase[] {
  const rng = new Rng(seed);
  const cases: EvalCase[] = [];
  const pool = programs.filter((p) => /PROCEDURE\s+DIVISION/i.test(p.text));
  if (pool.length === 0) return cases;
  for (let attempt = 0; cases.length < n && attempt < n * 20; attempt++) {
    const prog = pool[attempt < pool.length && n >= pool.length ? attempt : rng.int(0, pool.length - 1)]!;
    const text = prog.text;
    const procAt = text.search(/PROCEDURE\s+DIVISION/i);
    const lines: Array<{ start: number; line: string }> = [];
    let start = 0;
    for (const line of text.split('\n')) {
      if (start > procAt) lines.push({ start, line });
      start += line.length + 1;
    }
    const code = lines.filter(({ line }) => {
      const fixed = !prog.free && isFixedLine(line);
      const area = fixed ? line.slice(7, 72) : line;
      if (fixed && (line[6] === '*' || line[6] === '/')) return false;
      return area.trim().length >= 4 && !/^\s*\*>/.test(area) && !/^\s*>>/.test(area);
    });
    if (code.length === 0) continue;
    const { start: ls, line } = rng.pick(code);
    const fixed = !prog.free && isFixedLine(line);
    const areaStart = fixed ? 7 : 0;
    const areaEnd = fixed ? Math.min(72, line.length) : line.length;
    const area = line.slice(areaStart, areaEnd);
    const first = areaStart + (area.length - area.trimStart().length);
    const last = areaStart + area.trimEnd().length;
    if (last - first < 2) continue;
    const column = rng.int(first + 1, last - 1);
    cases.push({ programId: prog.id, cut: ls + column, lineEnd: ls + line.length, column, expected: line.slice(column, areaEnd).trimEnd(), fixed });
  }
  return cases;
}

/** 1 - Levenshtein(a, b) / max(|a|, |b|); 1 for two empty strings. */
export function lineSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const m = a.length;
  const n = b.length;
  if (m === 0 || n === 0) return 0;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return 1 - prev[n]! / Math.max(m, n);
}

/** Whether `text` (the program with a completion spliced in) passes cobc -fsyntax-only, with the program's copybooks in `dir`. */
export async function compiles(prog: EvalProgram, text: string, dir: string): Promise<boolean> {
  for (const [name, body] of Object.entries(prog.copybooks ?? {})) {
    const file = /\./.test(name) ? name : name + '.cpy';
    writeFileSync(join(dir, file), body, 'latin1');
    writeFileSync(join(dir, file.toLowerCase()), body, 'latin1');
  }
  // Not 'case.cbl': cobc rejects a base name that is a C keyword.
  const file = join(dir, 'evalprog.cbl');
  writeFileSync(file, text, 'latin1');
  try {
    await run('cobc', ['-fsyntax-only', ...(prog.free ? ['-free'] : []), '-I', dir, file], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  } finally {
    for (const name of Object.keys(prog.copybooks ?? {})) {
      const f = /\./.test(name) ? name : name + '.cpy';
      rmSync(join(dir, f), { force: true });
      rmSync(join(dir, f.toLowerCase()), { force: true });
    }
  }
}

/**
 * Scores one completion (`rest`, the text generated at the cut) against its
 * case: the line's code area compared with the expected text, and whether the
 * program still compiles with it (null where the check does not apply; `dir`
 * is a scratch folder). Shared with the router's benchmark and training tool.
 */
export async function scoreCompletion(prog: EvalProgram, c: EvalCase, rest: string, dir: string, compileCheck = true): Promise<Pick<CaseResult, 'completion' | 'exact' | 'similarity' | 'compiles'>> {
  const lineStart = prog.text.lastIndexOf('\n', c.cut - 1) + 1;
  const fullLine = prog.text.slice(lineStart, c.cut) + rest;
  const text = (c.fixed ? fullLine.slice(c.column, 72) : fullLine.slice(c.column)).trimEnd();
  let ok: boolean | null = null;
  if (compileCheck && prog.cobcDirect) ok = await compiles(prog, prog.text.slice(0, c.cut) + rest + prog.text.slice(c.lineEnd), dir);
  return { completion: text, exact: text === c.expected, similarity: lineSimilarity(text, c.expected), compiles: ok };
}

export async function evaluateModel(opts: EvaluateOptions): Promise<EvaluationResult> {
  const seed = opts.seed ?? 4242;
  const useSuffix = opts.useSuffix ?? true;
  const healing = opts.tokenHealing ?? true;
  const maxTokens = opts.maxTokens ?? 48;
  // The product's own host: the same prompt fitting, token healing and stopping as in the editor, greedy.
  const backend = await LocalModelBackend.load({ id: basename(opts.modelPath), path: opts.modelPath, threads: opts.threads ?? 1, contextSize: 0, gpu: opts.gpu ?? 'auto', temperature: 0, tokenHealing: healing });
  const dir = mkdtempSync(join(tmpdir(), 'cobol-eval-'));
  const byId = new Map(opts.programs.map((p) => [p.id, p]));
  const cases: ReadonlyArray<EvalCase & { kind?: string }> = opts.caseList ?? makeEvalCases(opts.programs, opts.cases ?? 300, seed);
  const results: CaseResult[] = [];
  try {
    if (!backend.info.fim) throw new Error(`${opts.modelPath} has no fill-in-the-middle tokens`);
    for (const c of cases) {
      const prog = byId.get(c.programId)!;
      // Each case starts from an empty cache: a case's result never depends on the one before.
      await backend.clearCache();
      const completion = await backend.complete({ prefix: prog.text.slice(0, c.cut), suffix: useSuffix ? prog.text.slice(c.lineEnd) : '', maxTokens, timeBudgetMs: 60_000, stop: ['\n'] });
      const score = await scoreCompletion(prog, c, completion.text, dir, opts.compileCheck ?? true);
      results.push({ programId: c.programId, ...(c.kind ? { kind: c.kind } : {}), column: c.column, expected: c.expected, ...score, promptTokens: completion.timings.promptTokens, generatedTokens: completion.tokenProbabilities.length, ms: completion.timings.totalMs });
      opts.onProgress?.(results.length, cases.length);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await backend.dispose();
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const checked = results.filter((r) => r.compiles !== null);
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return {
    summary: {
      model: opts.modelPath.split('/').pop()!,
      cases: results.length,
      exactMatch: round(mean(results.map((r) => (r.exact ? 1 : 0)))),
      editSimilarity: round(mean(results.map((r) => r.similarity))),
      compileKeepRate: round(mean(checked.map((r) => (r.compiles ? 1 : 0)))),
      compileChecked: checked.length,
      meanPromptTokens: Math.round(mean(results.map((r) => r.promptTokens))),
      meanGeneratedTokens: round(mean(results.map((r) => r.generatedTokens))),
      msPerCase: Math.round(mean(results.map((r) => r.ms))),
      useSuffix,
      tokenHealing: healing,
      seed,
    },
    cases: results,
  };
}

export interface ModelComparison {
  cases: number;
  /** b minus a, as shares (exact match) and mean similarity. */
  exactMatchDelta: number;
  editSimilarityDelta: number;
  /** 95 % intervals of the deltas from a paired bootstrap over the cases (seeded). */
  exactMatch95: [number, number];
  editSimilarity95: [number, number];
  /** Cases where b's completion is more / less similar to the expected text than a's. */
  betterCases: number;
  worseCases: number;
}

/**
 * Paired comparison of two models evaluated on the same cases (same programs,
 * seed and count): how much better b is than a, and whether that survives
 * resampling. An interval above zero is the "measurably better" the router needs.
 */
export function compareModels(a: readonly CaseResult[], b: readonly CaseResult[], seed = 1, resamples = 2000): ModelComparison {
  if (a.length !== b.length || a.some((c, i) => c.programId !== b[i]!.programId || c.expected !== b[i]!.expected)) {
    throw new Error('compareModels needs results for the same cases, in the same order');
  }
  const n = a.length;
  const exact = a.map((c, i) => (b[i]!.exact ? 1 : 0) - (c.exact ? 1 : 0));
  const similarity = a.map((c, i) => b[i]!.similarity - c.similarity);
  const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : 0);
  const rng = new Rng(seed);
  const interval = (deltas: readonly number[]): [number, number] => {
    if (n === 0) return [0, 0];
    const means: number[] = [];
    for (let r = 0; r < resamples; r++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += deltas[rng.int(0, n - 1)]!;
      means.push(sum / n);
    }
    means.sort((x, y) => x - y);
    return [round4(means[Math.floor(0.025 * (resamples - 1))]!), round4(means[Math.ceil(0.975 * (resamples - 1))]!)];
  };
  return {
    cases: n,
    exactMatchDelta: round4(mean(exact)),
    editSimilarityDelta: round4(mean(similarity)),
    exactMatch95: interval(exact),
    editSimilarity95: interval(similarity),
    betterCases: similarity.filter((d) => d > 0).length,
    worseCases: similarity.filter((d) => d < 0).length,
  };
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

/**
 * Mean negative log-likelihood (nats per token) that a loaded model gives the
 * first `tokensPerText` tokens of each text, teacher-forced, computed by
 * llama.cpp itself (the full distribution at every position, temperature 1, no
 * truncation). A quick check that a GGUF file holds a trained model.
 */
export async function heldOutLoss(model: import('node-llama-cpp').LlamaModel, texts: readonly string[], tokensPerText = 256, threads = 1): Promise<number> {
  const context = await model.createContext({ contextSize: Math.min(model.trainContextSize, 1024), threads });
  const sequence = context.getSequence();
  let total = 0;
  let count = 0;
  try {
    for (const text of texts) {
      await sequence.clearHistory();
      const ids = [model.tokens.bos!, ...model.tokenize(text)].slice(0, tokensPerText + 1);
      const options = { temperature: 1, topK: 0, topP: 1, minP: 0 };
      const res = await sequence.controlledEvaluate(ids.slice(0, -1).map((t) => [t, { generateNext: { probabilities: true, options } }] as const));
      for (let i = 0; i < ids.length - 1; i++) {
        const p = res[i]?.next?.probabilities?.get(ids[i + 1]!) ?? 1e-9;
        total -= Math.log(Math.max(p, 1e-9));
        count++;
      }
    }
  } finally {
    await context.dispose();
  }
  return total / Math.max(1, count);
}
