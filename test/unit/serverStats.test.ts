/**
 * The `cobolAssist/stats` request on the real server process (dist/server.js,
 * built from the current sources), started over stdio, asked for its memory figures with and
 * without a full garbage collection first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServerBundle, ServerProcess } from '../integration/serverProcess';

let work: string;
const clients: ServerProcess[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cobol-assist-stats-'));
  buildServerBundle();
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.stop()));
  rmSync(work, { recursive: true, force: true });
});

it('reports heap, RSS and open documents, and collects garbage when Node allows it', async () => {
  const client = await ServerProcess.start({ nodeArgs: ['--expose-gc'] });
  clients.push(client);
  const uri = pathToFileURL(join(work, 'A.cbl')).href;
  const published = client.waitForDiagnostics((p) => p.uri === uri, 20_000);
  await client.open(uri, '       IDENTIFICATION DIVISION.\n       PROGRAM-ID. A.\n');
  await published;

  const stats = await client.stats(true);
  expect(stats.collectedGarbage).toBe(true);
  expect(stats.openDocuments).toBe(1);
  expect(stats.heapUsedMB).toBeGreaterThan(1);
  expect(stats.heapUsedMB).toBeLessThanOrEqual(stats.heapTotalMB);
  expect(stats.rssMB).toBeGreaterThan(stats.heapUsedMB);
  expect(stats.uptimeMs).toBeGreaterThanOrEqual(0);
  expect((await client.stats(false)).collectedGarbage).toBe(false);
});

it('says it did not collect garbage when Node runs without --expose-gc', async () => {
  const client = await ServerProcess.start();
  clients.push(client);
  const stats = await client.stats(true);
  expect(stats.collectedGarbage).toBe(false);
  expect(stats.openDocuments).toBe(0);
});
