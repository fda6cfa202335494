/**
 * `npm run model:eval -- --programs DIR [--copybooks DIR]... [--model small|large|FILE.gguf]... [--cases N] [--seed S]`
 *
 * The pipeline's next-line evaluation (evaluate.ts) on a folder of COBOL the
 * project never saw: a shop's own code, which never leaves the machine. Every
 * file under DIR with a PROCEDURE DIVISION is a program; copybooks come from
 * the --copybook folders (and from DIR's files without a PROCEDURE DIVISION).
 * The compile-keep rate covers the programs that pass `cobc -fsyntax-only` as
 * they are. Prints one summary per model and writes
 * bench-results/model-eval.json.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { detectSourceFormat, splitLines } from '../../server/cobol/sourceFormat';
import { EVAL, MODELS, bundledFile } from './config';
import { evaluateModel, type EvalProgram } from './evaluate';

const run = promisify(execFile);
const SOURCE_EXTENSIONS = new Set(['.cbl', '.cob', '.cobol', '.cpy', '.copy', '']);

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full));
    else if (SOURCE_EXTENSIONS.has(extname(name).toLowerCase())) out.push(full);
  }
  return out;
}

/** COBOL text as the evaluation reads it: latin1 (byte for byte), LF line ends. */
function readSource(path: string): string {
  return readFileSync(path, 'latin1').replace(/\r\n?/g, '\n');
}

async function cobcAccepts(path: string, free: boolean, includeDirs: readonly string[]): Promise<boolean> {
  try {
    await run('cobc', ['-fsyntax-only', ...(free ? ['-free'] : []), ...includeDirs.flatMap((d) => ['-I', d]), path], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** The programs under `dir` with their copybooks, ready for evaluateModel. */
export async function loadProgramFolder(dir: string, copybookDirs: readonly string[] = []): Promise<EvalProgram[]> {
  return loadProgramFiles(filesUnder(dir), dir, copybookDirs);
}

/** The programs among `files` with their copybooks (the other files and `copybookDirs`); ids relative to `baseDir`. */
export async function loadProgramFiles(files: readonly string[], baseDir: string, copybookDirs: readonly string[] = []): Promise<EvalProgram[]> {
  const dir = baseDir;
  const sources = files.map((path) => ({ path, text: readSource(path) }));
  const isProgram = (text: string) => /PROCEDURE\s+DIVISION/i.test(text);
  const copybooks: Record<string, string> = {};
  for (const { path, text } of [...sources.filter((s) => !isProgram(s.text)), ...copybookDirs.flatMap((d) => filesUnder(d).map((path) => ({ path, text: readSource(path) })))]) {
    copybooks[basename(path, extname(path)).toUpperCase()] = text;
  }
  const includeDirs = [...new Set([...copybookDirs, ...sources.map((s) => resolve(s.path, '..'))])];
  const programs: EvalProgram[] = [];
  for (const { path, text } of sources.filter((s) => isProgram(s.text))) {
    const free = detectSourceFormat(splitLines(text)) === 'free';
    const hasExec = /\bEXEC\s+(SQL|CICS|DLI)\b/i.test(text);
    programs.push({ id: relative(dir, path), text, free, cobcDirect: !hasExec && (await cobcAccepts(path, free, includeDirs)), copybooks });
  }
  return programs;
}

async function main(root: string, argv: string[]): Promise<number> {
  const values = (name: string) => argv.flatMap((a, i) => (a === name && argv[i + 1] ? [argv[i + 1]!] : []));
  const [programsDir] = values('--programs');
  if (!programsDir || !existsSync(programsDir)) {
    console.error('usage: npm run model:eval -- --programs DIR [--copybooks DIR]... [--model small|large|FILE.gguf]... [--cases N] [--seed S]');
    return 2;
  }
  const bundled: Record<string, string> = { small: join('models', bundledFile(MODELS.small)), large: join('models', bundledFile(MODELS.large)) };
  const models = (values('--model').length ? values('--model') : ['small', 'large']).map((m) => ({ name: bundled[m] ? m : basename(m), path: resolve(root, bundled[m] ?? m) }));
  const cases = Number(values('--cases')[0] ?? EVAL.cases);
  const seed = Number(values('--seed')[0] ?? EVAL.seed);
  const programs = await loadProgramFolder(resolve(programsDir), values('--copybooks').map((d) => resolve(d)));
  const lines = programs.reduce((n, p) => n + p.text.split('\n').length, 0);
  console.log(`[model:eval] ${programs.length} programs (${lines} lines, ${programs.filter((p) => p.cobcDirect).length} accepted by cobc as they are) under ${programsDir}`);
  if (programs.length === 0) return 2;
  const results: Record<string, unknown> = {};
  for (const model of models) {
    const { summary } = await evaluateModel({ modelPath: model.path, programs, cases, seed, maxTokens: EVAL.maxTokens });
    console.log(`[model:eval] ${model.name}: exact match ${(summary.exactMatch * 100).toFixed(1)} %, edit similarity ${summary.editSimilarity.toFixed(3)}, compile-keep ${(summary.compileKeepRate * 100).toFixed(1)} % of ${summary.compileChecked}, ${summary.msPerCase} ms per case`);
    results[model.name] = summary;
  }
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results/model-eval.json'), JSON.stringify({ date: new Date().toISOString(), programs: programs.length, lines, cases, seed, ...results }, null, 2) + '\n');
  console.log('[model:eval] wrote bench-results/model-eval.json');
  return 0;
}

if (process.argv[1]?.includes('evaluateFolder')) {
  main(process.argv[2] ?? process.cwd(), process.argv.slice(3)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`[model:eval] failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
