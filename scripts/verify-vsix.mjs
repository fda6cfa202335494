// Checks that a packaged VSIX runs its model on its own: unpacks it into an
// empty temporary folder (no node_modules above it) and
//  0. checks it holds only what ships: the manifest, docs, bundles, grammars, the walkthrough,
//     the bundled model, and node_modules with exactly one node-llama-cpp
//     binary package (no sources, tests, source maps, other platforms);
//  1. from the unpacked dist/, imports node-llama-cpp and starts llama.cpp
//     (the same dynamic import the server bundle makes), printing the device;
//  2. when the VSIX carries the bundled model, starts the unpacked
//     dist/server.js over stdio and waits until it reports the model ready.
// Usage: node scripts/verify-vsix.mjs <file.vsix> [model.gguf]   (exit 0 = ok)
// A model file given as second argument is placed where the bundled model
// goes, to check a VSIX built before the model existed.
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const vsix = process.argv[2];
if (!vsix || !existsSync(vsix)) {
  console.error('usage: node scripts/verify-vsix.mjs <file.vsix>');
  process.exit(2);
}

const allowed = [
  /^package\.json$/, /^readme\.md$/i, /^changelog\.md$/i, /^LICENSE(\.txt)?$/,
  /^dist\/(extension|server|agentPanel)\.js$/, /^grammars\/[^/]+\.json$/, /^models\/bundled\/[^/]+\.gguf$/, /^models\/router\.json$/, /^walkthrough\/[^/]+\.(md|cbl)$/,
  /^node_modules\/.+/,
];
const forbiddenInModules = [/\.map$/, /\.ts$/, /\.(c|cc|cpp|h|hpp)$/, /\/test\//, /gitRelease\.bundle$/];

/** Throws naming the files that should not ship. */
function checkContents(files) {
  const stray = files.filter((f) => !allowed.some((p) => p.test(f)) || (f.startsWith('node_modules/') && forbiddenInModules.some((p) => p.test(f))));
  if (stray.length) throw new Error(`files that should not ship: ${stray.slice(0, 10).join(', ')}${stray.length > 10 ? ` and ${stray.length - 10} more` : ''}`);
  const binaries = new Set(files.map((f) => /^node_modules\/@node-llama-cpp\/([^/]+)\//.exec(f)?.[1]).filter(Boolean));
  if (binaries.size !== 1) throw new Error(`expected one node-llama-cpp binary package, found: ${[...binaries].join(', ') || 'none'}`);
  console.log(`VSIX contents: ${files.length} files, binaries @node-llama-cpp/${[...binaries][0]} only`);
}

/** Extracts `file` into `into`; resolves with the entry names. */
function unzip(file, into) {
  const yauzl = require('yauzl');
  const names = [];
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.on('entry', (entry) => {
        names.push(entry.fileName);
        const target = join(into, entry.fileName);
        if (!target.startsWith(into)) return reject(new Error(`unsafe path in VSIX: ${entry.fileName}`));
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        mkdirSync(dirname(target), { recursive: true });
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          stream.pipe(createWriteStream(target)).on('finish', () => zip.readEntry()).on('error', reject);
        });
      });
      zip.readEntry();
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'vsix-verify-'));
try {
  const files = await unzip(vsix, dir);
  const extension = join(dir, 'extension');
  checkContents(files.filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length)));

  // 1. The runtime, resolved from dist/ like the server bundle's import().
  const probe = join(extension, 'dist', 'probe-llama.mjs');
  writeFileSync(probe, `
    const started = performance.now();
    const { getLlama } = await import('node-llama-cpp');
    const resolved = import.meta.resolve('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never', progressLogs: false, skipDownload: true });
    console.log(JSON.stringify({ resolved, gpu: llama.gpu, buildType: llama.buildType, ms: Math.round(performance.now() - started) }));
    await llama.dispose();
  `);
  const output = execFileSync(process.execPath, [probe], { cwd: extension, encoding: 'utf8', timeout: 60_000 });
  const result = JSON.parse(output.trim().split('\n').pop());
  if (!result.resolved.startsWith(`file://${extension}/node_modules/`)) throw new Error(`node-llama-cpp resolved outside the VSIX: ${result.resolved}`);
  console.log(`VSIX runtime: node-llama-cpp from the VSIX's node_modules, ${result.buildType} binary, gpu ${result.gpu}, started in ${result.ms} ms`);

  // 2. The bundled model through the unpacked server.
  const model = join(extension, 'models', 'bundled', 'cobol-slm-small.gguf');
  if (process.argv[3]) {
    mkdirSync(dirname(model), { recursive: true });
    copyFileSync(process.argv[3], model);
  }
  if (!existsSync(model)) {
    console.log('VSIX model: no bundled model in this VSIX; server check skipped');
  } else {
    const status = await serverModelStatus(join(extension, 'dist', 'server.js'));
    if (status.state !== 'ready') throw new Error(`the unpacked server reports the model ${status.state}: ${status.message ?? ''}`);
    console.log(`VSIX model: ${status.modelName} ready on ${status.device} with ${status.threads} thread(s) in ${status.loadMs} ms`);
  }
} catch (error) {
  console.error(`VSIX check failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Starts the server over stdio with default settings; resolves with the first final model status. */
async function serverModelStatus(serverJs) {
  const rpc = require('vscode-languageserver-protocol/node');
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = rpc.createProtocolConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  const final = new Promise((resolve) => {
    connection.onNotification('cobolAssist/modelStatus', (status) => {
      if (status.state === 'ready' || status.state === 'error' || status.state === 'off') resolve(status);
    });
  });
  connection.listen();
  try {
    await connection.sendRequest(rpc.InitializeRequest.type, { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true } } });
    await connection.sendNotification(rpc.InitializedNotification.type, {});
    return await Promise.race([final, new Promise((_, reject) => setTimeout(() => reject(new Error('no model status within 60 s')), 60_000))]);
  } finally {
    connection.dispose();
    child.kill();
  }
}
