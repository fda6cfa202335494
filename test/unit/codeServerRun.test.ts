/** The run-folder and port helpers behind `npm start` and the e2e tests (scripts/codeServer.mjs). */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { freePort, prepareRun } from '../../scripts/codeServer.mjs';

const workspace = 'test/fixtures/workspace';
const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).forEach((undo) => undo()));

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'run-test-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

it('prepares an isolated run: own XDG, temp, user data and extensions folders under the run folder', () => {
  const run = prepareRun(join(scratch(), 'run'), workspace);
  for (const folder of [run.userDataDir, run.extensionsDir, run.env.XDG_CONFIG_HOME, run.env.XDG_DATA_HOME,
    run.env.XDG_CACHE_HOME, run.env.XDG_RUNTIME_DIR, run.env.TMPDIR]) {
    expect(folder?.startsWith(run.dir)).toBe(true);
    expect(existsSync(folder!)).toBe(true);
  }
  expect(readFileSync(run.configFile, 'utf8')).toContain('auth: none');
});

it('gives every run a pristine copy of the workspace', () => {
  const dir = join(scratch(), 'run');
  const first = prepareRun(dir, workspace);
  const program = join(first.workspace, 'CUSTRPT.cbl');
  writeFileSync(program, 'edited by the previous run');
  writeFileSync(join(first.workspace, 'stray.cbl'), 'left behind');
  const second = prepareRun(dir, workspace);
  expect(readFileSync(join(second.workspace, 'CUSTRPT.cbl'), 'utf8')).toBe(readFileSync(join(workspace, 'CUSTRPT.cbl'), 'utf8'));
  expect(existsSync(join(second.workspace, 'stray.cbl'))).toBe(false);
});

it('does not pass PORT on, since code-server would let it override --bind-addr', () => {
  const saved = process.env.PORT;
  process.env.PORT = '1234';
  cleanup.push(() => (saved === undefined ? delete process.env.PORT : (process.env.PORT = saved)));
  expect(prepareRun(join(scratch(), 'run'), workspace).env.PORT).toBeUndefined();
});

it('keeps a free preferred port and falls back to another when it is busy', async () => {
  const port = await freePort();
  expect(await freePort(port)).toBe(port);
  const busy: Server = createServer();
  await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
  cleanup.push(() => busy.close());
  const fallback = await freePort(port);
  expect(fallback).not.toBe(port);
  expect(fallback).toBeGreaterThan(0);
});
