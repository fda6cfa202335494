/**
 * The language server over the protocol: the real server bundle
 * (dist/server.js, built from the current sources) on stdio through the
 * project's one test client, driven like an editor
 * would drive it, over the demo workspace. Checks what only the wiring can
 * break: capabilities, diagnostics published into copybook URIs, definition
 * into a copybook, a rename edit over two URIs, workspace symbols from the
 * background index.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProtocolConnection, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { buildServerBundle, ServerProcess } from '../../integration/serverProcess';

const root = path.resolve(__dirname, '../../..');
let folder: string;
let server: ServerProcess;
let connection: ProtocolConnection;

const uriOf = (file: string) => pathToFileURL(path.join(folder, file)).href;

/** The latest diagnostics published for `uri` if `accept` takes them, else the next ones it takes. */
function diagnosticsFor(uri: string, accept: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
  const latest = [...server.arrivals].reverse().find((arrived) => arrived.params.uri === uri);
  if (latest && accept(latest.params)) return Promise.resolve(latest.params);
  return server.waitForDiagnostics((params) => params.uri === uri && accept(params), 20_000).then((arrived) => arrived.params);
}

function position(file: string, needle: string, after: string) {
  const lines = readFileSync(path.join(folder, file), 'utf8').split('\n');
  const from = lines.findIndex((line) => line.includes(after));
  const line = lines.findIndex((text, index) => index >= from && text.includes(needle));
  return { line, character: lines[line].indexOf(needle) + 1 };
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'cobol-assist-lsp-'));
  cpSync(path.join(root, 'test/fixtures/workspace'), folder, { recursive: true });
  // A copybook with a mistake, copied by a program: its error must land in the copybook.
  writeFileSync(path.join(folder, 'copybooks/BROKEN.cpy'), '       01  BROKEN-REC.\n           05  BROKEN-FIELD  PIC X(5 .\n');
  writeFileSync(path.join(folder, 'USEBROKE.cbl'), ['       IDENTIFICATION DIVISION.', '       PROGRAM-ID. USEBROKE.', '       DATA DIVISION.', '       WORKING-STORAGE SECTION.', '           COPY BROKEN.', '       PROCEDURE DIVISION.', '           STOP RUN.', ''].join('\n'));
  // Another program copying CUSTREC, never opened: a rename of a CUSTREC field must reach it through the index.
  writeFileSync(path.join(folder, 'USECUST.cbl'), ['       IDENTIFICATION DIVISION.', '       PROGRAM-ID. USECUST.', '       DATA DIVISION.', '       WORKING-STORAGE SECTION.', '           COPY CUSTREC.', '       PROCEDURE DIVISION.', '           MOVE ZERO TO CUST-BALANCE', '           STOP RUN.', ''].join('\n'));
  buildServerBundle();
  server = await ServerProcess.start({ workspaceFolder: folder, settings: { copybookPaths: ['copybooks'] } });
  connection = server.connection;
  expect(server.initializeResult?.capabilities).toMatchObject({ definitionProvider: true, referencesProvider: true, hoverProvider: true, renameProvider: { prepareProvider: true }, documentSymbolProvider: expect.anything(), foldingRangeProvider: true });
  for (const file of ['CUSTRPT.cbl', 'USEBROKE.cbl']) {
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'cobol', version: 1, text: readFileSync(path.join(folder, file), 'utf8') } });
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe('language server', () => {
  it('publishes a clean program clean, and a copybook error in the copybook and on the COPY', async () => {
    expect((await diagnosticsFor(uriOf('CUSTRPT.cbl'), () => true)).diagnostics).toEqual([]);
    const inCopybook = await diagnosticsFor(uriOf('copybooks/BROKEN.cpy'), (p) => p.diagnostics.length > 0);
    expect(inCopybook.diagnostics[0]).toMatchObject({ range: { start: { line: 1 } }, source: 'cobol-assist' });
    const inProgram = await diagnosticsFor(uriOf('USEBROKE.cbl'), (p) => p.diagnostics.length > 0);
    expect(inProgram.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['copybook/errors', 4]]);
  });

  it('goes to a definition in a copybook and renames across the copybook and every program copying it', async () => {
    const textDocument = { uri: uriOf('CUSTRPT.cbl') };
    for (let attempt = 0; attempt < 100; attempt++) {
      const indexed = (await connection.sendRequest('workspace/symbol', { query: 'USECUST' })) as unknown[];
      if (indexed.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const at = position('CUSTRPT.cbl', 'CUST-BALANCE', 'PROCEDURE DIVISION');
    const [location] = (await connection.sendRequest('textDocument/definition', { textDocument, position: at })) as { uri: string; range: { start: { line: number } } }[];
    expect(location.uri).toBe(uriOf('copybooks/CUSTREC.cpy'));
    const edit = (await connection.sendRequest('textDocument/rename', { textDocument, position: at, newName: 'CUST-BAL-DUE' })) as { changes: Record<string, unknown[]> };
    expect(Object.keys(edit.changes).sort()).toEqual([uriOf('CUSTRPT.cbl'), uriOf('USECUST.cbl'), uriOf('copybooks/CUSTREC.cpy')].sort());
    expect(edit.changes[uriOf('USECUST.cbl')]).toEqual([{ range: { start: { line: 6, character: 24 }, end: { line: 6, character: 36 } }, newText: 'CUST-BAL-DUE' }]);
    await expect(connection.sendRequest('textDocument/rename', { textDocument, position: at, newName: 'MOVE' })).rejects.toThrow(/reserved word/);
  });

  it('answers hover, outline and workspace symbols', async () => {
    const textDocument = { uri: uriOf('CUSTRPT.cbl') };
    const hover = (await connection.sendRequest('textDocument/hover', { textDocument, position: position('CUSTRPT.cbl', 'TOT-BALANCE', 'PROCEDURE DIVISION') })) as { contents: { value: string } };
    expect(hover.contents.value).toContain('7 bytes');
    const symbols = (await connection.sendRequest('textDocument/documentSymbol', { textDocument })) as { name: string; children: { name: string }[] }[];
    expect(symbols[0].name).toBe('CUSTRPT');
    expect(symbols[0].children.map((child) => child.name)).toContain('PROCEDURE DIVISION');
    let found: { name: string; location: { uri: string } }[] = [];
    for (let attempt = 0; attempt < 50 && found.length === 0; attempt++) {
      found = (await connection.sendRequest('workspace/symbol', { query: 'INTCALC' })) as typeof found;
      if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(found.map((symbol) => [symbol.name, path.basename(symbol.location.uri)])).toContainEqual(['INTCALC', 'INTCALC.cbl']);
  });
});

describe('editing requests (issue 13)', () => {
  const typing = ['000100 IDENTIFICATION DIVISION.', '000200 PROGRAM-ID. TYPING.', '000300 PROCEDURE DIVISION.', '000400     MOVE OUT-R TO X.']
    .map((line) => `${line.padEnd(72, ' ')}TYPING  `);

  it('answers layoutAfterEdit for the version it holds, toggleComment, sourceFormat and a completion edit range', async () => {
    const uri = uriOf('TYPING.cbl');
    // Enter after "MOVE": the document as the editor has it after the keystroke.
    const cut = typing[3].indexOf(' OUT-R');
    const edited = [...typing.slice(0, 3), typing[3].slice(0, cut), typing[3].slice(cut)];
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cobol', version: 2, text: edited.join('\n') } });
    const change = { range: { start: { line: 3, character: cut }, end: { line: 3, character: cut } }, text: '\n' };
    expect(await connection.sendRequest('cobolAssist/layoutAfterEdit', { uri, version: 1, change })).toBeNull();
    const result = (await connection.sendRequest('cobolAssist/layoutAfterEdit', { uri, version: 2, change })) as { edits: unknown[]; cursor: unknown };
    expect(result.cursor).toEqual({ line: 4, character: 11 });
    expect(result.edits).toContainEqual({ range: { start: { line: 3, character: 0 }, end: { line: 3, character: cut } }, newText: typing[3].slice(0, cut).padEnd(72, ' ') + 'TYPING  ' });
    // A request may overtake the client's didChange for its version: the server waits for it.
    const early = connection.sendRequest('cobolAssist/layoutAfterEdit', { uri, version: 3, change: { range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '' } });
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }] });
    expect(await early).toEqual({ edits: [] });
    const toggled = (await connection.sendRequest('cobolAssist/toggleComment', { uri, version: 3, startLine: 3, endLine: 3 })) as { newText: string }[];
    expect(toggled).toEqual([{ range: { start: { line: 3, character: 6 }, end: { line: 3, character: 7 } }, newText: '*' }]);
    expect(await connection.sendRequest('cobolAssist/sourceFormat', { uri })).toEqual({ fixedLines: [{ start: 0, end: 4 }] });
    const list = (await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 5 } })) as { items: { textEdit?: { range: { start: { character: number } } } }[] };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items[0].textEdit?.range.start.character).toBe(1); // the whole 'OUT-' typed so far
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('offers did-you-mean quick fixes for the diagnostics it published', async () => {
    const uri = uriOf('DYM.cbl');
    const text = ['       IDENTIFICATION DIVISION.', '       PROGRAM-ID. DYM.', '       DATA DIVISION.', '       WORKING-STORAGE SECTION.', '       01  WS-TOTAL PIC 9(5).', '       PROCEDURE DIVISION.', '           MOVE 1 TO WS-TOTL.', ''].join('\n');
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cobol', version: 1, text } });
    const { diagnostics } = await diagnosticsFor(uri, (p) => p.diagnostics.length > 0);
    const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } })) as { title: string }[];
    expect(actions.map((action) => action.title)).toEqual(["Change to 'WS-TOTAL'"]);
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });
});
