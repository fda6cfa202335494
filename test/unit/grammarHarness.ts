/**
 * Test harness for the COBOL TextMate grammar: loads grammars/cobol.tmLanguage.json with vscode-textmate and
 * vscode-oniguruma (the libraries VS Code itself uses) and checks the scopes of tokens found by their text,
 * so grammar tests read as data.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type IRawTheme } from 'vscode-textmate';

export const grammarFile = fileURLToPath(new URL('../../grammars/cobol.tmLanguage.json', import.meta.url));

export interface Token {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

let grammarPromise: Promise<IGrammar> | undefined;
let wasmPromise: Promise<void> | undefined;

function loadOniguruma(): Promise<void> {
  wasmPromise ??= (async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  })();
  return wasmPromise;
}

function createRegistry(theme?: IRawTheme): Registry {
  return new Registry({
    onigLib: loadOniguruma().then(() => ({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    })),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.cobol' ? parseRawGrammar(readFileSync(grammarFile, 'utf8'), grammarFile) : null,
    ...(theme ? { theme } : {}),
  });
}

async function loadFrom(registry: Registry): Promise<IGrammar> {
  const grammar = await registry.loadGrammar('source.cobol');
  if (!grammar) throw new Error(`could not load ${grammarFile}`);
  return grammar;
}

/** The grammar, loaded once per test file. Other grammars it includes (source.sql) are absent, as in a bare VS Code. */
export function loadCobolGrammar(): Promise<IGrammar> {
  grammarPromise ??= loadFrom(createRegistry());
  return grammarPromise;
}

/**
 * The foreground colour (as `#RRGGBB`) of the first character of each needle's first occurrence, under a theme,
 * computed the way VS Code's editor does (vscode-textmate theme matching on the token's scopes).
 */
export async function themedColours(theme: IRawTheme, source: string, needles: readonly string[]): Promise<string[]> {
  const registry = createRegistry(theme);
  const grammar = await loadFrom(registry);
  const colourMap = registry.getColorMap();
  const lines = source.split(/\r?\n/);
  const perLine: Uint32Array[] = [];
  let stack = INITIAL;
  for (const line of lines) {
    const result = grammar.tokenizeLine2(line, stack);
    perLine.push(result.tokens);
    stack = result.ruleStack;
  }
  return needles.map((needle) => {
    const at = find(lines, needle, { line: 0, column: 0 });
    if (!at) throw new Error(`"${needle}" not found`);
    const tokens = perLine[at.line]!;
    let metadata = tokens[1]!;
    for (let i = 0; i < tokens.length; i += 2) if (tokens[i]! <= at.column) metadata = tokens[i + 1]!;
    // Foreground colour id: bits 15-23 of the token metadata (vscode-textmate's EncodedTokenAttributes).
    return (colourMap[(metadata & 0x00ff8000) >>> 15] ?? '?').toUpperCase();
  });
}

/** Tokenizes a whole text (LF or CRLF), carrying the rule stack from line to line as the editor does. */
export function tokenize(grammar: IGrammar, text: string): Token[] {
  const tokens: Token[] = [];
  let stack = INITIAL;
  text.split(/\r?\n/).forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, stack);
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, lineText.length);
      if (end > t.startIndex) tokens.push({ line, start: t.startIndex, end, text: lineText.slice(t.startIndex, end), scopes: t.scopes });
    }
    stack = result.ruleStack;
  });
  return tokens;
}

/** A scope matches when it equals the expected one or extends it (`keyword` matches `keyword.other.cobol`). */
const hasScope = (token: Token, scope: string) => token.scopes.some((s) => s === scope || s.startsWith(`${scope}.`));

/**
 * Checks expectations `[needle, scope]` against the tokens of `source`. Needles are found in order, each
 * after the start of the previous one (a needle repeated right after itself means the same occurrence); every token that overlaps the needle must carry the scope, or, when
 * the scope starts with `!`, none may. Returns readable failures (empty when all hold).
 */
export async function check(source: string, expectations: ReadonlyArray<readonly [string, string]>): Promise<string[]> {
  const grammar = await loadCobolGrammar();
  const tokens = tokenize(grammar, source);
  const lines = source.split(/\r?\n/);
  const failures: string[] = [];
  let from = { line: 0, column: 0 };
  let previous: { needle: string; line: number; column: number } | undefined;
  for (const [needle, expected] of expectations) {
    // A needle repeated right after itself checks the same occurrence again.
    const at = previous?.needle === needle ? previous : find(lines, needle, from);
    if (!at) {
      failures.push(`"${needle}" not found after line ${from.line + 1}`);
      continue;
    }
    previous = { needle, line: at.line, column: at.column };
    from = { line: at.line, column: at.column + 1 };
    const negate = expected.startsWith('!');
    const scope = negate ? expected.slice(1) : expected;
    const overlapping = tokens.filter((t) => t.line === at.line && t.start < at.column + needle.length && t.end > at.column);
    const wrong = overlapping.filter((t) => hasScope(t, scope) === negate);
    if (overlapping.length === 0 || wrong.length > 0) {
      const shown = (wrong.length ? wrong : overlapping).map((t) => `"${t.text}" [${t.scopes.slice(1).join(', ')}]`).join('; ');
      failures.push(`line ${at.line + 1} "${needle}": expected ${negate ? 'no ' : ''}${scope}, got ${shown || 'no token'}`);
    }
  }
  return failures;
}

function find(lines: readonly string[], needle: string, from: { line: number; column: number }) {
  for (let line = from.line; line < lines.length; line++) {
    const column = lines[line]!.indexOf(needle, line === from.line ? from.column : 0);
    if (column >= 0) return { line, column };
  }
  return undefined;
}
