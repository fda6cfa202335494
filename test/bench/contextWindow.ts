/**
 * The context-width question (issue 12), measured without training a model
 * for each width: on the real-code test split's evaluation cases (the same
 * cases as bench:model), which share of the user-defined names in the
 * expected completion (data names, paragraph names: words that are not
 * reserved) the prompt shows at all, with the product's prompt fitting
 * (server/model/fimPrompt.ts) at 512, 1,024 and 2,048 tokens. A name the
 * prompt does not show is one the model can only guess; this is the ceiling
 * of what a wider window can add. The cost side: prompt time from an empty
 * cache at each width with the committed small model (its weights are
 * trained at 512, so only the timing is meaningful above that).
 *
 * Usage: node scripts/runTypeScript.mjs test/bench/contextWindow.ts -- [--real-corpus DIR] [--cases N]
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

const root = process.argv[2] ?? process.cwd();
const args = process.argv.slice(3);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const corpus = option('--real-corpus') ?? defaultRealCorpusDir(root);
const caseCount = Number(option('--cases') ?? EVAL.cases);
const WIDTHS = [512, 1024, 2048];

const names = (text: string) => new Set((text.match(/[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9]/g) ?? []).map((w) => w.toUpperCase()).filter((w) => /[A-Z]/.test(w) && !isReservedWord(w)));

async function main() {
  if (!corpus) throw new Error('no real-code corpus: pass --real-corpus DIR');
  const programs = await loadRealEvalPrograms(corpus);
  const byId = new Map(programs.map((p) => [p.id, p]));
  const cases = makeEvalCases(programs, caseCount, EVAL.seed);
  const llama = await getRuntime('off');
  const model = await llama.loadModel({ modelPath: join(root, 'models', bundledFile(MODELS.small)) });
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
    // Prompt time from an empty cache at this width: a prompt that fills the window.
    const context = await model.createContext({ contextSize: width, threads: 1 });
    const sequence = context.getSequence();
    const times: number[] = [];
    const text = programs.map((p) => p.text).join('\n');
    const ids = model.tokenize(text).slice(0, width - 8);
    for (let run = 0; run < 5; run++) {
      await sequence.clearHistory();
      const started = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(ids);
      times.push(performance.now() - started);
    }
    await context.dispose();
    times.sort((a, b) => a - b);
    result[`context${width}`] = {
      cases: cases.length,
      casesWithNamesElsewhereInProgram: casesWithNames,
      namesShownShare: Math.round((shown / Math.max(1, wanted)) * 1000) / 1000,
      casesAllNamesShownShare: Math.round((casesAllShown / Math.max(1, casesWithNames)) * 1000) / 1000,
      meanPromptTokens: Math.round(prefixTokens / Math.max(1, cases.length)),
      fullPromptMsEmptyCache: Math.round(times[2]! * 10) / 10,
    };
    console.log(`[bench:context-window] ${width}: ${JSON.stringify(result[`context${width}`])}`);
  }
  await model.dispose();
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results/context-window.json'), JSON.stringify({ date: new Date().toISOString(), corpus, ...result }, null, 2) + '\n');
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(`[bench:context-window] failed: ${e instanceof Error ? e.stack : String(e)}`);
  process.exit(1);
});
