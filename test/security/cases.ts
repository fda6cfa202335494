/**
 * The hostile-workspace cases of issue 14, one or more per finding, each
 * against the real CLI or the real server (the download cases against the
 * extension's downloader and a real local HTTP(S) server). Shared by the
 * vitest suite (security.test.ts) and `npm run bench:security`, which
 * records each case's time (the slowest of its runs) and peak memory.
 *
 * A case throws (node:assert) when the hole is open; it returns what it
 * measured otherwise.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer, globalAgent } from 'node:https';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DownloadError, downloadModel } from '../../extension/modelDownload';
import { validateCatalog } from '../../server/model/catalog';
import { projectRoot, type ServerProcess } from '../integration/serverProcess';
import { writeTinyGguf } from '../unit/model-host/tinyGguf';
import { type Measured, program, runCli, Scratch, startServer } from './harness';

export interface SecurityCase {
  name: string;
  /** The finding of issue 14 it guards (1-13). */
  finding: number;
  run(): Promise<Measured>;
}

const uri = (path: string) => pathToFileURL(path).href;
const secretWord = 'SECRETVALUE';
const bundledModel = join(projectRoot, 'models/bundled/cobol-slm-small.gguf');

/** Opens `file` in a server on `workspace`, waits for its diagnostics; returns the server still running. */
async function openInServer(server: ServerProcess, file: string): Promise<{ codes: string[]; messages: string[] }> {
  await server.open(uri(file), readFileSync(file, 'utf8'));
  const published = await server.diagnostics(uri(file), 15_000);
  return { codes: published.diagnostics.map((d) => String(d.code)), messages: published.diagnostics.map((d) => String(d.message)) };
}

/** Runs `act` against a fresh server; checks it still answers and shuts down cleanly; measures `act` alone. */
async function withServer(options: Parameters<typeof startServer>[0], act: (server: ServerProcess) => Promise<void>): Promise<Measured> {
  const server = await startServer(options);
  try {
    const started = performance.now();
    await act(server);
    const ms = performance.now() - started;
    const status = await server.status(5_000);
    assert.equal(status.phase, 'ready');
    assert.ok(server.alive, 'the server is still running');
    const peakMB = server.peakMemoryMB() ?? NaN;
    assert.equal(await server.shutdown(), 0, 'the server shuts down cleanly');
    return { ms, peakMB };
  } finally {
    server.kill();
  }
}

async function scratchCase(name: string, body: (scratch: Scratch) => Promise<Measured>): Promise<Measured> {
  const scratch = new Scratch(name);
  try {
    return await body(scratch);
  } finally {
    scratch.cleanUp();
  }
}

function count(values: readonly string[], wanted: string): number {
  return values.filter((value) => value === wanted).length;
}

// Finding 1: COPY reads any file and prints its words.
function leakWorkspace(scratch: Scratch): { ws: string; prog: string } {
  const secret = (word: string) => program('SECRET', [], [`MOVE ${secretWord}${word}A TO ${secretWord}${word}B.`, `DISPLAY ${secretWord}${word}C.`]);
  scratch.write('secret/SECRET.cpy', `           MOVE ${secretWord}REL TO ${secretWord}REL2.\n`);
  scratch.write('secret/SECRET2.cpy', `           MOVE ${secretWord}ABS TO ${secretWord}ABS2.\n`);
  scratch.write('secret/LINKED.cpy', `           MOVE ${secretWord}LINK TO ${secretWord}LINK2.\n`);
  scratch.write('secret/EVIL.cbl', secret('WALK'));
  const ws = scratch.path('ws');
  scratch.link('ws/LINKED.cpy', '../secret/LINKED.cpy');
  scratch.link('ws/src/EVIL.cbl', '../../secret/EVIL.cbl');
  scratch.write('ws/src/GOOD.cbl', program('GOOD', ['01 A PIC X.']));
  const prog = scratch.write('ws/PROG.cbl', program('PROG', ['01 A PIC X.'], [
    'COPY "../secret/SECRET.cpy".',
    `COPY "${scratch.path('secret', 'SECRET2.cpy')}".`,
    'COPY LINKED.',
    'COPY "/proc/self/environ".',
    'COPY "\\\\host\\share\\X".',
    'STOP RUN.',
  ]));
  return { ws, prog };
}

function assertNoLeak(text: string): void {
  assert.ok(!text.includes(secretWord), `a secret from outside the workspace was printed:\n${text.slice(0, 2000)}`);
}

const leakEnv = { COBOL_ASSIST_TEST_SECRET: `${secretWord}ENV` };

// Finding 2: devices and FIFOs.
function mkfifo(path: string): void {
  const result = spawnSync('mkfifo', [path]);
  assert.equal(result.status, 0, `mkfifo ${path}: ${result.stderr}`);
}

function deviceWorkspace(scratch: Scratch): { ws: string; prog: string } {
  const ws = scratch.path('ws');
  scratch.link('ws/ZERO.cpy', '/dev/zero');
  scratch.link('ws/walk/zero.cbl', '/dev/zero');
  mkdirSync(join(ws, 'walk'), { recursive: true });
  mkfifo(join(ws, 'PIPE.cpy'));
  mkfifo(join(ws, 'walk', 'fifo.cbl'));
  scratch.write('ws/walk/GOOD.cbl', program('GOOD', ['01 A PIC X.']));
  const prog = scratch.write('ws/PROG.cbl', program('PROG', ['01 A PIC X.'], ['COPY "/dev/zero".', 'COPY ZERO.', 'COPY PIPE.', 'STOP RUN.']));
  return { ws, prog };
}

// Finding 3: a REPLACING bomb. The seven-level chain the issue found (each level COPY of the one before,
// REPLACING ==X== BY ten X's) no longer grows at all: like cobc, text a nested COPY … REPLACING replaced is not
// replaced again (preprocessor.test.ts). So the bomb here multiplies fresh text past the 2M-token cap in one
// level: 5,000 X's in L0, each replaced by 500 (2.5M tokens), under the seven-level chain.
function bombWorkspace(scratch: Scratch): { ws: string; prog: string } {
  const row = (n: number) => `           ${Array.from({ length: n }, () => 'X').join(' ')}\n`;
  scratch.write('ws/L0.cpy', `           DISPLAY\n${row(25).repeat(200)}           .\n`);
  scratch.write('ws/L1.cpy', `           COPY L0 REPLACING ==X== BY ==\n${row(25).repeat(20)}           ==.\n`);
  for (let level = 2; level <= 7; level++) {
    scratch.write(`ws/L${level}.cpy`, `           COPY L${level - 1} REPLACING ==X== BY ==X X X X X X X X X X==.\n`);
  }
  return { ws: scratch.path('ws'), prog: scratch.write('ws/PROG.cbl', program('BOMB', ['01 X PIC X.'], ['COPY L7.', 'STOP RUN.'])) };
}

// Finding 4: `**` copybook paths through symbolic link loops.
function loopWorkspace(scratch: Scratch): { ws: string; prog: string } {
  scratch.write('ws/copy/A.cpy', '       01 FROM-A PIC X.\n');
  scratch.link('ws/copy/self', '.');
  scratch.link('ws/copy/up', '..');
  scratch.link('ws/copy/again', '../copy');
  return { ws: scratch.path('ws'), prog: scratch.write('ws/PROG.cbl', program('LOOP', ['COPY A.', 'COPY NOTHERE.'])) };
}

// Finding 5: a 200 MB copybook (sparse: no disk is used).
function hugeWorkspace(scratch: Scratch): { ws: string; prog: string } {
  const big = scratch.write('ws/BIG.cpy', '');
  const fd = openSync(big, 'r+');
  ftruncateSync(fd, 200 * 1024 * 1024);
  closeSync(fd);
  return { ws: scratch.path('ws'), prog: scratch.write('ws/PROG.cbl', program('HUGE', ['COPY BIG.'])) };
}

// Finding 6: REPLACE with 20,000 rules over 100,000 tokens.
function replaceText(): string {
  const lines = ['       REPLACE'];
  for (let i = 0; i < 20_000; i++) lines.push(`           ==A${String(i).padStart(5, '0')}== BY ==B${String(i).padStart(5, '0')}==`);
  lines.push('           .');
  const body: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    body.push(`DISPLAY ${Array.from({ length: 9 }, (_, k) => `A${String((i * 9 + k) % 30_000).padStart(5, '0')}`).join(' ')}.`);
  }
  return `${lines.join('\n')}\n${program('REPL', ['01 X PIC X.'], [...body, 'STOP RUN.'])}`;
}

// Finding 7: 990 copybooks of 1,000 errors each.
function floodWorkspace(scratch: Scratch): { ws: string; prog: string } {
  const bad = Array.from({ length: 1000 }, () => '           @').join('\n');
  const copies: string[] = [];
  for (let i = 1; i <= 990; i++) {
    scratch.write(`ws/C${i}.cpy`, `${bad}\n`);
    copies.push(`COPY C${i}.`);
  }
  return { ws: scratch.path('ws'), prog: scratch.write('ws/PROG.cbl', program('FLOOD', ['01 X PIC X.'], [...copies, 'STOP RUN.'])) };
}

/** The bound a flood of diagnostics must stay under (per analysis, all files together, with their notes). */
const maxPublished = 5_100;

// Finding 9: crafted model files.
function u64(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(value);
  return buffer;
}
function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}
function ggufString(text: string): Buffer {
  return Buffer.concat([u64(BigInt(Buffer.byteLength(text))), Buffer.from(text)]);
}

/** A file of 115 bytes whose one metadata array claims 2^33 one-byte elements. */
function hugeArrayGguf(): Buffer {
  const head = Buffer.concat([Buffer.from('GGUF'), u32(3), u64(0n), u64(1n), ggufString('general.huge'), u32(9), u32(0), u64(2n ** 33n)]);
  return Buffer.concat([head, Buffer.alloc(115 - head.length)]);
}
/** A file of 88 bytes that claims 2^62 tensors. */
function manyTensorsGguf(): Buffer {
  const head = Buffer.concat([Buffer.from('GGUF'), u32(3), u64(2n ** 62n), u64(0n)]);
  return Buffer.concat([head, Buffer.alloc(88 - head.length)]);
}
/** A tiny, otherwise good model with one u32 metadata value changed. */
function patchedGguf(path: string, key: string, value: number): void {
  writeTinyGguf(path);
  const bytes = readFileSync(path);
  const at = bytes.indexOf(Buffer.concat([ggufString(key), u32(4)]));
  assert.ok(at >= 0, `${key} is in the tiny model`);
  bytes.writeUInt32LE(value, at + 8 + Buffer.byteLength(key) + 4);
  writeFileSync(path, bytes);
}

// Finding 11: downloads.
function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

function selfSignedCertificate(folder: string): { key: Buffer; cert: Buffer } {
  const result = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')], { encoding: 'utf8' });
  assert.equal(result.status, 0, `openssl (needed for the https case) failed: ${result.stderr}`);
  return { key: readFileSync(join(folder, 'key.pem')), cert: readFileSync(join(folder, 'cert.pem')) };
}

async function expectDownloadError(promise: Promise<unknown>, code: string): Promise<DownloadError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof DownloadError, `expected a DownloadError (${code}), got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}

function manifest(): { contributes: { configuration: { properties: Record<string, { scope?: string }> } }; capabilities?: { untrustedWorkspaces?: { supported: unknown; restrictedConfigurations?: string[] } } } {
  return JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
}

export const securityCases: SecurityCase[] = [
  {
    name: 'cli: COPY of files outside the workspace (relative, absolute, symlink, /proc, UNC) prints nothing of them',
    finding: 1,
    run: () => scratchCase('leak-cli', async (scratch) => {
      const { ws } = leakWorkspace(scratch);
      const result = await runCli(['check', '--json', 'PROG.cbl'], ws, { env: leakEnv });
      assertNoLeak(result.stdout + result.stderr);
      const codes = result.stdout.trim().split('\n').flatMap((line) => (JSON.parse(line).diagnostics ?? []).map((d: { code: string }) => d.code));
      assert.equal(count(codes, 'copybook/refused'), 5, `every COPY out of the workspace is refused: ${codes.join(', ')}`);
      return result;
    }),
  },
  {
    name: 'cli: a folder walk does not follow a symlinked program out of the workspace',
    finding: 1,
    run: () => scratchCase('walk-cli', async (scratch) => {
      const { ws } = leakWorkspace(scratch);
      const result = await runCli(['check', 'src'], ws);
      assertNoLeak(result.stdout + result.stderr);
      assert.match(result.stderr, /EVIL\.cbl: is outside the folders/);
      assert.equal(result.code, 2);
      return result;
    }),
  },
  {
    name: 'server: COPY of files outside the workspace publishes nothing of them',
    finding: 1,
    run: () => scratchCase('leak-server', async (scratch) => {
      const { ws, prog } = leakWorkspace(scratch);
      process.env.COBOL_ASSIST_TEST_SECRET = leakEnv.COBOL_ASSIST_TEST_SECRET;
      try {
        return await withServer({ workspaceFolder: ws }, async (server) => {
          const { codes } = await openInServer(server, prog);
          assert.equal(count(codes, 'copybook/refused'), 5, codes.join(', '));
          assertNoLeak(server.publishedMessages.join('\n'));
        });
      } finally {
        delete process.env.COBOL_ASSIST_TEST_SECRET;
      }
    }),
  },
  {
    name: 'cli: /dev/zero, a symlink to it and a FIFO as copybooks or walked programs are refused at once',
    finding: 2,
    run: () => scratchCase('devices-cli', async (scratch) => {
      const { ws } = deviceWorkspace(scratch);
      const result = await runCli(['check', '--json', 'PROG.cbl'], ws, { timeoutMs: 10_000 });
      assert.ok(!result.timedOut, 'the CLI finished');
      const codes = JSON.parse(result.stdout.trim().split('\n')[0]).diagnostics.map((d: { code: string }) => d.code);
      assert.equal(count(codes, 'copybook/refused'), 3, codes.join(', '));
      const walk = await runCli(['check', 'walk'], ws, { timeoutMs: 10_000 });
      assert.ok(!walk.timedOut, 'the folder walk finished');
      assert.match(walk.stderr, /zero\.cbl: is outside the folders/);
      return { ms: Math.max(result.ms, walk.ms), peakMB: Math.max(result.peakMB, walk.peakMB) };
    }),
  },
  {
    name: 'server: device and FIFO copybooks, and the indexer meeting a FIFO and a device link, neither hang nor crash it',
    finding: 2,
    run: () => scratchCase('devices-server', async (scratch) => {
      const { ws, prog } = deviceWorkspace(scratch);
      return withServer({ workspaceFolder: ws }, async (server) => {
        const { codes } = await openInServer(server, prog);
        assert.equal(count(codes, 'copybook/refused'), 3, codes.join(', '));
        // The file watcher reports the FIFO and the device link changed: the indexer reads them through the gate.
        await server.connection.sendNotification('workspace/didChangeWatchedFiles', {
          changes: [{ uri: uri(join(ws, 'walk', 'fifo.cbl')), type: 2 }, { uri: uri(join(ws, 'walk', 'zero.cbl')), type: 2 }],
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
    }),
  },
  {
    name: 'cli: a REPLACING bomb stops at the token cap, reported once',
    finding: 3,
    run: () => scratchCase('bomb-cli', async (scratch) => {
      const { ws } = bombWorkspace(scratch);
      const result = await runCli(['check', '--json', 'PROG.cbl'], ws, { timeoutMs: 20_000 });
      assert.ok(!result.timedOut && result.signal === null, `the CLI finished (${result.signal ?? ''}${result.stderr.slice(0, 500)})`);
      const codes = JSON.parse(result.stdout.trim().split('\n')[0]).diagnostics.map((d: { code: string }) => d.code);
      assert.equal(count(codes, 'copybook/too-large'), 1, codes.join(', '));
      return result;
    }),
  },
  {
    name: 'server: a REPLACING bomb stops at the token cap, reported once',
    finding: 3,
    run: () => scratchCase('bomb-server', async (scratch) => {
      const { ws, prog } = bombWorkspace(scratch);
      return withServer({ workspaceFolder: ws }, async (server) => {
        await openInServer(server, prog);
        // Reported on the COPY where the cap was hit (inside a copybook), once.
        const codes = server.allPublished.map((d) => String(d.code));
        assert.equal(count(codes, 'copybook/too-large'), 1, codes.join(', '));
      });
    }),
  },
  {
    name: 'cli: a ** copybook path through symlink loops finishes',
    finding: 4,
    run: () => scratchCase('loop-cli', async (scratch) => {
      const { ws } = loopWorkspace(scratch);
      const result = await runCli(['check', '--json', '-I', 'copy/**', 'PROG.cbl'], ws, { timeoutMs: 20_000 });
      assert.ok(!result.timedOut, 'the CLI finished');
      const codes = JSON.parse(result.stdout.trim().split('\n')[0]).diagnostics.map((d: { code: string }) => d.code);
      assert.deepEqual(codes.filter((code: string) => code.startsWith('copybook/')), ['copybook/missing'], 'A is found, NOTHERE is missing');
      return result;
    }),
  },
  {
    name: 'server: a ** copybook path through symlink loops finishes',
    finding: 4,
    run: () => scratchCase('loop-server', async (scratch) => {
      const { ws, prog } = loopWorkspace(scratch);
      return withServer({ workspaceFolder: ws, settings: { copybookPaths: ['**'] } }, async (server) => {
        const { codes } = await openInServer(server, prog);
        assert.deepEqual(codes.filter((code) => code.startsWith('copybook/')), ['copybook/missing']);
      });
    }),
  },
  {
    name: 'cli: a 200 MB copybook is refused before it is read',
    finding: 5,
    run: () => scratchCase('huge-cli', async (scratch) => {
      const { ws } = hugeWorkspace(scratch);
      const result = await runCli(['check', '--json', 'PROG.cbl'], ws);
      const diagnostics = JSON.parse(result.stdout.trim().split('\n')[0]).diagnostics as { code: string; message: string }[];
      const refused = diagnostics.filter((d) => d.code === 'copybook/refused');
      assert.equal(refused.length, 1);
      assert.match(refused[0].message, /200 MB; the limit is 16 MB/);
      return result;
    }),
  },
  {
    name: 'server: a 200 MB copybook is refused before it is read',
    finding: 5,
    run: () => scratchCase('huge-server', async (scratch) => {
      const { ws, prog } = hugeWorkspace(scratch);
      return withServer({ workspaceFolder: ws }, async (server) => {
        const { codes } = await openInServer(server, prog);
        assert.equal(count(codes, 'copybook/refused'), 1, codes.join(', '));
      });
    }),
  },
  {
    name: 'cli: REPLACE with 20,000 rules over 100,000 tokens is not quadratic',
    finding: 6,
    run: () => scratchCase('replace-cli', async (scratch) => {
      scratch.write('REPL.cbl', replaceText());
      const result = await runCli(['check', '--json', 'REPL.cbl'], scratch.root, { timeoutMs: 20_000 });
      assert.ok(!result.timedOut, 'the CLI finished');
      assert.ok(result.stdout.includes('"file":"REPL.cbl"'));
      return result;
    }),
  },
  {
    name: 'server: REPLACE with 20,000 rules over 100,000 tokens is not quadratic',
    finding: 6,
    run: () => scratchCase('replace-server', async (scratch) => {
      const file = scratch.write('REPL.cbl', replaceText());
      return withServer({ workspaceFolder: scratch.root }, async (server) => {
        await openInServer(server, file);
      });
    }),
  },
  {
    name: 'cli: 990 copybooks of 1,000 errors give a bounded number of diagnostics, with a note',
    finding: 7,
    run: () => scratchCase('flood-cli', async (scratch) => {
      const { ws } = floodWorkspace(scratch);
      const result = await runCli(['check', '--json', 'PROG.cbl'], ws, { timeoutMs: 30_000 });
      assert.ok(!result.timedOut, 'the CLI finished');
      const diagnostics = JSON.parse(result.stdout.trim().split('\n')[0]).diagnostics as { code: string }[];
      assert.ok(diagnostics.length <= maxPublished, `${diagnostics.length} diagnostics`);
      assert.equal(count(diagnostics.map((d) => d.code), 'diagnostics/truncated-analysis'), 1);
      return result;
    }),
  },
  {
    name: 'server: 990 copybooks of 1,000 errors publish a bounded number of diagnostics',
    finding: 7,
    run: () => scratchCase('flood-server', async (scratch) => {
      const { ws, prog } = floodWorkspace(scratch);
      return withServer({ workspaceFolder: ws }, async (server) => {
        await openInServer(server, prog);
        const all = server.allPublished;
        assert.ok(all.length <= maxPublished, `${all.length} diagnostics published`);
        assert.equal(all.filter((d) => d.code === 'diagnostics/truncated-analysis').length, 1);
      });
    }),
  },
  {
    name: 'server: a workspace setting cannot run a program (relative cobc.path refused; restricted in untrusted folders; machine scope)',
    finding: 8,
    run: () => scratchCase('cobc-server', async (scratch) => {
      const pkg = manifest();
      const trust = pkg.capabilities?.untrustedWorkspaces;
      assert.equal(trust?.supported, 'limited');
      for (const key of ['cobolAssist.cobc.enabled', 'cobolAssist.cobc.path', 'cobolAssist.copybookPaths', 'cobolAssist.model.path']) {
        assert.ok(trust?.restrictedConfigurations?.includes(key), `${key} is restricted in untrusted workspaces`);
      }
      assert.equal(pkg.contributes.configuration.properties['cobolAssist.cobc.path'].scope, 'machine');
      // Nor send code or a key off the machine: the endpoints that receive them are the user's own settings alone.
      for (const key of ['cobolAssist.remote.endpoint', 'cobolAssist.agent.planner.endpoint']) {
        assert.ok(trust?.restrictedConfigurations?.includes(key), `${key} is restricted in untrusted workspaces`);
        assert.equal(pkg.contributes.configuration.properties[key].scope, 'machine', `${key} is machine-scoped`);
      }
      const pwned = scratch.path('PWNED');
      const evil = scratch.write('ws/evil.sh', `#!/bin/sh\ntouch '${pwned}'\n`);
      chmodSync(evil, 0o755);
      const prog = scratch.write('ws/PROG.cbl', program('PROG', ['01 A PIC X.']));
      const ws = scratch.path('ws');
      return withServer({ workspaceFolder: ws, settings: { cobc: { enabled: true, path: './evil.sh' } } }, async (server) => {
        await openInServer(server, prog);
        await server.save(uri(prog));
        const deadline = Date.now() + 5_000;
        while (server.shownMessages.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.match(server.shownMessages.join('\n'), /relative path/);
        assert.ok(!existsSync(pwned), 'the workspace script did not run');
        // A bare name is looked up on PATH only, never in the workspace folder.
        await server.configure({ cobc: { enabled: true, path: 'evil.sh' } });
        await server.save(uri(prog));
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.ok(!existsSync(pwned), 'the workspace script did not run by its bare name');
      });
    }),
  },
  {
    name: 'server: crafted GGUF files (2^33-byte array, 2^62 tensors, 100,000 layers, 0 heads) are refused before llama.cpp; the catalogue is pinned',
    finding: 9,
    run: () => scratchCase('gguf-server', async (scratch) => {
      const catalog = validateCatalog(JSON.parse(readFileSync(join(projectRoot, 'models/catalog.json'), 'utf8')));
      for (const entry of catalog.models) {
        assert.match(entry.sha256 ?? '', /^[0-9a-f]{64}$/, `${entry.id} has a sha256`);
        if (entry.source === 'download') assert.match(entry.url ?? '', /\/resolve\/[0-9a-f]{40}\//, `${entry.id} is pinned to a commit`);
        assert.ok(entry.bytes !== null || (entry.maxBytes ?? 0) > 0, `${entry.id} has a size or a size bound`);
      }
      const files = [
        scratch.write('array.gguf', hugeArrayGguf()),
        scratch.write('tensors.gguf', manyTensorsGguf()),
      ];
      patchedGguf(scratch.path('layers.gguf'), 'llama.block_count', 100_000);
      patchedGguf(scratch.path('heads.gguf'), 'llama.attention.head_count', 0);
      files.push(scratch.path('layers.gguf'), scratch.path('heads.gguf'));
      return withServer({ settings: { model: { path: files[0] } }, initializationOptions: { storagePath: scratch.path('storage') } }, async (server) => {
        for (const [index, file] of files.entries()) {
          if (index > 0) await server.configure({ model: { path: file } });
          const status = await server.modelStatus((s) => s.modelId === basename(file) && s.state !== 'loading', 20_000);
          assert.equal(status.state, 'error', `${basename(file)}: ${status.message}`);
          assert.match(status.message ?? '', /damaged|cannot be right/, status.message);
          assert.ok(server.alive, `the server survived ${basename(file)}`);
        }
      });
    }),
  },
  {
    name: 'server: the crash guard lives in private storage, survives a planted folder and is cleared by a polite shutdown',
    finding: 10,
    run: () => scratchCase('guard-server', async (scratch) => {
      const storage = scratch.path('storage');
      const marker = join(storage, 'crash-guard', `model-load-${createHash('sha256').update(bundledModel).digest('hex').slice(0, 32)}.json`);
      mkdirSync(marker, { recursive: true }); // planted: a folder where the marker goes
      // Where the marker used to go: a name anyone could predict in the shared temporary folder.
      const sharedMarker = join(tmpdir(), `cobol-assist-model-load-${createHash('sha256').update(bundledModel).digest('hex').slice(0, 16)}.json`);
      rmSync(sharedMarker, { force: true, recursive: true });
      const options = { settings: { model: { path: bundledModel } }, initializationOptions: { storagePath: storage } };
      const measured = await withServer(options, async (server) => {
        const status = await server.modelStatus((s) => s.state === 'ready' || s.state === 'error', 30_000);
        assert.equal(status.state, 'ready', status.message);
      });
      assert.ok(!existsSync(marker), 'no marker after a finished load');
      // Shut down politely while the model loads: the marker must go with it.
      const server = await startServer(options);
      try {
        await server.modelStatus((s) => s.state === 'loading', 10_000);
        assert.equal(await server.shutdown(), 0);
      } finally {
        server.kill();
      }
      assert.ok(!existsSync(marker), 'no marker after a polite shutdown during the load');
      assert.ok(!existsSync(sharedMarker), 'nothing in the shared temporary folder');
      const again = await withServer(options, async (next) => {
        const status = await next.modelStatus((s) => s.state === 'ready' || s.state === 'error', 30_000);
        assert.equal(status.state, 'ready', `the healthy model loads on the next start: ${status.message}`);
      });
      return { ms: Math.max(measured.ms, again.ms), peakMB: Math.max(measured.peakMB, again.peakMB) };
    }),
  },
  {
    name: 'downloads: an endless stream stops at the size limit, https never drops to http, . and .. are refused, a cancel says cancelled',
    finding: 11,
    run: () => scratchCase('download', async (scratch) => {
      const started = performance.now();
      const endless = createHttpServer((request, response) => {
        if (request.url === '/stall.gguf') return; // never answers: cancelled before the headers
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 0x47);
        const pump = () => {
          while (response.write(chunk)) { /* until the socket is full */ }
        };
        response.on('drain', pump);
        pump();
      });
      const port = await listen(endless);
      const { key, cert } = selfSignedCertificate(scratch.root);
      const secure = createHttpsServer({ key, cert }, (_request, response) => {
        response.writeHead(302, { location: `http://127.0.0.1:${port}/model.gguf` });
        response.end();
      });
      const securePort = await listen(secure);
      const previousCa = globalAgent.options.ca;
      globalAgent.options.ca = cert;
      try {
        const destination = scratch.path('models', 'endless.gguf');
        await expectDownloadError(downloadModel({ url: `http://127.0.0.1:${port}/endless.gguf`, destination, sha256: null, maxBytes: 8 * 1024 * 1024 }, { retries: 0 }), 'size');
        assert.ok(!existsSync(`${destination}.part`), 'the oversized .part is deleted');
        const redirect = await expectDownloadError(downloadModel({ url: `https://127.0.0.1:${securePort}/model.gguf`, destination: scratch.path('models', 'r.gguf'), sha256: null }, { retries: 0 }), 'http');
        assert.match(redirect.message, /not https/);
        const valid = JSON.parse(readFileSync(join(projectRoot, 'models/catalog.json'), 'utf8'));
        const download = valid.models.findIndex((m: { source: string }) => m.source === 'download');
        for (const name of ['.', '..']) {
          const broken = JSON.parse(JSON.stringify(valid));
          broken.models[download].file = name;
          assert.throws(() => validateCatalog(broken), /plain file name/);
        }
        const mid = new AbortController();
        const midway = downloadModel({ url: `http://127.0.0.1:${port}/endless.gguf`, destination: scratch.path('models', 'c.gguf'), sha256: null, maxBytes: 1 << 30 }, {
          signal: mid.signal,
          retries: 0,
          onProgress: ({ receivedBytes }) => receivedBytes > 1 << 20 && mid.abort(),
        });
        await expectDownloadError(midway, 'cancelled');
        const early = new AbortController();
        const stalled = downloadModel({ url: `http://127.0.0.1:${port}/stall.gguf`, destination: scratch.path('models', 's.gguf'), sha256: null }, { signal: early.signal, retries: 0 });
        setTimeout(() => early.abort(), 100);
        await expectDownloadError(stalled, 'cancelled');
      } finally {
        globalAgent.options.ca = previousCa;
        endless.closeAllConnections();
        secure.closeAllConnections();
        endless.close();
        secure.close();
      }
      return { ms: performance.now() - started, peakMB: process.memoryUsage().rss / 1048576 };
    }),
  },
  {
    name: 'server: model threads and context beyond the machine and the model are lowered, with a message; a workspace cannot set them',
    finding: 12,
    run: () => scratchCase('clamp-server', async (scratch) => {
      const properties = manifest().contributes.configuration.properties;
      for (const key of ['cobolAssist.model.threads', 'cobolAssist.model.contextSize', 'cobolAssist.model.path']) {
        assert.equal(properties[key].scope, 'machine', `${key} cannot be set by a workspace`);
      }
      const options = { settings: { model: { path: bundledModel, threads: 256, contextSize: 131_072 } }, initializationOptions: { storagePath: scratch.path('storage') } };
      return withServer(options, async (server) => {
        const status = await server.modelStatus((s) => s.state === 'ready' || s.state === 'error', 30_000);
        assert.equal(status.state, 'ready', status.message);
        assert.ok((status.threads ?? Infinity) <= availableParallelism(), `threads ${status.threads}`);
        assert.ok((status.contextSize ?? Infinity) <= 2048, `context ${status.contextSize}`);
        assert.match(status.message ?? '', /model\.threads 256 .* using/);
        assert.match(status.message ?? '', /model\.contextSize 131072 .* using/);
      });
    }),
  },
  {
    name: 'cli: an unreadable copybook is reported as unreadable, not as not found',
    finding: 13,
    run: () => scratchCase('unreadable-cli', async (scratch) => {
      scratch.link('ws/LOOPY.cpy', 'LOOPY.cpy'); // a link to itself: it exists, and cannot be read
      scratch.write('ws/PROG.cbl', program('PROG', ['COPY LOOPY.']));
      const result = await runCli(['check', '--json', 'PROG.cbl'], scratch.path('ws'));
      const diagnostics = JSON.parse(result.stdout.trim().split('\n')[0]).diagnostics as { code: string; message: string }[];
      const codes = diagnostics.map((d) => d.code);
      assert.equal(count(codes, 'copybook/unreadable'), 1, codes.join(', '));
      assert.equal(count(codes, 'copybook/missing'), 0);
      assert.match(diagnostics.find((d) => d.code === 'copybook/unreadable')!.message, /cannot be read \(too many symbolic links\)/);
      return result;
    }),
  },
  {
    name: 'server: an unreadable copybook is reported as unreadable, not as not found',
    finding: 13,
    run: () => scratchCase('unreadable-server', async (scratch) => {
      scratch.link('ws/LOOPY.cpy', 'LOOPY.cpy');
      const prog = scratch.write('ws/PROG.cbl', program('PROG', ['COPY LOOPY.']));
      return withServer({ workspaceFolder: scratch.path('ws') }, async (server) => {
        const { codes } = await openInServer(server, prog);
        assert.equal(count(codes, 'copybook/unreadable'), 1, codes.join(', '));
        assert.equal(count(codes, 'copybook/missing'), 0);
      });
    }),
  },
];
