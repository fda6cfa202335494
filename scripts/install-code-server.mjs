// Installs code-server (a real VS Code workbench served over HTTP) from npm into
// the git-ignored `.tools/code-server`, for `npm start` and the end-to-end tests.
// Idempotent: a finished install leaves a stamp, and a second run is a fast no-op.
//
// Offline workarounds (see ../shared/notes/e2e-in-code-server.md):
// - npm_config_unsafe_perm: code-server's postinstall refuses to run as root otherwise;
// - npm_config_yes: node-pty's postinstall runs `npx node-gyp` and must not prompt;
// - npm_config_nodedir: node-gyp uses the local Node headers instead of downloading them;
// - @vscode/ripgrep downloads ripgrep from GitHub unless its cache holds the tarball:
//   we put Debian's /usr/bin/rg there.
//
// Usage: node scripts/install-code-server.mjs [--force]
// As a module: `ensureCodeServer()` (synchronous) returns the path of the code-server launcher.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const codeServerVersion = '4.100.3';
// The asset @vscode/ripgrep 1.15.11 wants on x86_64 Linux (the machines this project runs on).
const ripgrep = { packageVersion: '1.15.11', asset: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };
const aptPackages = 'chromium ripgrep libkrb5-dev pkg-config build-essential fonts-dejavu-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const toolsDir = join(root, '.tools', 'code-server');
const stampFile = join(toolsDir, '.installed');
/** The code-server launcher (its package's `bin`), run with Node. */
export const codeServerEntry = join(toolsDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export class InstallError extends Error {}

/** Installs code-server unless the stamp says this version is already there; returns the launcher's path. */
export function ensureCodeServer({ force = false, log = console.log } = {}) {
  if (!force && isInstalled()) return codeServerEntry;
  requirePrerequisites();
  const release = acquireLock(log);
  try {
    // Another process may have finished the install while we waited for the lock.
    if (!force && isInstalled()) return codeServerEntry;
    return install(log);
  } finally {
    release();
  }
}

function install(log) {
  const nodedir = findNodeHeaders();
  log(`Installing code-server ${codeServerVersion} into ${toolsDir} (about a minute, ~300 MB)...`);
  const started = Date.now();
  rmSync(toolsDir, { recursive: true, force: true });
  mkdirSync(toolsDir, { recursive: true });
  writeFileSync(join(toolsDir, 'package.json'), `${JSON.stringify({ name: 'cobol-assist-tools', private: true }, null, 2)}\n`);
  const scratch = mkdtempSync(join(tmpdir(), 'code-server-install-'));
  try {
    seedRipgrepCache(scratch);
    const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `code-server@${codeServerVersion}`], {
      cwd: toolsDir,
      stdio: 'inherit',
      env: {
        ...process.env,
        TMPDIR: scratch,
        npm_config_unsafe_perm: 'true',
        npm_config_yes: 'true',
        npm_config_nodedir: nodedir,
        npm_config_update_notifier: 'false',
      },
    });
    if (result.error) throw new InstallError(`Could not run npm: ${result.error.message}`);
    if (result.status !== 0) throw new InstallError(`npm install code-server@${codeServerVersion} failed (exit ${result.status}); see its output above.`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!existsSync(codeServerEntry)) throw new InstallError(`npm finished but ${codeServerEntry} is missing.`);
  writeFileSync(stampFile, `${codeServerVersion}\n`);
  log(`code-server ${codeServerVersion} installed in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  return codeServerEntry;
}

/**
 * One install at a time (`npm start` and the e2e tests may race on a fresh
 * machine): a lock folder holding the owner's pid; a dead owner's lock is taken over.
 */
function acquireLock(log) {
  const lock = `${toolsDir}.lock`;
  const deadline = Date.now() + 15 * 60_000;
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = false; ; waited = true) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    if (!ownerAlive(lock)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new InstallError(`Gave up waiting for another code-server install (lock ${lock}).`);
    if (!waited) log(`Waiting for another process that is installing code-server (lock ${lock})...`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); // a synchronous sleep
  }
}

function ownerAlive(lock) {
  let pid;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // The owner has not written its pid yet, or the lock just went away: treat as alive, look again.
    return existsSync(lock);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function isInstalled() {
  try {
    return readFileSync(stampFile, 'utf8').trim() === codeServerVersion && existsSync(codeServerEntry);
  } catch {
    return false;
  }
}

/** Fails early, naming the apt-get command, when a Debian package the install needs is missing. */
function requirePrerequisites() {
  const missing = [];
  if (!onPath('rg')) missing.push('ripgrep (rg)');
  if (!onPath('make') || !onPath('g++')) missing.push('a C++ tool chain (make, g++)');
  if (!onPath('pkg-config')) missing.push('pkg-config');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('Kerberos headers (libkrb5-dev)');
  if (!onPath('python3')) missing.push('python3 (node-gyp needs it)');
  if (missing.length > 0) {
    throw new InstallError(
      `Installing code-server needs ${missing.join(', ')}.\n` +
        `Install them with: apt-get install -y --no-install-recommends ${aptPackages}`,
    );
  }
}

/** Returns a folder holding include/node/node.h for this Node, so node-gyp stays offline. */
function findNodeHeaders() {
  const candidates = [resolve(dirname(process.execPath), '..'), '/usr', '/usr/local'];
  const found = candidates.find((dir) => existsSync(join(dir, 'include', 'node', 'node.h')));
  if (!found) {
    throw new InstallError(
      `No Node.js headers (include/node/node.h) under ${candidates.join(', ')}: native modules cannot be built offline.\n` +
        'On Debian: apt-get install -y --no-install-recommends libnode-dev (or use a Node build that ships its headers).',
    );
  }
  return found;
}

/** Puts a tarball of the local `rg` where @vscode/ripgrep's postinstall looks before downloading. */
function seedRipgrepCache(scratch) {
  const rg = execFileSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).trim();
  const cache = join(scratch, `vscode-ripgrep-cache-${ripgrep.packageVersion}`);
  mkdirSync(cache, { recursive: true });
  // -h follows a symlinked rg; the archive must hold a plain file named `rg`.
  execFileSync('tar', ['-czhf', join(cache, ripgrep.asset), '-C', dirname(rg), 'rg']);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Tells the user when Chromium (for the end-to-end tests) is missing; not needed for `npm start`. */
export function chromiumPath() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new InstallError(
      `Chromium is not at ${path} (set CHROMIUM_PATH to use another).\n` +
        'Install it with: apt-get install -y --no-install-recommends chromium fonts-dejavu-core',
    );
  }
  return path;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const started = Date.now();
    const entry = ensureCodeServer({ force: process.argv.includes('--force') });
    console.log(`code-server ${codeServerVersion} ready: ${entry} (${Date.now() - started} ms)`);
  } catch (error) {
    console.error(error instanceof InstallError ? `error: ${error.message}` : error);
    process.exit(1);
  }
}
