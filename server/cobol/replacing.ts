/**
 * Text replacement for COPY … REPLACING and REPLACE: parsing the
 * `operand BY operand` pairs and applying them to a token stream.
 *
 * Whole-operand rules match sequences of text words (case-insensitively for
 * words); LEADING/TRAILING rules and placeholder operands such as `:TAG:`
 * or `(TAG)` also replace parts of words, as IBM and GnuCOBOL do.
 * Replaced tokens take the span of the text they replace and carry the
 * Replaced flag, so navigation lands where the text is and rename can refuse.
 */
import { makeToken, relocated, type Token, TokenFlags, TokenKind } from './token';

export type ReplacingMode = 'whole' | 'leading' | 'trailing';

export interface ReplacingRule {
  from: Token[];
  to: Token[];
  mode: ReplacingMode;
}

export interface ParsedRules {
  rules: ReplacingRule[];
  /** Index of the first token after the rules. */
  next: number;
  /** Set when an operand was malformed: the token where it went wrong. */
  error: { token: Token; message: string } | undefined;
}

/**
 * Parses `[LEADING|TRAILING] operand BY operand …` from `start`, stopping at
 * a period (not consumed), the end, or a token that cannot start an operand.
 */
export function parseReplacingRules(tokens: readonly Token[], start: number): ParsedRules {
  const rules: ReplacingRule[] = [];
  let i = start;
  while (i < tokens.length && tokens[i].kind !== TokenKind.Period) {
    let mode: ReplacingMode = 'whole';
    const word = tokens[i];
    if (word.kind === TokenKind.Word && (word.upper === 'LEADING' || word.upper === 'TRAILING')) {
      mode = word.upper === 'LEADING' ? 'leading' : 'trailing';
      i++;
    }
    const from = parseOperand(tokens, i);
    if (!from) return { rules, next: i, error: errorAt(tokens, i, 'Expected ==pseudo-text==, a word or a literal to replace.') };
    i = from.next;
    if (tokens[i]?.kind !== TokenKind.Word || tokens[i].upper !== 'BY') {
      return { rules, next: i, error: errorAt(tokens, i, "Expected BY after the text to replace.") };
    }
    i++;
    const to = parseOperand(tokens, i);
    if (!to) return { rules, next: i, error: errorAt(tokens, i, 'Expected the replacement after BY.') };
    i = to.next;
    if (from.tokens.length === 0) return { rules, next: i, error: errorAt(tokens, start, 'The text to replace must not be empty.') };
    if (mode === 'whole' && isTagOperand(from.tokens)) {
      // IBM's `==(TAG)==`: a placeholder replaced inside words, as in FLG-(TAG)-OK.
      rules.push({ from: joined(from.tokens), to: joined(to.tokens), mode });
    } else rules.push(mode === 'whole' ? { from: from.tokens, to: to.tokens, mode } : { from: joined(from.tokens), to: joined(to.tokens), mode });
  }
  return { rules, next: i, error: undefined };
}

/** Partial-word operands such as ==-AMT== lex as several tokens; LEADING/TRAILING match their joined text. */
function joined(tokens: Token[]): Token[] {
  if (tokens.length <= 1) return tokens;
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  const text = tokens.map((token) => token.text).join('');
  const token = makeToken(TokenKind.Word, text, first.file, first.line, first.col, last.endLine, last.endCol);
  token.upper = text.toUpperCase();
  return [token];
}

/** `( word )` written without spaces: a placeholder tag. */
function isTagOperand(tokens: readonly Token[]): boolean {
  return (
    tokens.length === 3 &&
    tokens[0].kind === TokenKind.LParen &&
    (tokens[1].kind === TokenKind.Word || tokens[1].kind === TokenKind.Number) &&
    tokens[2].kind === TokenKind.RParen &&
    adjacent(tokens[0], tokens[1]) &&
    adjacent(tokens[1], tokens[2])
  );
}

function adjacent(a: Token, b: Token): boolean {
  return a.file === b.file && a.endLine === b.line && a.endCol === b.col;
}

/** Tokens that may be pieces of one word split by a `(TAG)` placeholder: FLG- ( TAG ) - OK. */
function isWordPiece(token: Token): boolean {
  return (
    token.kind === TokenKind.Word ||
    token.kind === TokenKind.Number ||
    token.kind === TokenKind.LParen ||
    token.kind === TokenKind.RParen ||
    (token.kind === TokenKind.Operator && token.text === '-')
  );
}

/**
 * The end (exclusive) of the run of touching word pieces from `i` that holds
 * a parenthesis, or `i` when there is none: `FLG-(TAG)-OK` lexes as five
 * tokens, and a `(TAG)` rule replaces inside their joined text.
 */
function taggedRunEnd(tokens: readonly Token[], i: number): number {
  let j = i;
  let parenthesis = false;
  while (j < tokens.length && isWordPiece(tokens[j]) && (j === i || adjacent(tokens[j - 1], tokens[j]))) {
    if (tokens[j].kind === TokenKind.LParen) parenthesis = true;
    j++;
  }
  return parenthesis && j - i > 1 ? j : i;
}

const isQualifier = (token: Token | undefined) => token?.kind === TokenKind.Word && (token.upper === 'OF' || token.upper === 'IN');

function errorAt(tokens: readonly Token[], i: number, message: string) {
  return { token: tokens[Math.min(i, tokens.length - 1)], message };
}

function parseOperand(tokens: readonly Token[], i: number): { tokens: Token[]; next: number } | undefined {
  const first = tokens[i];
  if (!first) return undefined;
  if (first.kind === TokenKind.PseudoText) {
    let j = i + 1;
    while (j < tokens.length && tokens[j].kind !== TokenKind.PseudoText) j++;
    if (j >= tokens.length) return undefined;
    return { tokens: tokens.slice(i + 1, j), next: j + 1 };
  }
  if (first.kind === TokenKind.Word) {
    // A qualified identifier, `a OF b IN c`, is one operand (its text words match in sequence).
    let j = i + 1;
    while (isQualifier(tokens[j]) && tokens[j + 1]?.kind === TokenKind.Word && tokens[j + 1].upper !== 'BY') j += 2;
    return { tokens: tokens.slice(i, j), next: j };
  }
  if (first.kind === TokenKind.String || first.kind === TokenKind.Number) {
    return { tokens: [first], next: i + 1 };
  }
  return undefined;
}

/**
 * Rules indexed for matching: whole-operand rules by their first word, partial
 * rules by their text and length, so matching costs per token what the
 * rules that can match it cost, not the number of rules (a REPLACE of 20,000
 * rules over 100,000 tokens would otherwise take 2 billion comparisons).
 */
interface RuleIndex {
  /** Whole-operand rules by the upper text of their first token, in declaration order. */
  byFirst: Map<string, { rule: ReplacingRule; order: number }[]>;
  /** Partial rules by mode and upper `from` text, with their declaration order. */
  partial: Map<string, { rule: ReplacingRule; order: number }>;
  /** The distinct lengths of partial `from` texts, per mode. */
  lengths: Record<ReplacingMode, number[]>;
  hasPartial: boolean;
  /** The partial rules in declaration order: scanned directly while they are few (the usual `:TAG:` or two). */
  partialList: ReplacingRule[];
  /** Some whole-operand rule puts more tokens in than it takes out. */
  grows: boolean;
}

const ruleIndexes = new WeakMap<readonly ReplacingRule[], RuleIndex>();

function indexRules(rules: readonly ReplacingRule[]): RuleIndex {
  let index = ruleIndexes.get(rules);
  if (index) return index;
  index = { byFirst: new Map(), partial: new Map(), lengths: { whole: [], leading: [], trailing: [] }, hasPartial: false, partialList: [], grows: false };
  const lengthSets: Record<ReplacingMode, Set<number>> = { whole: new Set(), leading: new Set(), trailing: new Set() };
  rules.forEach((rule, order) => {
    if (rule.mode === 'whole') {
      if (rule.to.length > rule.from.length) index!.grows = true;
      const key = rule.from[0].upper;
      const list = index!.byFirst.get(key);
      if (list) list.push({ rule, order });
      else index!.byFirst.set(key, [{ rule, order }]);
    }
    if (isPartial(rule)) {
      const key = `${rule.mode}\u0000${rule.from[0].upper}`;
      // Partial rules are numbered by their place among the partial rules.
      if (!index!.partial.has(key)) index!.partial.set(key, { rule, order: index!.partialList.length });
      lengthSets[rule.mode].add(rule.from[0].upper.length);
      index!.hasPartial = true;
      index!.partialList.push(rule);
    }
  });
  for (const mode of ['whole', 'leading', 'trailing'] as const) index.lengths[mode] = [...lengthSets[mode]];
  ruleIndexes.set(rules, index);
  return index;
}

/**
 * Applies rules to a token stream; returns the same array when nothing
 * changed, or undefined when the result would hold more than `maxTokens`
 * (REPLACING that multiplies text is stopped where it grows, not after).
 */
export function applyReplacing(tokens: Token[], rules: readonly ReplacingRule[]): Token[];
export function applyReplacing(tokens: Token[], rules: readonly ReplacingRule[], maxTokens: number, keepReplaced?: boolean): Token[] | undefined;
/**
 * `keepReplaced`: text a nested COPY … REPLACING already replaced is not
 * replaced again by the enclosing COPY's rules, as GnuCOBOL does (a copybook
 * copied with `REPLACING LEADING ==ENTITY== BY ==LK-ENTITY==` that copies
 * another with `REPLACING LEADING ==PREFIX== BY ==ENTITY-ITEM==` declares
 * `ENTITY-ITEM-…`, not `LK-ENTITY-ITEM-…`). REPLACE still sees all text.
 */
export function applyReplacing(tokens: Token[], rules: readonly ReplacingRule[], maxTokens = Infinity, keepReplaced = false): Token[] | undefined {
  if (rules.length === 0) return tokens.length > maxTokens ? undefined : tokens;
  const index = indexRules(rules);
  const kept = (at: number, length: number) => keepReplaced && spansReplaced(tokens, at, length);
  // Rules that lengthen the text are counted first, so a bomb is refused before a single token is copied.
  if (maxTokens < Infinity && index.grows && projectedLength(tokens, index, kept) > maxTokens) return undefined;
  const tagRules = index.partialList.some((rule) => rule.mode === 'whole' && rule.from[0].text.startsWith('('));
  const out: Token[] = [];
  let changed = false;
  let i = 0;
  outer: while (i < tokens.length) {
    if (kept(i, 1)) {
      out.push(tokens[i]);
      if (out.length > maxTokens) return undefined;
      i++;
      continue;
    }
    const candidates = index.byFirst.get(tokens[i].upper);
    if (candidates) {
      for (const { rule } of candidates) {
        if (!matchesAt(tokens, i, rule.from) || kept(i, rule.from.length)) continue;
        const first = tokens[i];
        const last = tokens[i + rule.from.length - 1];
        for (const replacement of rule.to) out.push(relocated(replacement, first, last));
        if (out.length > maxTokens) return undefined;
        i += rule.from.length;
        changed = true;
        continue outer;
      }
    }
    if (tagRules) {
      const end = taggedRunEnd(tokens, i);
      if (end > i && !kept(i, end - i)) {
        const run = joined(tokens.slice(i, end))[0];
        const replaced = replacePartially(run, index);
        if (replaced !== undefined) {
          changed = true;
          if (replaced) out.push(replaced);
          i = end;
          continue;
        }
      }
    }
    const token = tokens[i];
    // Tags also stand inside PICTURE strings (`PIC :TAG:X`).
    const replaced = index.hasPartial && (token.kind === TokenKind.Word || token.kind === TokenKind.Picture) ? replacePartially(token, index) : undefined;
    if (replaced === undefined) out.push(token);
    else {
      changed = true;
      if (replaced) out.push(replaced);
    }
    if (out.length > maxTokens) return undefined;
    i++;
  }
  return changed ? out : tokens;
}

/** The length `applyReplacing` would produce, at most (partial rules never add tokens), without building it. */
function projectedLength(tokens: readonly Token[], index: RuleIndex, kept: (at: number, length: number) => boolean): number {
  let length = 0;
  let i = 0;
  outer: while (i < tokens.length) {
    const candidates = kept(i, 1) ? undefined : index.byFirst.get(tokens[i].upper);
    if (candidates) {
      for (const { rule } of candidates) {
        if (!matchesAt(tokens, i, rule.from) || kept(i, rule.from.length)) continue;
        length += rule.to.length;
        i += rule.from.length;
        continue outer;
      }
    }
    length++;
    i++;
  }
  return length;
}

function isPartial(rule: ReplacingRule): boolean {
  if (rule.from.length !== 1 || rule.to.length > 1) return false;
  if (rule.mode !== 'whole') return true;
  const text = rule.from[0].text;
  return text.includes(':') || text.includes('(');
}

/** Below this many partial rules a direct scan beats the index. */
const directScanRules = 8;

/** The earliest-declared partial rule after `after` that matches `upper`, found through the index. */
function nextPartialRule(upper: string, index: RuleIndex, after: number): { rule: ReplacingRule; order: number } | undefined {
  if (index.partialList.length <= directScanRules) {
    for (let order = after + 1; order < index.partialList.length; order++) {
      const rule = index.partialList[order];
      const from = rule.from[0].upper;
      if (rule.mode === 'leading' ? upper.startsWith(from) : rule.mode === 'trailing' ? upper.endsWith(from) : upper.includes(from)) return { rule, order };
    }
    return undefined;
  }
  let best: { rule: ReplacingRule; order: number } | undefined;
  const consider = (mode: ReplacingMode, from: string) => {
    const found = index.partial.get(`${mode}\u0000${from}`);
    if (found && found.order > after && (!best || found.order < best.order)) best = found;
  };
  for (const length of index.lengths.leading) if (length <= upper.length) consider('leading', upper.slice(0, length));
  for (const length of index.lengths.trailing) if (length <= upper.length) consider('trailing', upper.slice(upper.length - length));
  for (const length of index.lengths.whole) {
    for (let at = 0; at + length <= upper.length; at++) consider('whole', upper.slice(at, at + length));
  }
  return best;
}

/** Whether any of the `length` tokens from `at` was produced by a replacement. */
function spansReplaced(tokens: readonly Token[], at: number, length: number): boolean {
  for (let k = at; k < Math.min(tokens.length, at + length); k++) if (tokens[k].flags & TokenFlags.Replaced) return true;
  return false;
}

function matchesAt(tokens: readonly Token[], i: number, pattern: readonly Token[]): boolean {
  if (i + pattern.length > tokens.length) return false;
  for (let k = 0; k < pattern.length; k++) {
    const a = tokens[i + k];
    const b = pattern[k];
    if (a.kind !== b.kind && !(isWordLike(a) && isWordLike(b))) return false;
    if (a.upper !== b.upper) return false;
  }
  return true;
}

const isWordLike = (token: Token) => token.kind === TokenKind.Word || token.kind === TokenKind.Number;

/**
 * The word with parts replaced; null when it becomes empty; undefined when
 * untouched. Rules apply in declaration order, each to the text the earlier
 * ones left.
 */
function replacePartially(token: Token, index: RuleIndex): Token | null | undefined {
  let text = token.text;
  let upper = token.kind === TokenKind.Picture ? token.text.toUpperCase() : token.upper;
  let after = -1;
  for (let next = nextPartialRule(upper, index, after); next; next = nextPartialRule(upper, index, after)) {
    const rule = next.rule;
    after = next.order;
    const from = rule.from[0].upper;
    const to = rule.to.length > 0 ? rule.to[0].text : '';
    if (rule.mode === 'leading') {
      if (upper.startsWith(from)) text = to + text.slice(from.length);
    } else if (rule.mode === 'trailing') {
      if (upper.endsWith(from)) text = text.slice(0, text.length - from.length) + to;
    } else {
      let at = upper.indexOf(from);
      if (at < 0) continue;
      let result = '';
      let last = 0;
      while (at >= 0) {
        result += text.slice(last, at) + to;
        last = at + from.length;
        at = upper.indexOf(from, last);
      }
      text = result + text.slice(last);
    }
    upper = text.toUpperCase();
  }
  if (text === token.text) return undefined;
  if (text.length === 0) return null;
  const kind = token.kind === TokenKind.Picture ? TokenKind.Picture : /^[0-9]+$/.test(text) ? TokenKind.Number : TokenKind.Word;
  const replaced = makeToken(kind, text, token.file, token.line, token.col, token.endLine, token.endCol);
  replaced.upper = kind === TokenKind.Number ? text : text.toUpperCase();
  replaced.flags = token.flags | TokenFlags.Replaced;
  return replaced;
}
