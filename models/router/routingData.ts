/**
 * Routing data: for each evaluation case (models/pipeline/evaluate.ts's case
 * making and scoring), the local model's attempt with the router's features,
 * and whether the local and the remote answers were acceptable. The local
 * model runs in this process through the product's host; the remote one is
 * asked over real HTTP through the product's remote backend, so its time is
 * the latency a routed request adds. Used by `router:train` and `bench:router`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvalProgram, makeEvalCases, scoreCompletion } from '../pipeline/evaluate';
import type { CompletionRequest } from '../../server/model/backend';
import { LocalModelBackend } from '../../server/model/localBackend';
import { RemoteModelBackend } from '../../server/remote/remoteBackend';
import { routingFeatures } from '../../server/router/features';
import { frontEndErrorsOnLine } from '../../server/router/frontEndVerdict';

export interface AnswerScore {
  completion: string;
  exact: boolean;
  similarity: number;
  compiles: boolean | null;
  ms: number;
}

export interface RoutingCase {
  split: string;
  programId: string;
  /** Offsets of the cut and of its line's end in the program text. */
  cut: number;
  lineEnd: number;
  column: number;
  expected: string;
  features: number[];
  small: AnswerScore;
  large: AnswerScore;
}

export interface CollectOptions {
  split: string;
  programs: readonly EvalProgram[];
  cases: number;
  seed: number;
  maxTokens: number;
  local: LocalModelBackend;
  remote: RemoteModelBackend;
  compileCheck?: boolean;
  /** Outcomes of this many earlier local answers on the same program make the recent-rejections feature. */
  rejectionWindow?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function collectRoutingCases(options: CollectOptions): Promise<RoutingCase[]> {
  const byId = new Map(options.programs.map((p) => [p.id, p]));
  const cases = makeEvalCases(options.programs, options.cases, options.seed);
  const dir = mkdtempSync(join(tmpdir(), 'cobol-routing-'));
  const history = new Map<string, boolean[]>();
  const window = options.rejectionWindow ?? 8;
  const out: RoutingCase[] = [];
  try {
    for (const c of cases) {
      const prog = byId.get(c.programId)!;
      const request: CompletionRequest = { prefix: prog.text.slice(0, c.cut), suffix: prog.text.slice(c.lineEnd), maxTokens: options.maxTokens, timeBudgetMs: 60_000, stop: ['\n'] };
      await options.local.clearCache();
      // The two models run at once (one in this process, one in the server's): the case's wall time halves.
      const [small, large] = await Promise.all([
        options.local.complete(request),
        options.remote.complete({ ...request, timeBudgetMs: 30_000 }),
      ]);
      const score = async (text: string, ms: number): Promise<AnswerScore> => {
        const scored = await scoreCompletion(prog, c, text, dir, false);
        // An exact answer restores the original line's code, which cobc accepts as it is: no need to ask it.
        const compiles = !(options.compileCheck ?? true) || !prog.cobcDirect ? null
          : scored.exact ? true : (await scoreCompletion(prog, c, text, dir, true)).compiles;
        return { ...scored, compiles, ms };
      };
      const smallScore = await score(small.text, small.timings.totalMs);
      const largeScore = large.text === small.text ? { ...smallScore, ms: large.timings.totalMs } : await score(large.text, large.timings.totalMs);
      const recent = history.get(c.programId) ?? [];
      const features = routingFeatures({
        prefix: request.prefix,
        suffix: request.suffix,
        local: { text: small.text, tokenProbabilities: small.tokenProbabilities, endedLine: small.stopReason === 'stopString' || small.stopReason === 'eog', prefixTruncated: small.prefixTruncated },
        frontEndErrors: small.text ? frontEndErrorsOnLine(request.prefix, small.text, request.suffix) : 0,
        recentRejectionRate: recent.length ? recent.filter((accepted) => !accepted).length / recent.length : 0,
      });
      // A user would have rejected a wrong local suggestion: that is what the next cases of this program see.
      history.set(c.programId, [...recent, smallScore.exact].slice(-window));
      out.push({ split: options.split, programId: c.programId, cut: c.cut, lineEnd: c.lineEnd, column: c.column, expected: c.expected, features, small: smallScore, large: largeScore });
      options.onProgress?.(out.length, cases.length);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** sha256 of routing cases as serialised for the router file's `dataSha256`. */
export function routingDataSha256(cases: readonly RoutingCase[]): string {
  return createHash('sha256').update(JSON.stringify(cases.map((c) => [c.programId, c.column, c.expected, c.features, c.small.exact, c.large.exact]))).digest('hex');
}

/**
 * The test split's programs in two halves by a hash of their id: `train`
 * cases make the router, `heldOut` cases judge it (bench:router). By program,
 * so no program's lines are on both sides.
 */
export function splitPrograms<T extends { id: string }>(programs: readonly T[]): { train: T[]; heldOut: T[] } {
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const program of programs) {
    const bucket = createHash('sha256').update(program.id).digest()[0]! % 2;
    (bucket === 0 ? train : heldOut).push(program);
  }
  return { train, heldOut };
}
