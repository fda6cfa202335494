/**
 * Declaration names: after a level number in the DATA DIVISION the rest of
 * the line starts with a new item's name, which no model can guess from the
 * lines before. But COBOL is often written use-first (a MOVE to WS-NEW-FLAG,
 * then the declaration the compiler asks for), and an item being declared in
 * a program under edit is usually used already: the names the program uses
 * and declares nowhere (the semantic model's `undeclared`) are what the
 * declaration most likely names. The engine writes the best of them and the
 * model writes the rest of the entry (PIC, USAGE, VALUE) after it.
 *
 * Ranking, best first:
 * - the kind of use matches the level: an 88 names a condition (used after
 *   IF, WHEN, UNTIL, NOT, AND, OR, or in SET … TO TRUE), other levels an item;
 * - name parts shared with the neighbouring entries' names (WS-DATE-YY under
 *   WS-DATE-CC);
 * - first use first.
 */
import { type Analysis, programAt } from '../cobol';
import { codeArea, type DocumentCandidate } from './documentCandidates';

export interface DeclarationName {
  /** As first written in the program. */
  text: string;
  score: number;
}

export interface DeclarationOptions {
  /** Zero-based cursor line and column in the program file. */
  line: number;
  character: number;
  /** The level number typed before the cursor. */
  level: number;
  /** Names of the data entries just above and below the cursor's line (nearest first). */
  neighbours: readonly string[];
  /** The start of the name typed so far: only longer names that start so are offered. */
  partial?: string;
}

const conditionLeads = new Set(['IF', 'WHEN', 'UNTIL', 'NOT', 'AND', 'OR']);
/** Names offered at most. */
const maxNames = 3;

export function declarationNames(analysis: Analysis, options: DeclarationOptions): DeclarationName[] {
  const undeclared = analysis.model.undeclared;
  if (undeclared.length === 0) return [];
  const program = programAt(analysis, { line: options.line, character: options.character });
  const tokens = analysis.tokens;
  const neighbourParts = options.neighbours.map((name) => nameParts(name));
  const wantsCondition = options.level === 88;
  const ranked: (DeclarationName & { order: number })[] = [];
  const partial = (options.partial ?? '').toUpperCase();
  undeclared.forEach((entry, order) => {
    if (program && entry.program !== program.node) return;
    if (!entry.name.startsWith(partial) || entry.name === partial) return;
    const asCondition = entry.uses.some((use) => {
      const before = tokens[use - 1]?.upper ?? '';
      return conditionLeads.has(before) || (tokens[use + 1]?.upper === 'TO' && tokens[use + 2]?.upper === 'TRUE');
    });
    let score = asCondition === wantsCondition ? 3 : -3;
    const parts = nameParts(entry.name);
    neighbourParts.forEach((neighbour, distance) => {
      score += (2 * sharedParts(parts, neighbour)) / (1 + distance);
    });
    ranked.push({ text: entry.text, score, order });
  });
  ranked.sort((a, b) => b.score - a.score || a.order - b.order);
  return ranked.slice(0, maxNames).map(({ text, score }) => ({ text, score }));
}

function nameParts(name: string): string[] {
  return name.toUpperCase().split('-').filter((part) => part !== '');
}

/** Leading parts in common (WS-DATE-YY and WS-DATE-CC: 2), or 1 for any other part in common. */
function sharedParts(a: readonly string[], b: readonly string[]): number {
  let lead = 0;
  while (lead < a.length && lead < b.length && a[lead] === b[lead]) lead++;
  if (lead > 0) return lead;
  return a.some((part) => part.length > 1 && b.includes(part)) ? 1 : 0;
}

/**
 * The cursor at the start of a data entry's name: after its level number
 * (`   05  |`) or inside the name being typed (`   05  WS-DA|`, `partial`);
 * undefined elsewhere.
 */
export function declarationAt(lineBefore: string, fixed: boolean): { level: number; partial: string } | undefined {
  const match = /^\s*(\d{1,2})\s+([A-Za-z0-9][A-Za-z0-9-]*)?$/.exec(fixed ? lineBefore.slice(7) : lineBefore);
  if (!match || (fixed && lineBefore.length < 8)) return undefined;
  const level = Number(match[1]);
  return (level >= 1 && level <= 49) || level === 66 || level === 77 || level === 88 ? { level, partial: match[2] ?? '' } : undefined;
}

/** The names of the data entries on these lines, in order (FILLER and unnamed entries left out). */
export function entryNames(lines: readonly string[], fixed: boolean): string[] {
  const names: string[] = [];
  for (const line of lines) {
    const match = /^\s*\d{1,2}\s+([A-Za-z0-9][A-Za-z0-9-]*)/.exec(codeArea(line, fixed) ?? '');
    if (match && !/^(FILLER|PIC|PICTURE|VALUE|REDEFINES)$/i.test(match[1]!)) names.push(match[1]!);
  }
  return names;
}

/**
 * Lines up the clause after a new entry's name (PIC, VALUE, USAGE…) with the
 * nearest neighbouring entry that starts at the same column, as data
 * divisions are written: `05  WS-DATE-YY      PIC 99.` under `05  WS-DATE-CC      PIC 99.`.
 * `text` is what goes after `lineBefore` (the level number); unchanged when no
 * neighbour shows a column or the name reaches past it.
 */
export function alignClause(lineBefore: string, text: string, neighbours: readonly string[], fixed: boolean): string {
  const entry = /^([A-Za-z0-9][A-Za-z0-9-]*)( +)(\S.*)$/.exec(text);
  if (!entry || text.includes('\n')) return text;
  // Fixed format: the sequence numbers in columns 1-6 are no level numbers.
  const code = (line: string) => (fixed ? ' '.repeat(Math.min(6, line.length)) + line.slice(6) : line);
  const levelColumn = code(lineBefore).search(/\d/);
  for (const line of neighbours) {
    if (fixed && /^.{6}[*\/]/.test(line)) continue;
    const neighbour = /^(\s*)(\d{1,2}\s+[A-Za-z0-9][A-Za-z0-9-]*\s+)\S/.exec(code(line));
    if (!neighbour || neighbour[1]!.length !== levelColumn) continue;
    const clauseColumn = neighbour[1]!.length + neighbour[2]!.length;
    const nameEnd = lineBefore.length + entry[1]!.length;
    return clauseColumn > nameEnd ? `${entry[1]}${' '.repeat(clauseColumn - nameEnd)}${entry[3]}` : text;
  }
  return text;
}

/** What may follow a new entry's name on its line: a clause of a data description entry, its period, or nothing (clauses on the next lines). */
const entryClause = /^(\.|(PIC|PICTURE|VALUES?|REDEFINES|RENAMES|OCCURS|USAGE|COMP(UTATIONAL)?(-[0-9X])?|BINARY(-[A-Z]+)*|PACKED-DECIMAL|DISPLAY(-1)?|INDEX|NATIONAL|(PROGRAM-|PROCEDURE-|FUNCTION-)?POINTER|SIGN|LEADING|TRAILING|JUST(IFIED)?|SYNC(HRONIZED)?|BLANK|EXTERNAL|GLOBAL|FLOAT-[A-Z-]+|TYPEDEF|BASED|IS|ANY|DYNAMIC|OBJECT|CONSTANT)\b)/i;

/** Whether `text` (what follows the level number) reads as a data entry: a name (or FILLER), then a clause, a period or nothing. */
export function readsAsDataEntry(text: string): boolean {
  const entry = /^\s*[A-Za-z0-9][A-Za-z0-9-]*((\s+|(?=\.))(.*))?$/.exec(text.split('\n')[0]!);
  if (!entry) return /^\s*\.?\s*$/.test(text);
  if (/^\s*(PIC|PICTURE|VALUES?|USAGE)\b/i.test(text)) return true; // no name: an implicit FILLER
  const rest = (entry[3] ?? '').trim();
  return rest === '' || entryClause.test(rest);
}

/**
 * The document candidates once a name is written after the level: `candidates`
 * (weighed against the model's line) are what followed the same level and
 * name elsewhere, another program's copy of the entry (`sameName`, found
 * with the name typed), then the sibling's clause after the name;
 * `fallbacks` (shown when the model's line is dropped) add the clauses of
 * the entries found after the level alone (`afterLevel`: a sibling's PIC
 * after the new name), then the name alone.
 */
export function afterDeclaredName(name: string, afterLevel: readonly DocumentCandidate[], sameName: readonly DocumentCandidate[], sibling: string | undefined): { candidates: DocumentCandidate[]; fallbacks: DocumentCandidate[] } {
  const candidates = sameName
    .filter((candidate) => candidate.keyWords >= 2 && !/^[A-Za-z0-9-]/.test(candidate.text))
    .map((candidate) => ({ ...candidate, text: name + candidate.text }));
  if (sibling) candidates.push({ text: `${name} ${sibling}`, keyWords: 1, count: 1, sameIndent: true, context: 0, similarity: 0, distance: 1, sibling: true });
  const clauses = afterLevel.flatMap((candidate) => {
    const clause = /^\s*[A-Za-z0-9][A-Za-z0-9-]*((\s+\S|\.).*)$/.exec(candidate.text)?.[1];
    return clause ? [{ ...candidate, text: name + clause }] : [];
  });
  const seen = new Set<string>();
  // The same clause spaced otherwise is the same line once lined up.
  const key = (text: string) => text.replace(/\s+/g, ' ');
  const fallbacks = [...candidates, ...clauses].filter((candidate) => !seen.has(key(candidate.text)) && !!seen.add(key(candidate.text))).slice(0, 3);
  fallbacks.push({ text: name, keyWords: 0, count: 1, sameIndent: true, context: 0, similarity: 0, distance: 0 });
  return { candidates, fallbacks };
}

/**
 * The clause of the nearest entry above at the same level (`PIC X(30).` under
 * `05  CUST-NAME  PIC X(30).`): fields declared together are declared alike,
 * and on code it never saw the model's own clause after a name it did not
 * choose is right less often (engine.ts, `candidateWeights.siblingClause`). None for an 88, whose
 * values differ from its siblings'.
 */
export function siblingClause(linesAbove: readonly string[], level: number, fixed: boolean): string | undefined {
  if (level === 88) return undefined;
  for (const line of [...linesAbove].reverse()) {
    const entry = /^\s*(\d{1,2})\s+[A-Za-z0-9][A-Za-z0-9-]*\s+(\S.*?)\s*$/.exec(codeArea(line, fixed) ?? '');
    if (entry && Number(entry[1]) === level && !/^(REDEFINES|RENAMES)\b/i.test(entry[2]!)) return entry[2];
  }
  return undefined;
}
