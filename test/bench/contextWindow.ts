/**
 * The context-width question (issue 12), measured without training a model
 * for each width: on the real-code test split's evaluation cases (the same
 * cases as bench:model), which share of the user-defined names in the
 * expected completion (data names, paragraph names: words that are not
 * reserved) the prompt shows at all, with the product's prompt fitting
 * (server/model/fimPrompt.ts) at 512, 1,024 and 2,048 tokens. A name the
 * prompt does not show is one the model can only guess; this is the ceiling
 * of what a wider window can add. The cost side, one thread, for the committed
 * small model and each model named with --model (a candidate trained at a
 * wider context): prompt time from an empty cache for a prompt that fills
 * each width, and decode tokens/s after a prompt that nearly fills it
 * (attention reads the whole cache at each token). Above a model's trained
 * context only the timing is meaningful.
 *
 * Usage: npm run bench:context-window -- [--real-corpus DIR] [--cases N] [--model name=path.gguf ...]
 * Writes bench-results/context-window.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultRealCorpusDir } from '../../models/eval/realSplit';
import { EVAL, MODELS, bundledFile } from '../../models/pipeline/config';
import { makeEvalCases } from '../../models/pipeline/evaluate';
import { loadRealEvalPrograms } from '../../models/pipeline/realEval';
import { isReservedWord } from '../../server/cobol/reservedWords';
import { buildFimPrompt, defaultBudget } from '../../server/model/fimPrompt';
import { getRuntime } from '../../server/model/llamaRuntime';
import type { LlamaModel, Token } from 'node-llama-cpp';

const root = process.argv[2] ?? process.cwd();
const args = process.argv.slice(3);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const corpus = option('--real-corpus') ?? defaultRealCorpusDir(root);
const caseCount = Number(option('--cases') ?? EVAL.cases);
const WIDTHS = [512, 1024, 2048];
const models: Record<string, string> = { small: join(root, 'models', bundledFile(MODELS.small)) };
for (let i = 0; i < args.length; i++) {
  if (args[i] !== '--model') continue;
  const [name, path] = (args[++i] ?? '').split('=');
  if (!name || !path) throw new Error('--model needs name=path.gguf');
  models[name] = path;
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const round1 = (value: number) => Math.round(value * 10) / 10;

/** One thread, as the product runs a small model: full-prompt ms from an empty cache (median of 5) and decode tokens/s (median of 5 runs of 128 tokens). */
async function timings(model: LlamaModel, ids: readonly number[], width: number) {
  const context = await model.createContext({ contextSize: width, threads: 1, batchSize: Math.min(width, 512) });
  const sequence = context.getSequence();
  try {
    const prompt: number[] = [];
    const full = ids.slice(0, width - 8);
    for (let run = 0; run < 5; run++) {
      await sequence.clearHistory();
      const started = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(full as Token[]);
      prompt.push(performance.now() - started);
    }
    // Decode after a prompt that leaves room for 128 tokens; no end-of-text stop, so every run decodes 128.
    const decode: number[] = [];
    for (let run = 0; run < 5; run++) {
      await sequence.clearHistory();
      let first = 0;
      let count = 0;
      for await (const _token of sequence.evaluate(ids.slice(run * 7, run * 7 + width - 136) as Token[], { temperature: 0, yieldEogToken: true })) {
        if (count++ === 0) first = performance.now();
        if (count >= 128) break;
      }
      decode.push((count - 1) / ((performance.now() - first) / 1000));
    }
    return { fullPromptMsEmptyCache: round1(median(prompt)), promptTokensPerSecond: round1((full.length / median(prompt)) * 1000), decodeTokensPerSecond: round1(median(decode)) };
  } finally {
    await context.dispose();
  }
}

const names = (text: string) => new Set((text.match(/[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]/g) ?? []).map((w) => w.toUpperCase()).filter((w) => /[A-Z]/.test(w) && !isReservedWord(w)));

async function main() {
  if (!corpus) throw new Error('no real-code corpus: pass --real-corpus DIR');
  const programs = await loadRealEvalPrograms(corpus);
  const byId = new Map(programs.map((p) => [p.id, p]));
  const cases = makeEvalCases(programs, caseCount, EVAL.seed);
  const llama = await getRuntime('off');
  const model = await llama.loadModel({ modelPath: models.small! });
  const tokenizer = { tokenize: (text: string) => model.tokenize(text) as number[], detokenize: (tokens: readonly number[]) => model.detokenize(tokens as never) };
  const layout = { bos: 0, fim: { prefix: 1, suffix: 2, middle: 3 }, fimOrder: 'spm' as const };
  const result: Record<string, unknown> = {};
  for (const width of WIDTHS) {
    let wanted = 0;
    let shown = 0;
    let casesWithNames = 0;
    let casesAllShown = 0;
    let prefixTokens = 0;
    for (const c of cases) {
      const prog = byId.get(c.programId)!;
      const prefix = prog.text.slice(0, c.cut);
      const suffix = prog.text.slice(c.lineEnd);
      const prompt = buildFimPrompt(tokenizer as never, layout as never, prefix, suffix, { ...defaultBudget, contextSize: width, maxTokens: EVAL.maxTokens }, false);
      prefixTokens += prompt.tokens.length;
      // The suffix as fitPrompt fits it: its share of the budget (at most 16 characters per token).
      const suffixBudget = Math.floor((width - EVAL.maxTokens - 4) * defaultBudget.suffixShare);
      const suffixShown = model.detokenize(model.tokenize(suffix.slice(0, suffixBudget * 16)).slice(0, suffixBudget));
      const seen = names(prefix.slice(prompt.cut) + '\n' + suffixShown);
      const expected = [...names(c.expected)].filter((n) => prog.text.toUpperCase().split(n).length > 2);
      if (expected.length === 0) continue;
      casesWithNames++;
      wanted += expected.length;
      const hit = expected.filter((n) => seen.has(n)).length;
      shown += hit;
      if (hit === expected.length) casesAllShown++;
    }
    result[`context${width}`] = {
      cases: cases.length,
      casesWithNamesElsewhereInProgram: casesWithNames,
      namesShownShare: Math.round((shown / Math.max(1, wanted)) * 1000) / 1000,
      casesAllNamesShownShare: Math.round((casesAllShown / Math.max(1, casesWithNames)) * 1000) / 1000,
      meanPromptTokens: Math.round(prefixTokens / Math.max(1, cases.length)),
    };
    console.log(`[bench:context-window] ${width}: ${JSON.stringify(result[`context${width}`])}`);
  }
  // The cost side: every model at every width, on the same real-code token stream.
  const ids = model.tokenize(programs.map((p) => p.text).join('\n')).slice(0, Math.max(...WIDTHS) + 32) as number[];
  await model.dispose();
  const latency: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(models)) {
    const timed = await llama.loadModel({ modelPath: path });
    try {
      const byWidth: Record<string, unknown> = { trainContextSize: timed.trainContextSize };
      for (const width of WIDTHS) {
        byWidth[`context${width}`] = await timings(timed, ids, width);
        console.log(`[bench:context-window] ${name} at ${width}: ${JSON.stringify(byWidth[`context${width}`])}`);
      }
      latency[name] = byWidth;
    } finally {
      await timed.dispose();
    }
  }
  result.latency = latency;
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results/context-window.json'), JSON.stringify({ date: new Date().toISOString(), corpus, method: 'one thread; prompt = tokens of real code filling the width minus 8, evaluated from an empty cache, median of 5; decode = 127 tokens after the first, greedy, after a prompt of width minus 136, median of 5', ...result }, null, 2) + '\n');
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(`[bench:context-window] failed: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
