/**
 * Readable hovers (Markdown paragraphs, no repeated parent on 88 levels) and an
 * Outline that lists copied record layouts in declaration order.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentSymbol } from 'vscode-languageserver/node';
import { describe, expect, it } from 'vitest';
import { analyseProgram, FileSystemCopybookResolver, nodeFileSystem } from '../../../server/cobol';
import { documentSymbols } from '../../../server/lsp/documentSymbols';
import { hover, type NavigationContext } from '../../../server/lsp/navigationFeatures';
import { UriMapper } from '../../../server/lsp/uris';
import { positionOf } from '../cobol/helpers';

const workspace = path.resolve(__dirname, '../../fixtures/workspace');
const program = path.join(workspace, 'CUSTRPT.cbl');

function open(file: string): { context: NavigationContext; text: string } {
  const text = readFileSync(file, 'utf8');
  const resolver = new FileSystemCopybookResolver(nodeFileSystem, { workspaceRoot: workspace, searchPaths: ['copybooks'] });
  const analysis = analyseProgram({ id: file, text, resolver });
  return { context: { analysis, uri: pathToFileURL(file).href, id: file, uris: new UriMapper() }, text };
}

const hoverText = (needle: string, occurrence = 0) => {
  const { context, text } = open(program);
  return (hover(context, positionOf(text, needle, occurrence, 1))?.contents as { value: string }).value;
};

describe('hover', () => {
  it('separates its facts by blank lines so Markdown keeps them apart', () => {
    const value = hoverText('TOT-BALANCE');
    const paragraphs = value.split('\n\n');
    expect(paragraphs[0]).toMatch(/^\*\*TOT-BALANCE\*\* — level 05/);
    expect(paragraphs.some((p) => p.startsWith('Declared in CUSTRPT.cbl'))).toBe(true);
    // No paragraph break inside a paragraph: every single newline is inside a list.
    for (const paragraph of paragraphs) if (paragraph.includes('\n')) expect(paragraph.split('\n').every((line) => line.startsWith('- '))).toBe(true);
  });

  it('names an 88 level\'s parent once', () => {
    const value = hoverText('WS-CUST-EOF');
    expect(value.split('WS-CUST-STATUS').length - 1).toBe(1);
    expect(value).toContain("VALUE '10'");
  });
});

describe('outline', () => {
  const names = (symbols: DocumentSymbol[]): string[] => symbols.flatMap((s) => [s.name, ...names(s.children ?? [])]);
  /** Sorted as VS Code sorts the Outline by position: range start, then end, then name. */
  const sortLikeVsCode = (symbols: DocumentSymbol[]): DocumentSymbol[] =>
    [...symbols]
      .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.range.end.line - b.range.end.line || a.range.end.character - b.range.end.character || a.name.localeCompare(b.name))
      .map((s) => ({ ...s, children: sortLikeVsCode(s.children ?? []) }));

  it('keeps a copied record layout in declaration order', () => {
    const { context } = open(program);
    const symbols = documentSymbols(context.analysis);
    const copybook = readFileSync(path.join(workspace, 'copybooks/CUSTREC.cpy'), 'utf8');
    const declared = [...copybook.matchAll(/^.{6} +\d\d +([A-Z0-9-]+)/gm)].map((m) => m[1]).filter((n) => n !== 'FILLER');
    const shown = names(sortLikeVsCode(symbols)).filter((name) => declared.includes(name));
    expect(shown).toEqual(declared);
  });
});
