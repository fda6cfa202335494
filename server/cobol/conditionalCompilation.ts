/**
 * Conditional compilation (`>>IF … >>ELSE … >>END-IF`, COBOL 2002, IBM
 * Enterprise COBOL 6, GnuCOBOL): only the tokens of the branch the compiler
 * would take reach the parser, so a name declared once per branch is not
 * "ambiguous". Names come from `>>DEFINE name [AS value]` and from the
 * DEFINE(name[=value]) compiler option on a CBL/PROCESS card.
 *
 * A condition we cannot evaluate (a value from the build's command line, an
 * arithmetic expression) takes the `>>IF` branch and skips the `>>ELSE` one,
 * so exactly one branch is seen either way. Directive tokens stay in the
 * stream (the parser ignores them); nesting is capped like the rest of the
 * front end.
 */
import { type Token, TokenKind } from './token';

const maxNesting = 64;

interface Branch {
  /** Tokens of this branch are kept. */
  active: boolean;
  /** A branch of this >>IF was already taken. */
  taken: boolean;
  /** The enclosing branch is kept. */
  outer: boolean;
}

/** The tokens the compiler would see; the same array when there is no >>IF. */
export function applyConditionalCompilation(tokens: Token[]): Token[] {
  if (!tokens.some((token) => token.kind === TokenKind.Directive && /^>>\s*IF\b/i.test(token.text))) return tokens;
  const defined = new Map<string, string | true>();
  const stack: Branch[] = [];
  const out: Token[] = [];
  const active = () => stack.length === 0 || stack[stack.length - 1].active;
  for (const token of tokens) {
    if (token.kind !== TokenKind.Directive) {
      if (active()) out.push(token);
      continue;
    }
    out.push(token);
    const text = token.text.replace(/^>>\s*/, '').trim();
    const upper = text.toUpperCase();
    if (/^(?:CBL|PROCESS)\b/.test(upper)) {
      for (const match of upper.matchAll(/\bDEFINE\(([^)]*)\)/g)) {
        for (const item of match[1].split(/[\s,]+/).filter(Boolean)) {
          const [name, value] = item.split('=');
          defined.set(name, value ?? true);
        }
      }
    } else if (upper.startsWith('DEFINE ')) {
      if (!active()) continue;
      const match = /^DEFINE\s+(?:CONSTANT\s+)?([A-Z0-9_-]+)(?:\s+AS\s+(.*))?$/.exec(upper);
      if (!match) continue;
      const value = match[2]?.trim();
      if (value === 'OFF') defined.delete(match[1]);
      else defined.set(match[1], value ?? true);
    } else if (/^IF\b/.test(upper)) {
      const outer = active();
      const holds = outer && evaluate(upper.slice(2).trim(), defined);
      if (stack.length < maxNesting) stack.push({ active: holds, taken: holds, outer });
    } else if (/^(?:ELSE|ELIF)\b/.test(upper) && stack.length > 0) {
      const branch = stack[stack.length - 1];
      const holds = branch.outer && !branch.taken && (upper.startsWith('ELSE') || evaluate(upper.slice(4).trim(), defined));
      branch.active = holds;
      branch.taken ||= holds;
    } else if (/^END-IF\b/.test(upper) && stack.length > 0) {
      stack.pop();
    }
  }
  return out;
}

/** `name DEFINED`, `name NOT DEFINED`, `name = value`; anything else counts as true (see above). */
function evaluate(condition: string, defined: ReadonlyMap<string, string | true>): boolean {
  let match = /^([A-Z0-9_-]+)\s+(?:IS\s+)?(NOT\s+)?DEFINED$/.exec(condition);
  if (match) return defined.has(match[1]) !== Boolean(match[2]);
  match = /^([A-Z0-9_-]+)\s*(?:=|EQUAL(?:\s+TO)?)\s*(\S+)$/.exec(condition);
  if (match && defined.has(match[1])) {
    const value = defined.get(match[1]);
    if (value !== true) return value!.replace(/^['"]|['"]$/g, '') === match[2].replace(/^['"]|['"]$/g, '');
  }
  return true;
}
