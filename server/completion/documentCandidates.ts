/**
 * Continuations found elsewhere in the document: real programs repeat
 * themselves (`MOVE SPACES TO` the same records, `PIC X(8).` in every other
 * field, `ADD 1 TO` the counters), and a small model that never saw the
 * program cannot guess its names. The words before the cursor are looked up
 * in the document's other lines; what followed them there is a candidate.
 * Candidates rank by a fitted score (`rankScore`): the run of matching
 * words, the name parts shared with the words typed and with the lines
 * above and below, whether it sits between the same lines elsewhere, the
 * same indentation, how often the text follows, how far away. The engine
 * weighs the best against the model's own line (engine.ts, `chooseLine`).
 *
 * Matching ignores case and runs of blanks; the candidate keeps its line's
 * own spelling (post-processing applies the file's case). Comment lines, the
 * sequence area and columns 73-80 never take part.
 */

export interface DocumentCandidate {
  /** The rest of the line, to insert at the cursor. */
  text: string;
  /** Words before the cursor that matched (the partial word counts as one). */
  keyWords: number;
  /** Lines where this text followed the key. */
  count: number;
  /** Whether a line it followed starts at the cursor line's indentation (a statement at the same depth). */
  sameIndent: boolean;
  /** Name parts shared by the line above it and the line above the cursor (what came before). */
  context: number;
  /**
   * Name parts (hyphen-separated, e.g. CUST, NAME) shared by the words before
   * the key on that line and on the cursor's line: `MOVE WS-CUST-NAME TO`
   * is most often followed by a name with CUST-NAME in it, and a field named
   * like another is often declared like it.
   */
  similarity: number;
  /** Lines between the cursor and the nearest such line. */
  distance: number;
  /** The cursor's line completed with it would be the code line just above or below over again (rarely what comes next). */
  repeatsNeighbour?: boolean;
  /** It ends with a period exactly when the code line above does (the paragraph's style). */
  endsLikeAbove?: boolean;
  /** A line it was found on is followed by the code line that follows the cursor's (it fits between the lines around the cursor). */
  beforeNext?: boolean;
  /** Name parts shared by the line below it and the line below the cursor (what comes after), as `context` for the line above. */
  nextContext?: number;
  /** The clause of the entry above after a declared name (declarationNames.ts), weighed by its own rule (engine.ts, `chooseLine`). */
  sibling?: boolean;
}

export interface CandidateQuery {
  /** The document's lines (LF). */
  lines: readonly string[];
  /** Zero-based line of the cursor (its own text is never a candidate). */
  cursorLine: number;
  /** The cursor's line up to the cursor. */
  lineBefore: string;
  fixed: boolean;
  /** Candidates to return at most. */
  max?: number;
}

/** Words of the key at most, lines searched at most (the nearest to the cursor), candidates ranked at most. */
const maxKeyWords = 5;
const searchLines = 4_000;
const poolSize = 10;
const maxFreeLine = 512;

/**
 * How a candidate ranks: a linear score, fitted (coordinate ascent, top-1
 * exact match, two-fold checked) on 1,200 pause points of the real corpus's
 * training repositories, never the test split. Farther occurrences rank
 * slightly higher: the lines next to the cursor are mostly its siblings
 * (`MOVE A TO X`, `MOVE B TO Y`), which are not what comes next. The last
 * three weights were fitted on top of the others (grid, top-1 among ten
 * candidates) on 2,400 other pause points of the same repositories and
 * checked on 2,400 more: `repeatsNeighbour` and `endsLikeAbove` took the
 * top-1 right from 941 to 969 (913 to 947), then `beforeNext` (a line that
 * fits between the lines around the cursor) to 1,042 (1,026), then
 * `nextContext` to 1,082 (1,054).
 */
export const rankWeights = { keyWords: 3, similarity: 2.5, context: 2.5, logCount: 1, logDistance: 0.4, sameIndent: 2.5, repeatsNeighbour: -10, endsLikeAbove: 2, beforeNext: 10, nextContext: 2.5 };

export function rankScore(candidate: DocumentCandidate): number {
  const w = rankWeights;
  return w.keyWords * candidate.keyWords + w.similarity * candidate.similarity + w.context * candidate.context + w.logCount * Math.log(candidate.count) + w.logDistance * Math.log(1 + candidate.distance)
    + (candidate.sameIndent ? w.sameIndent : 0) + (candidate.repeatsNeighbour ? w.repeatsNeighbour : 0) + (candidate.endsLikeAbove ? w.endsLikeAbove : 0)
    + (candidate.beforeNext ? w.beforeNext : 0) + w.nextContext * (candidate.nextContext ?? 0);
}

export function documentCandidates(query: CandidateQuery): DocumentCandidate[] {
  const { lines, cursorLine, fixed } = query;
  const max = query.max ?? 3;
  if (fixed && query.lineBefore.length < 7) return [];
  const code = fixed ? query.lineBefore.slice(7) : query.lineBefore;
  const areas = codeAreas(lines, cursorLine, fixed);
  const above = nearestCodeArea(lines, cursorLine, fixed, -1);
  const previousParts = nameParts(words(above));
  const found = new Map<string, DocumentCandidate>();
  const indent = (text: string) => text.length - text.trimStart().length;
  const ownIndent = indent(code);
  const below = nearestCodeArea(lines, cursorLine, fixed, 1);
  const cursorNext = normal(below);
  const nextParts = nameParts(words(below));
  const add = (text: string, keyWords: number, area: CodeArea, similarity: number, context: number) => {
    const distance = Math.abs(area.line - cursorLine);
    const sameIndent = indent(area.text) === ownIndent;
    const beforeNext = cursorNext !== '' && normal(area.next) === cursorNext;
    const nextContext = overlap(nextParts, nameParts(words(area.next)));
    const seen = found.get(text);
    if (!seen) {
      found.set(text, { text, keyWords, count: 1, distance, similarity, sameIndent, context, beforeNext, nextContext });
      return;
    }
    seen.beforeNext ||= beforeNext;
    seen.nextContext = Math.max(seen.nextContext ?? 0, nextContext);
    seen.sameIndent ||= sameIndent;
    if (seen.keyWords === keyWords) seen.count++;
    seen.distance = Math.min(seen.distance, distance);
    seen.similarity = Math.max(seen.similarity, similarity);
    seen.context = Math.max(seen.context, context);
  };
  if (code.trim() === '') {
    // A blank line: what followed lines like the one above elsewhere.
    if (previousParts.size === 0) return [];
    for (const area of areas) {
      const context = overlap(previousParts, nameParts(words(area.previous)));
      if (context > 0) add(area.text.trim(), 0, area, 0, context);
    }
  } else {
    const typed = words(code);
    const partial = /\s$/.test(code) ? '' : typed.pop()!;
    for (let k = Math.min(typed.length, maxKeyWords); k >= 0 && found.size < poolSize; k--) {
      // A word alone is a key from two letters, or from one at the start of a statement (E → END-IF at this indentation).
      if (k === 0 && partial.length < (typed.length === 0 ? 1 : 2)) break;
      const key = [...typed.slice(typed.length - k), ...(partial ? [partial] : [])];
      // A run of words ending in the partial word's prefix (the rest of that word is part of the candidate), or in blanks.
      const pattern = new RegExp(`(?:^|\\s)${key.map(escape).join('\\s+')}${partial ? '(.*)' : '\\s+(\\S.*)'}$`, 'i');
      const probe = (partial || key[key.length - 1]!).toUpperCase();
      const ownParts = nameParts(typed.slice(0, typed.length - k));
      for (const area of areas) {
        if (!area.upper.includes(probe)) continue;
        const match = pattern.exec(area.text);
        const rest = match?.[1]!.trimEnd();
        if (!match || !rest) continue;
        const similarity = overlap(ownParts, nameParts(words(area.text.slice(0, match.index))));
        add(rest, key.length, area, similarity, overlap(previousParts, nameParts(words(area.previous))));
      }
    }
  }
  // Two facts about the candidate as a whole line, beside its neighbours.
  const neighbours = new Set([normal(above), cursorNext]);
  const abovePeriod = /\.\s*$/.test(above);
  for (const candidate of found.values()) {
    candidate.repeatsNeighbour = neighbours.has(normal(code + candidate.text));
    candidate.endsLikeAbove = /\.\s*$/.test(candidate.text) === abovePeriod;
  }
  return [...found.values()]
    .map((candidate) => ({ candidate, score: rankScore(candidate) }))
    .sort((a, b) => b.score - a.score || a.candidate.distance - b.candidate.distance)
    .slice(0, max)
    .map(({ candidate }) => candidate);
}

interface CodeArea {
  text: string;
  upper: string;
  line: number;
  /** The code areas of the code lines above and below it. */
  previous: string;
  next: string;
}

const normal = (text: string) => text.replace(/\s+/g, ' ').trim().toUpperCase();

/** Code areas of the non-comment lines nearest the cursor, in document order. */
function codeAreas(lines: readonly string[], cursorLine: number, fixed: boolean): CodeArea[] {
  const areas: CodeArea[] = [];
  const from = Math.max(0, cursorLine - searchLines / 2);
  const to = Math.min(lines.length, from + searchLines);
  let previous = '';
  for (let line = from; line < to; line++) {
    const text = line === cursorLine ? undefined : codeArea(lines[line]!, fixed);
    if (text === undefined) continue;
    const area: CodeArea = { text, upper: text.toUpperCase(), line, previous, next: '' };
    // The line above the cursor is not followed by the line below it: the cursor's line comes between.
    const last = areas[areas.length - 1];
    if (last && !(last.line < cursorLine && line > cursorLine)) last.next = text;
    areas.push(area);
    previous = text;
  }
  return areas;
}

/** A line's code: columns 8-72 in fixed format, without a floating comment; undefined for a comment or blank line. */
export function codeArea(raw: string, fixed: boolean): string | undefined {
  let text: string;
  if (fixed) {
    if (raw.length < 8 || raw[6] === '*' || raw[6] === '/') return undefined;
    text = raw.slice(7, 72);
  } else {
    if (/^\s*\*>/.test(raw)) return undefined;
    // Free-format lines are at most 255 characters in the standard; a longer one is not code worth copying.
    text = raw.length > maxFreeLine ? raw.slice(0, maxFreeLine) : raw;
  }
  const comment = text.indexOf('*>');
  if (comment !== -1) text = text.slice(0, comment);
  return text.trim() === '' ? undefined : text;
}

/** The code area of the nearest code line above (`step` -1) or below (+1) the cursor's, within 50 lines; '' when none. */
function nearestCodeArea(lines: readonly string[], cursorLine: number, fixed: boolean, step: -1 | 1): string {
  for (let line = cursorLine + step; line >= 0 && line < lines.length && Math.abs(line - cursorLine) <= 50; line += step) {
    const text = codeArea(lines[line]!, fixed);
    if (text !== undefined) return text;
  }
  return '';
}

function words(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const part of a) if (b.has(part)) shared++;
  return shared;
}

/** Upper-case parts of the words' names: `WS-CUST-NAME` gives CUST and NAME (prefixes like WS are everywhere and say nothing). */
function nameParts(words: readonly string[]): Set<string> {
  const parts = new Set<string>();
  for (const word of words) {
    const segments = word.toUpperCase().split(/[^A-Z0-9]+/).filter((part) => part.length > 1);
    for (const part of segments.length > 1 ? segments.slice(1) : segments) parts.add(part);
    if (/^\d{2}$/.test(word)) parts.add(`LEVEL ${word}`);
  }
  return parts;
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
