/**
 * The language server process against bad input (issue 2): a file that is not
 * COBOL, a binary blob, an empty file, a 5 MB program, a 1 MB line, CRLF with
 * tabs and non-ASCII text. After each, the server still answers its status
 * request within a bounded time and publishes diagnostics; it is alive at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { generateProgram } from './largeProgram';
import { buildServerBundle, ServerProcess } from './serverProcess';

/** Bounds sized for a loaded 2-core machine. */
const statusWithinMs = 5_000;
const smallDiagnosticsWithinMs = 10_000;
const largeDiagnosticsWithinMs = 10_000;

let server: ServerProcess;
let opened = 0;

beforeAll(async () => {
  buildServerBundle();
  server = await ServerProcess.start();
}, 120_000);

afterAll(() => server?.kill());

/** Opens a document, waits for its diagnostics and checks the server still answers. */
async function openAndCheck(name: string, text: string, diagnosticsWithinMs = smallDiagnosticsWithinMs) {
  const uri = `file:///bad-input/${name}`;
  const started = performance.now();
  await server.open(uri, text);
  const published = await server.diagnostics(uri, diagnosticsWithinMs);
  const diagnosticsMs = performance.now() - started;
  opened++;
  const status = await server.status(statusWithinMs);
  expect(status.phase).toBe('ready');
  expect(status.openDocuments).toBe(opened);
  expect(server.alive).toBe(true);
  return { uri, diagnostics: published.diagnostics, diagnosticsMs };
}

describe('the language server process with bad input', () => {
  it('answers its status once initialized', async () => {
    const status = await server.status(statusWithinMs);
    expect(status).toMatchObject({ phase: 'ready', openDocuments: 0 });
    expect(status.startupMs).toBeGreaterThan(0);
  });

  it('survives a JSON file opened as COBOL', async () => {
    const json = JSON.stringify({ name: 'cobol-assist', contributes: { languages: [{ id: 'cobol' }] }, list: [1, 2, 3] }, null, 2);
    const { diagnostics } = await openAndCheck('package.cbl', json);
    expect(Array.isArray(diagnostics)).toBe(true);
  });

  it('survives a binary blob with NUL and control bytes', async () => {
    const bytes = Buffer.alloc(64 * 1024);
    let seed = 42;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16;
    await openAndCheck('blob.cbl', bytes.toString('latin1'));
  });

  it('publishes no diagnostics for an empty file', async () => {
    const { diagnostics } = await openAndCheck('empty.cbl', '');
    expect(diagnostics).toEqual([]);
  });

  it('survives a 1 MB line without a newline', async () => {
    await openAndCheck('one-line.cbl', `000100 ${'MOVE A TO B '.repeat(90_000)}`);
  });

  it('reads CRLF, tabs and non-ASCII text with the right line and column', async () => {
    const lines = [
      '000100 IDENTIFICATION DIVISION.',
      '000200 PROGRAM-ID. MIXED.',
      '000300* Kommentar: äöü ß, 日本語, emoji 🚀, replacement \uFFFD, lone surrogate \uD800.',
      '000400 DATA DIVISION.',
      '000500 WORKING-STORAGE SECTION.',
      "000600 01  WS-NAME PIC X(20) VALUE 'Zoë Müller'.",
      '000700 01\tWS-COUNT PIC 9(3).',
      '000800 PROCEDURE DIVISION.',
      'ÄÖÜ900X    DISPLAY WS-NAME.',
      '001000     STOP RUN.',
    ];
    const { diagnostics } = await openAndCheck('mixed.cbl', `${lines.join('\r\n')}\r\n`);
    const tab = diagnostics.find((d) => d.severity === DiagnosticSeverity.Warning && /tab/i.test(String(d.code)));
    expect(tab?.range.start).toEqual({ line: 6, character: 9 });
    const indicator = diagnostics.find((d) => d.severity === DiagnosticSeverity.Error && /indicator/.test(String(d.code)));
    expect(indicator?.range.start).toEqual({ line: 8, character: 6 });
  });

  it('analyses a 5 MB program in bounded time and keeps up with an edit', async () => {
    const text = generateProgram(5 * 1024 * 1024);
    expect(text.length).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    const { uri, diagnostics, diagnosticsMs } = await openAndCheck('large.cbl', text, largeDiagnosticsWithinMs);
    expect(diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error)).toEqual([]);

    // One keystroke in the middle: an invalid indicator, as a user would type it.
    const line = Math.floor(text.split('\n').length / 2);
    const started = performance.now();
    await server.change(uri, 2, { start: { line, character: 6 }, end: { line, character: 7 } }, 'X');
    const edited = await server.diagnostics(uri, largeDiagnosticsWithinMs, 2);
    const editMs = performance.now() - started;
    expect(edited.diagnostics.some((d) => d.range.start.line === line && d.severity === DiagnosticSeverity.Error)).toBe(true);
    console.log(`5 MB program: diagnostics ${diagnosticsMs.toFixed(0)} ms after open, ${editMs.toFixed(0)} ms after an edit`);
  }, 60_000);

  it('is still alive, and shuts down cleanly', async () => {
    expect(server.alive).toBe(true);
    expect(await server.status(statusWithinMs)).toMatchObject({ phase: 'ready', openDocuments: opened });
    expect(server.loggedErrors).toEqual([]);
    expect(server.errorOutput).toBe('');
    expect(await server.shutdown()).toBe(0);
  });
});
