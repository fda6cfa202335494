/**
 * Robustness of the COBOL TextMate grammar: every regex compiles, arbitrary text always tokenizes into
 * contiguous tokens, and on the project's whole COBOL corpus no token of a fixed-format line crosses from the
 * code area (columns 8-72) into the identification area.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL } from 'vscode-textmate';
import { describe, expect, it } from 'vitest';
import { grammarFile, loadCobolGrammar, tokenize } from './grammarHarness';

const fixturesDir = fileURLToPath(new URL('../fixtures', import.meta.url));

function cobolFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return cobolFiles(path);
    return /\.(cbl|cob|cobol|cpy|copy)$/i.test(entry.name) ? [path] : [];
  });
}

/** Every regex (match, begin, end) in the grammar, with where it sits. */
function grammarRegexes(node: unknown, path = ''): [string, string][] {
  if (Array.isArray(node)) return node.flatMap((child, i) => grammarRegexes(child, `${path}/${i}`));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]): [string, string][] =>
    ['match', 'begin', 'end'].includes(key) && typeof value === 'string' ? [[`${path}/${key}`, value]] : grammarRegexes(value, `${path}/${key}`),
  );
}

describe('grammar robustness', () => {
  it('compiles every regex of the grammar with Oniguruma', async () => {
    await loadCobolGrammar(); // loads the Oniguruma WASM
    const regexes = grammarRegexes(JSON.parse(readFileSync(grammarFile, 'utf8')));
    expect(regexes.length).toBeGreaterThan(50);
    const broken = regexes.filter(([, source]) => {
      try {
        new oniguruma.OnigScanner([source]).dispose();
        return false;
      } catch {
        return true;
      }
    });
    expect(broken.map(([where]) => where)).toEqual([]);
  });

  it('tokenizes arbitrary text into contiguous tokens that cover every line', async () => {
    const grammar = await loadCobolGrammar();
    const fragment = fc.oneof(
      fc.string({ maxLength: 90 }),
      fc.constantFrom('000100', '      *', '      -    "', '      D', '>>SOURCE FORMAT FREE', '>>SOURCE FIXED', 'EXEC SQL', 'END-EXEC', '*>', '"', "'", 'X"', '==', 'PIC ', '01 ', '       ', 'MOVE A TO B.', '\t'),
    );
    const line = fc.array(fragment, { maxLength: 8 }).map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 12 }), async (lines) => {
        let stack = INITIAL;
        for (const text of lines) {
          const result = grammar.tokenizeLine(text, stack);
          let at = 0;
          for (const token of result.tokens) {
            expect(token.startIndex).toBe(at);
            at = token.endIndex;
          }
          expect(at).toBeGreaterThanOrEqual(text.length);
          stack = result.ruleStack;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps columns 73-80 out of the code on every fixed-format line of the COBOL corpus', async () => {
    const grammar = await loadCobolGrammar();
    // The hand-written fixture trees only: generated benchmark programs would make this a benchmark.
    const files = ['corpus', 'workspace', 'grammar'].flatMap((dir) => cobolFiles(join(fixturesDir, dir)));
    expect(files.length).toBeGreaterThan(10);
    const crossings: string[] = [];
    let fixedLines = 0;
    for (const file of files) {
      const tokens = tokenize(grammar, readFileSync(file, 'utf8'));
      const fixed = new Set(tokens.filter((t) => t.start === 0 && t.scopes.includes('comment.block.sequence-area.cobol')).map((t) => t.line));
      fixedLines += fixed.size;
      for (const t of tokens) {
        if (fixed.has(t.line) && t.start < 72 && t.end > 72) crossings.push(`${file}:${t.line + 1} "${t.text}"`);
      }
    }
    expect(fixedLines).toBeGreaterThan(1000);
    expect(crossings).toEqual([]);
  });
});
