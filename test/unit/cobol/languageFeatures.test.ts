/**
 * Golden tests of the language features over the demo workspace and the
 * corpus: outline, definition (into copybooks), references, hover, rename,
 * completion and diagnostics. Positions are found by text; each feature has
 * one `check` helper and its cases are data.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DocumentSymbol } from 'vscode-languageserver/node';
import { describe, expect, it } from 'vitest';
import { type Analysis, analyseProgram, FileSystemCopybookResolver, nodeFileSystem, summarise, WorkspaceIndex } from '../../../server/cobol';
import { complete } from '../../../server/lsp/completion';
import { documentSymbols, foldingRanges } from '../../../server/lsp/documentSymbols';
import { referencesFromPrograms } from '../../../server/lsp/copybookReferences';
import { definition, highlights, hover, type NavigationContext, references, symbolAt } from '../../../server/lsp/navigationFeatures';
import { rename } from '../../../server/lsp/rename';
import { UriMapper } from '../../../server/lsp/uris';
import { positionOf } from './helpers';

const workspace = path.resolve(__dirname, '../../fixtures/workspace');
const corpus = path.resolve(__dirname, '../../fixtures/corpus');

function open(file: string, root = workspace, searchPaths = ['copybooks']): { context: NavigationContext; text: string } {
  const text = readFileSync(file, 'utf8');
  const resolver = new FileSystemCopybookResolver(nodeFileSystem, { workspaceRoot: root, searchPaths });
  const analysis: Analysis = analyseProgram({ id: file, text, resolver });
  return { context: { analysis, uri: pathToFileURL(file).href, id: file, uris: new UriMapper() }, text };
}

/** A position on `needle` (its `occurrence`-th match) after the first line containing `after`. */
function at(text: string, needle: string, after = 'PROCEDURE DIVISION', occurrence = 0) {
  const start = text.indexOf(after);
  // Blank out everything before `after`, keeping line lengths, so positions stay absolute.
  const masked = text.slice(0, start).replace(/[^\n]/g, ' ') + text.slice(start);
  return positionOf(masked, needle, occurrence, 1);
}

const program = path.join(workspace, 'CUSTRPT.cbl');
/** Rename reads the files it edits from disk, to keep their fixed-format columns. */
const fromDisk = { text: (id: string) => readFileSync(id, 'utf8'), format: 'auto' as const };

describe('outline', () => {
  const check = (file: string, expected: string[]) => {
    const { context } = open(file);
    const lines: string[] = [];
    const visit = (symbol: DocumentSymbol, depth: number) => {
      lines.push(`${'  '.repeat(depth)}${symbol.name}`);
      for (const child of symbol.children ?? []) if (depth < 3) visit(child, depth + 1);
    };
    documentSymbols(context.analysis).forEach((symbol) => visit(symbol, 0));
    for (const line of expected) expect(lines).toContain(line);
    return lines;
  };

  it('shows divisions, sections, paragraphs and data records including copied ones', () => {
    const lines = check(program, [
      'CUSTRPT', '  IDENTIFICATION DIVISION', '  DATA DIVISION', '    FILE SECTION', '      CUSTOMER-FILE', '      CUSTOMER-RECORD',
      '    WORKING-STORAGE SECTION', '      INTEREST-PARMS', '  PROCEDURE DIVISION', '    0000-MAIN', '    2000-PROCESS-CUSTOMER',
    ]);
    expect(lines.indexOf('    0000-MAIN')).toBeLessThan(lines.indexOf('    2000-PROCESS-CUSTOMER'));
  });

  it('outlines a copybook opened on its own', () => {
    expect(check(path.join(workspace, 'copybooks/CUSTREC.cpy'), ['CUSTOMER-RECORD', '  CUST-ID', '  CUST-TYPE', '    CUST-RETAIL', '  CUST-LAST-ORDER', '    CUST-LAST-YEAR'])[0]).toBe('CUSTOMER-RECORD');
  });

  it('keeps every selection range inside its range', () => {
    const { context } = open(program);
    const inside = (symbol: DocumentSymbol): boolean => {
      const { range, selectionRange: s } = symbol;
      const ok = (range.start.line < s.start.line || (range.start.line === s.start.line && range.start.character <= s.start.character))
        && (s.end.line < range.end.line || (s.end.line === range.end.line && s.end.character <= range.end.character));
      return ok && (symbol.children ?? []).every(inside);
    };
    expect(documentSymbols(context.analysis).every(inside)).toBe(true);
  });
});

describe('definition', () => {
  const check = (needle: string, expectedFile: string, expectedLineText: string) => {
    const { context, text } = open(program);
    const [location] = definition(context, at(text, needle), undefined);
    expect(location, needle).toBeDefined();
    expect(path.basename(new URL(location.uri).pathname)).toBe(expectedFile);
    const targetText = readFileSync(new URL(location.uri), 'utf8').split('\n')[location.range.start.line];
    expect(targetText).toContain(expectedLineText);
    expect(targetText.slice(location.range.start.character, location.range.end.character)).toBe(needle.trim());
  };

  it.each([
    ['CUST-BALANCE', 'CUSTREC.cpy', '05  CUST-BALANCE'],
    ['IN-BALANCE', 'INTPARM.cpy', '05  IN-BALANCE'],
    ['TOT-CUSTOMERS', 'CUSTRPT.cbl', '05  TOT-CUSTOMERS'],
    ['WS-CUST-EOF', 'CUSTRPT.cbl', '88  WS-CUST-EOF'],
    ['2000-PROCESS-CUSTOMER', 'CUSTRPT.cbl', '2000-PROCESS-CUSTOMER.'],
    ['CUSTOMER-FILE', 'CUSTRPT.cbl', 'SELECT CUSTOMER-FILE'],
  ])('%s → %s', check);
});

describe('hover', () => {
  const check = (needle: string, expected: string[]) => {
    const { context, text } = open(program);
    const value = (hover(context, at(text, needle))?.contents as { value: string }).value;
    for (const part of expected) expect(value).toContain(part);
  };

  it.each([
    ['CUST-BALANCE', ['**CUST-BALANCE** — level 05', '`PIC S9(7)V99`', '`PACKED-DECIMAL`', '5 bytes', 'offset 37 in CUSTOMER-RECORD', 'Declared in CUSTREC.cpy line 9']],
    ['CUST-TYPE', ['1 byte', 'offset 36', '88 **CUST-RETAIL** VALUE \'R\'', "88 **CUST-BUSINESS** VALUE 'B'"]],
    ['TOT-BALANCE', ['7 bytes', 'offset 12 in REPORT-TOTALS', 'Declared in CUSTRPT.cbl line 32']],
  ] as [string, string[]][])('%s', check);
});

describe('references and rename', () => {
  it('finds references in the program and the declaration in the copybook', () => {
    const { context, text } = open(program);
    const found = references(context, at(text, 'CUST-BALANCE'), true);
    const inProgram = text.split('CUST-BALANCE').length - 1;
    expect(found.filter((loc) => loc.uri.endsWith('CUSTRPT.cbl'))).toHaveLength(inProgram);
    expect(found.filter((loc) => loc.uri.endsWith('CUSTREC.cpy'))).toHaveLength(1);
    expect(references(context, at(text, 'CUST-BALANCE'), false)).toHaveLength(inProgram);
  });

  it('renames across the program and its copybook', () => {
    const { context, text } = open(program);
    const edit = rename(context, at(text, 'CUST-BALANCE'), 'CUST-BAL-DUE', fromDisk);
    if (!('changes' in edit)) throw new Error(String(edit));
    const counts = Object.fromEntries(Object.entries(edit.changes!).map(([uri, edits]) => [path.basename(uri), edits.length]));
    expect(counts['CUSTREC.cpy']).toBe(1);
    expect(counts['CUSTRPT.cbl']).toBeGreaterThanOrEqual(2);
  });

  it.each([['CUST-CREDIT-MAX'], ['CUST-CREDIT-LIMIT-AMOUNT']])('renaming CUST-CREDIT-LIMIT to %s keeps columns 73-80 of the demo program and copybook', (newName) => {
    const { context, text } = open(program);
    const edit = rename(context, at(text, 'CUST-CREDIT-LIMIT'), newName, fromDisk);
    if (!('changes' in edit)) throw new Error(String(edit));
    for (const [uri, edits] of Object.entries(edit.changes!)) {
      const before = readFileSync(new URL(uri), 'utf8').split('\n');
      const after = [...before];
      for (const { range, newText } of [...edits].sort((a, b) => b.range.start.character - a.range.start.character)) {
        const lineText = after[range.start.line];
        after[range.start.line] = lineText.slice(0, range.start.character) + newText + lineText.slice(range.end.character);
      }
      after.forEach((lineText, i) => {
        expect(lineText.slice(72), `${path.basename(uri)} line ${i + 1}`).toBe(before[i].slice(72));
        expect(lineText.slice(0, 72)).not.toMatch(/CUST-CREDIT-LIMIT(?![-\w])/);
      });
      expect(after.join('\n')).toContain(newName);
    }
  });

  it.each([
    ['TOT-BALANCE', 'MOVE', 'reserved word'],
    ['TOT-BALANCE', 'TOT-INTEREST', 'already names'],
    ['TOT-BALANCE', '-BAD-', 'is not a COBOL name'],
    ['STOP', 'X', 'Put the cursor'],
  ])('refuses renaming %s to %s', (needle, newName, message) => {
    const { context, text } = open(program);
    const result = rename(context, at(text, needle), newName, fromDisk);
    expect('message' in result ? result.message : '').toContain(message);
  });
});

describe('completion', () => {
  const check = (line: string, expected: string[], absent: string[] = []) => {
    const { context } = open(program);
    const labels = complete(context.analysis, line, 45, line.length).map((item) => item.label);
    for (const label of expected) expect(labels).toContain(label);
    for (const label of absent) expect(labels).not.toContain(label);
  };

  it('offers paragraphs after PERFORM and GO TO', () => check('           PERFORM ', ['1000-INITIALIZE', '9000-READ-CUSTOMER'], ['CUST-ID', 'MOVE']));
  it('offers data names, copied ones included, and keywords elsewhere', () => check('           MOVE CUST-', ['CUST-BALANCE', 'TOT-CUSTOMERS', 'TO'], ['1000-INITIALIZE']));
});

describe('diagnostics', () => {
  const check = (file: string, expected: string[]) => {
    const { context } = open(path.join(corpus, file), corpus, ['copybooks', 'invalid/copybooks']);
    expect(context.analysis.diagnostics.map((d) => `${path.basename(d.file)}:${d.range.start.line + 1} ${d.code}`)).toEqual(expected);
  };

  it.each([
    ['invalid/ambiguous-name.cbl', ['ambiguous-name.cbl:21 semantic/ambiguous']],
    ['invalid/undefined-name.cbl', ['undefined-name.cbl:15 semantic/undefined', 'undefined-name.cbl:19 semantic/undefined']],
    ['invalid/missing-copybook.cbl', ['missing-copybook.cbl:12 copybook/missing', 'missing-copybook.cbl:12 semantic/undefined-withheld']],
    ['invalid/cyclic-copybooks.cbl', ['CYCLEB.cpy:3 copybook/cycle', 'cyclic-copybooks.cbl:8 copybook/errors']],
    ['invalid/area-a.cbl', ['area-a.cbl:13 layout/area-a', 'area-a.cbl:17 layout/area-a', 'area-a.cbl:19 layout/area-b']],
    ['programs/PAYROLL1.cbl', []],
  ])('%s', check);
});

describe('copybooks and the workspace', () => {
  it('goes from a COPY statement to the copybook', () => {
    const { context, text } = open(program);
    const [location] = definition(context, at(text, 'CUSTREC', 'FD  CUSTOMER-FILE'), undefined);
    expect(location.uri).toBe(pathToFileURL(path.join(workspace, 'copybooks/CUSTREC.cpy')).href);
  });

  it('says on a COPY name which file it found', () => {
    const { context, text } = open(program);
    const value = (hover(context, at(text, 'CUSTREC', 'FD  CUSTOMER-FILE'))?.contents as { value: string }).value;
    expect(value).toContain(path.join(workspace, 'copybooks/CUSTREC.cpy'));
    expect(value).toContain('fixed format');
  });

  it('gives a copybook opened on its own hover and references', () => {
    const file = path.join(workspace, 'copybooks/CUSTREC.cpy');
    const { context, text } = open(file);
    const position = at(text, 'CUST-BALANCE', 'CUST-BALANCE');
    expect((hover(context, position)?.contents as { value: string }).value).toContain('offset 37 in CUSTOMER-RECORD');
    expect(references(context, position, true)).toHaveLength(1);
    expect(context.analysis.diagnostics).toEqual([]);
  });

  it('finds the uses of a copybook field in the programs that copy it', () => {
    const index = new WorkspaceIndex();
    index.update(summarise(open(program).context.analysis));
    const copybook = path.join(workspace, 'copybooks/CUSTREC.cpy');
    const { context, text } = open(copybook);
    const symbol = symbolAt(context, at(text, 'CUST-BALANCE', 'CUST-BALANCE'))!.symbol;
    const found = referencesFromPrograms(copybook, symbol, index, (id) => open(id).context.analysis, (id) => pathToFileURL(id).href);
    const programText = readFileSync(program, 'utf8');
    expect(found.map((loc) => path.basename(loc.uri))).toEqual(Array(programText.split('CUST-BALANCE').length - 1).fill('CUSTRPT.cbl'));
  });

  it('goes from CALL "PROGRAM" to the called program through the workspace index', () => {
    const index = new WorkspaceIndex();
    const callee = open(path.join(workspace, 'INTCALC.cbl'));
    index.update(summarise(callee.context.analysis));
    const { context, text } = open(program);
    const [location] = definition(context, at(text, "'INTCALC'"), index);
    expect(location.uri).toBe(pathToFileURL(path.join(workspace, 'INTCALC.cbl')).href);
    expect(index.callersOf('INTCALC')).toEqual([]);
    index.update(summarise(context.analysis));
    expect(index.callersOf('intcalc').map((call) => path.basename(call.file))).toEqual(['CUSTRPT.cbl']);
    expect(index.search('2000-PROC').map((symbol) => symbol.name)).toContain('2000-PROCESS-CUSTOMER');
    expect(index.filesCopying('custrec').map((file) => path.basename(file))).toEqual(['CUSTRPT.cbl']);
  });

  it('highlights occurrences in the document and folds paragraphs and records', () => {
    const { context, text } = open(program);
    const marks = highlights(context, at(text, 'TOT-CUSTOMERS'));
    expect(marks.length).toBe(text.split('TOT-CUSTOMERS').length - 1);
    const folds = foldingRanges(context.analysis);
    const paragraphLine = text.split('\n').findIndex((line) => line.includes(' 1000-INITIALIZE.'));
    expect(folds.some((fold) => fold.startLine === paragraphLine && fold.endLine > paragraphLine)).toBe(true);
  });
});

describe('keyword completion', () => {
  it('offers intrinsic functions after FUNCTION and verbs where a statement starts', () => {
    const { context } = open(program);
    const after = (line: string) => complete(context.analysis, line, 45, line.length).map((item) => item.label);
    expect(after('           COMPUTE X = FUNCTION ')).toContain('CURRENT-DATE');
    expect(after('           COMPUTE X = FUNCTION ')).not.toContain('MOVE');
    expect(after('           ')).toEqual(expect.arrayContaining(['MOVE', 'PERFORM', 'EVALUATE']));
  });
});
