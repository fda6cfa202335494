/**
 * The COBOL-aware context: what the model should know at the cursor that the
 * prompt's prefix (about 270 tokens with the bundled models) no longer shows.
 *
 * Candidates, scored and then budgeted in tokens by the model host (whole
 * lines, best first; see fimPrompt.ts):
 * - declarations (level, name, PIC, USAGE) of the data items used on the
 *   lines around the cursor, and of items whose names the user has started,
 *   from copybooks too, with their 88-level condition names;
 * - the file (FD) whose record is in use;
 * - the current paragraph and the paragraphs it PERFORMs, as a comment line.
 * Items declared in the part of the program the prompt still shows are left
 * out. Lines are written in the program's own case and layout, so the
 * context reads like the program's own text.
 *
 * Also answers what the rest of the pipeline needs from the analysis: whether
 * the cursor is in the PROCEDURE DIVISION or an EXEC block, and the names in
 * scope (name-aware decoding, validation). Per-analysis facts are computed
 * once (WeakMap) and reused for every keystroke on the same analysis.
 */
import { type Analysis, type CobolSymbol, type Occurrence, type ProgramModel, programAt } from '../cobol';

export interface CobolContext {
  /** Context lines, best first, joined by line breaks ('' when none). */
  text: string;
  /** The names of the items the lines declare (for tests and statistics). */
  items: string[];
  inProcedure: boolean;
  inExec: boolean;
  /** Names in scope at the cursor (upper case), for name-aware decoding and validation. */
  names: ReadonlySet<string>;
  /** The same as a list, one instance per analysis and program (the host caches its sorted form by it). */
  nameList: readonly string[];
  /** The program is complete (no copybook missing): an undefined name is really undefined. */
  complete: boolean;
}

export interface ContextOptions {
  /** Zero-based cursor line and column in the program file. */
  line: number;
  character: number;
  /** The partial word at the cursor (may be ''). */
  partialWord: string;
  /** Lines from this one on are in the prompt anyway: their declarations are not repeated. */
  visibleFromLine: number;
  fixed: boolean;
  lowerCase: boolean;
  /** Most context lines produced (the host's token budget cuts further). */
  maxLines: number;
}

interface Facts {
  /** Per program model: the file-0 line of its PROCEDURE DIVISION header (Infinity when none). */
  procedureLine: Map<ProgramModel, number>;
  /** File-0 occurrences by line. */
  byLine: Map<number, Occurrence[]>;
  /** File-0 paragraph and section declarations in line order. */
  procedures: { line: number; symbol: CobolSymbol }[];
  /** File-0 lines each EXEC … END-EXEC block spans (the lexer keeps a block as one token), in order. */
  execBlocks: { line: number; endLine: number }[];
  names: Map<ProgramModel, Set<string>>;
  nameLists: Map<ProgramModel, string[]>;
  complete: boolean;
}

const factsCache = new WeakMap<Analysis, Facts>();
/** Lines above and below the cursor whose names count as "used near the cursor". */
const nearAbove = 12;
const nearBelow = 3;

export function buildCobolContext(analysis: Analysis, options: ContextOptions): CobolContext {
  const facts = factsOf(analysis);
  const program = programAt(analysis, { line: options.line, character: options.character });
  const procedureLine = program ? facts.procedureLine.get(program) ?? Infinity : Infinity;
  const inProcedure = options.line > procedureLine;
  const inExec = facts.execBlocks.some((block) => block.line <= options.line && options.line <= block.endLine);
  const names = program ? facts.names.get(program) ?? new Set<string>() : new Set<string>();
  const nameList = program ? facts.nameLists.get(program) ?? [] : [];
  const empty = { text: '', items: [], inProcedure, inExec, names, nameList, complete: facts.complete };
  if (!program) return empty;

  const scores = new Map<CobolSymbol, number>();
  const add = (symbol: CobolSymbol, score: number) => scores.set(symbol, (scores.get(symbol) ?? 0) + score);
  for (let line = Math.max(0, options.line - nearAbove); line <= options.line + nearBelow; line++) {
    for (const occurrence of facts.byLine.get(line) ?? []) {
      if (occurrence.declaration || occurrence.symbol.program !== program.node) continue;
      const symbol = occurrence.symbol;
      if (symbol.kind !== 'data' && symbol.kind !== 'condition' && symbol.kind !== 'file') continue;
      const distance = Math.abs(options.line - line);
      add(symbol.kind === 'condition' && symbol.parent ? symbol.parent : symbol, 10 / (1 + distance));
    }
  }
  const partial = options.partialWord.toUpperCase();
  if (partial.length >= 2 && inProcedure) {
    let found = 0;
    for (const symbol of program.symbols) {
      if ((symbol.kind === 'data' || symbol.kind === 'condition') && symbol.name.startsWith(partial) && symbol.name !== 'FILLER') {
        add(symbol.kind === 'condition' && symbol.parent ? symbol.parent : symbol, 6);
        if (++found >= 12) break;
      }
    }
  }
  const lines: { score: number; text: string; name: string }[] = [];
  for (const [symbol, score] of scores) {
    if (symbol.declaration.file === 0 && symbol.declaration.range.start.line >= options.visibleFromLine) continue;
    const rendered = render(symbol, options);
    if (rendered) lines.push({ score, text: rendered, name: symbol.name });
  }
  lines.sort((a, b) => b.score - a.score);
  const current = lastProcedureBefore(facts.procedures, options.line);
  const chosen = lines.slice(0, options.maxLines);
  if (current && inProcedure) {
    const performed = new Set<string>();
    for (let line = current.line + 1; line <= options.line + nearBelow; line++) {
      for (const occurrence of facts.byLine.get(line) ?? []) {
        const kind = occurrence.symbol.kind;
        if (!occurrence.declaration && (kind === 'paragraph' || kind === 'section')) performed.add(occurrence.symbol.name);
      }
    }
    if (current.line < options.visibleFromLine || performed.size > 0) {
      const comment = `${current.symbol.name}${performed.size ? ` PERFORMS ${[...performed].slice(0, 6).join(' ')}` : ''}`;
      chosen.push({ score: 0, name: current.symbol.name, text: commentLine(options.lowerCase ? comment.toLowerCase() : comment, options.fixed) });
    }
  }
  return { ...empty, text: chosen.map((line) => line.text).join('\n'), items: chosen.map((line) => line.name) };
}

/** The declaration line of a data item (with its 88s) or of a file, in the program's layout and case. */
function render(symbol: CobolSymbol, options: ContextOptions): string | undefined {
  const indent = options.fixed ? '       ' : '';
  const cased = (text: string) => (options.lowerCase ? lowerOutsideQuotes(text) : text);
  if (symbol.kind === 'file') return cased(`${indent}FD  ${symbol.name}.`);
  const data = symbol.data;
  if (!data) return undefined;
  const level = String(data.level).padStart(2, '0');
  const depth = Math.min(4, Math.max(0, chainDepth(symbol)));
  const parts = [`${indent}${'    '.repeat(depth)}${level}  ${symbol.name}`];
  if (data.entry.picture) parts.push(`PIC ${data.entry.picture}`);
  if (data.usage && data.usage !== 'DISPLAY') parts.push(data.usage === 'PACKED-DECIMAL' ? 'COMP-3' : data.usage);
  if (data.entry.occurs) parts.push('OCCURS');
  const lines = [`${parts.join(' ')}.`];
  if (data.entry.occurs) lines[0] = lines[0]!.replace(' OCCURS.', '.'); // the count is not worth its tokens
  for (const child of symbol.children) {
    if (child.kind !== 'condition' || lines.length > 4) continue;
    const values = child.data?.entry.values ?? [];
    lines.push(`${indent}${'    '.repeat(depth + 1)}88  ${child.name}${values.length ? ` VALUE ${values.slice(0, 3).join(' ')}` : ''}.`);
  }
  return cased(lines.map((line) => (options.fixed ? line.slice(0, 72) : line)).join('\n'));
}

function chainDepth(symbol: CobolSymbol): number {
  let depth = 0;
  for (let parent = symbol.parent; parent && depth < 8; parent = parent.parent) depth++;
  return depth;
}

function commentLine(text: string, fixed: boolean): string {
  return fixed ? `      * ${text}`.slice(0, 72) : `*> ${text}`;
}

function lowerOutsideQuotes(text: string): string {
  return text.replace(/("[^"]*"|'[^']*')|[^"']+/g, (part, literal: string | undefined) => (literal ? part : part.toLowerCase()));
}

function factsOf(analysis: Analysis): Facts {
  let facts = factsCache.get(analysis);
  if (facts) return facts;
  const byLine = new Map<number, Occurrence[]>();
  const procedures: Facts['procedures'] = [];
  for (const occurrence of analysis.model.occurrences) {
    if (occurrence.file !== 0) continue;
    (byLine.get(occurrence.line) ?? byLine.set(occurrence.line, []).get(occurrence.line)!).push(occurrence);
    const kind = occurrence.symbol.kind;
    if (occurrence.declaration && (kind === 'paragraph' || kind === 'section')) procedures.push({ line: occurrence.line, symbol: occurrence.symbol });
  }
  procedures.sort((a, b) => a.line - b.line);
  const procedureLine = new Map<ProgramModel, number>();
  const execBlocks: Facts['execBlocks'] = [];
  const tokens = analysis.tokens;
  const procedureHeaders: { line: number; start: number }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.file !== 0) continue;
    if (token.upper === 'PROCEDURE' && tokens[i + 1]?.upper === 'DIVISION') procedureHeaders.push({ line: token.line, start: i });
    else if (token.exec !== undefined) execBlocks.push({ line: token.line, endLine: token.endLine });
  }
  for (const model of analysis.model.programs) {
    const header = procedureHeaders.find((candidate) => candidate.start >= model.node.start && candidate.start <= model.node.end);
    procedureLine.set(model, header ? header.line : Infinity);
  }
  const names = new Map<ProgramModel, Set<string>>();
  for (const model of analysis.model.programs) {
    const set = new Set<string>();
    for (let scope: ProgramModel | undefined = model; scope; scope = analysis.model.programs.find((candidate) => candidate.node === scope!.node.parent)) {
      for (const symbol of scope.symbols) if (symbol.name !== 'FILLER') set.add(symbol.name);
    }
    names.set(model, set);
  }
  const nameLists = new Map([...names].map(([model, set]) => [model, [...set]]));
  facts = { procedureLine, byLine, procedures, execBlocks, names, nameLists, complete: analysis.model.withheld.size === 0 && !analysis.diagnostics.some((d) => d.code === 'copybook/missing') };
  factsCache.set(analysis, facts);
  return facts;
}

function lastProcedureBefore(procedures: Facts['procedures'], line: number): Facts['procedures'][number] | undefined {
  let low = 0;
  let high = procedures.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (procedures[middle]!.line <= line) low = middle + 1;
    else high = middle;
  }
  return low > 0 ? procedures[low - 1] : undefined;
}
