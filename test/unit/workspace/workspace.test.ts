/**
 * The workspace layer without LSP: open documents win over the disk (for
 * copybooks too), analyses follow versions, the background index covers the
 * roots, copybook lookup uses the configured paths, and the LSP guard turns a
 * failing handler into an empty answer.
 */
import * as path from 'node:path';
import { ResponseError } from 'vscode-languageserver/node';
import { describe, expect, it } from 'vitest';
import { guarded } from '../../../server/lsp/guarded';
import { defaultSettings } from '../../../server/settings';
import { MemoryDocuments, Workspace } from '../../../server/workspace';

const root = path.resolve(__dirname, '../../fixtures/workspace');
const program = path.join(root, 'CUSTRPT.cbl');
const copybook = path.join(root, 'copybooks', 'CUSTREC.cpy');
const settings = { ...defaultSettings, copybookPaths: ['copybooks'] };

function workspace() {
  const documents = new MemoryDocuments();
  const ws = new Workspace({ documents, settingsFor: async () => settings, summaryDelayMs: 0 });
  ws.setRoots([root]);
  return { documents, ws };
}

describe('Workspace', () => {
  it('analyses an open document at its version, with copybooks from the configured paths', async () => {
    const { documents, ws } = workspace();
    documents.set(program, ws.text(program)!);
    const first = await ws.analysis(program);
    expect(first?.files.map((file) => path.basename(file.id))).toContain('CUSTREC.cpy');
    expect(await ws.analysis(program)).toBe(first); // same version: kept
    documents.set(program, ws.text(program)! + '\n');
    expect(await ws.analysis(program)).not.toBe(first);
    expect(ws.latestAnalysis(program)).toBeDefined();
    expect(ws.dependents(copybook)).toEqual([program]);
    expect(await ws.analysis(path.join(root, 'NOT-OPEN.cbl'))).toBeUndefined();
  });

  it('reads an open copybook before the disk (unsaved edits count)', async () => {
    const { documents, ws } = workspace();
    documents.set(program, ws.text(program)!);
    documents.set(copybook, ws.text(copybook)!.replace('CUST-NAME ', 'CUST-FULLNAME '));
    const analysis = await ws.analysis(program);
    const names = [...analysis!.model.programs[0]!.symbols.values()].flat().map((symbol) => symbol.name);
    expect(names).toContain('CUST-FULLNAME');
    expect(ws.findCopybook('CUSTREC', program, settings)?.text).toContain('CUST-FULLNAME');
    expect(ws.findCopybook('NOSUCH', program, settings)).toBeUndefined();
    expect(ws.copybookFolders(program, settings)).toEqual([root, path.join(root, 'copybooks')]);
  });

  it('indexes the roots in the background and follows changes', async () => {
    const { documents, ws } = workspace();
    await ws.startIndexing();
    await ws.indexIdle();
    expect(ws.index.search('CUST-BALANCE').map((symbol) => path.basename(symbol.file))).toContain('CUSTREC.cpy');
    documents.set(program, ws.text(program)!);
    expect(ws.filesChanged([{ id: copybook, deleted: true }])).toEqual([program]);
    expect(ws.index.search('CUST-BALANCE')).toEqual([]);
    ws.dispose();
  });
});

describe('guarded LSP handlers', () => {
  it('log a failure and answer empty, but pass a deliberate ResponseError through', async () => {
    const logs: string[] = [];
    const failing = guarded((message) => logs.push(message), 'Hover', null, (): string => {
      throw new TypeError('boom');
    });
    expect(await failing()).toBeNull();
    expect(logs[0]).toMatch(/^Hover failed: TypeError: boom/);
    const refusing = guarded(() => {}, 'Rename', null, (): string => {
      throw new ResponseError(1, 'no');
    });
    await expect(refusing()).rejects.toBeInstanceOf(ResponseError);
  });
});
