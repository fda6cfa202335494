// Runs code-server in an isolated run folder: its own user data, extensions,
// XDG folders and temp, a pristine copy of a workspace, the extension's VSIX
// installed. Shared by `npm start` (scripts/start.mjs) and the end-to-end tests.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureCodeServer } from './install-code-server.mjs';

/**
 * Creates (or re-creates) `runDir` with a fresh copy of `workspaceFixture` and
 * an environment that keeps code-server out of the home folder and /tmp.
 */
export function prepareRun(runDir, workspaceFixture) {
  const dir = resolve(runDir);
  rmSync(dir, { recursive: true, force: true });
  const run = {
    dir,
    workspace: join(dir, 'workspace'),
    userDataDir: join(dir, 'user'),
    extensionsDir: join(dir, 'exts'),
    configFile: join(dir, 'config.yaml'),
    logFile: join(dir, 'code-server.log'),
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(dir, 'xdg', 'config'),
      XDG_DATA_HOME: join(dir, 'xdg', 'data'),
      XDG_CACHE_HOME: join(dir, 'xdg', 'cache'),
      XDG_RUNTIME_DIR: join(dir, 'xdg', 'runtime'),
      TMPDIR: join(dir, 'tmp'),
    },
  };
  for (const folder of [run.userDataDir, run.extensionsDir, run.env.XDG_CONFIG_HOME, run.env.XDG_DATA_HOME,
    run.env.XDG_CACHE_HOME, run.env.XDG_RUNTIME_DIR, run.env.TMPDIR]) {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  }
  cpSync(resolve(workspaceFixture), run.workspace, { recursive: true });
  // code-server reads a config file even when every setting comes from flags;
  // an explicit one stops it writing a default into ~/.config.
  writeFileSync(run.configFile, 'auth: none\ncert: false\n');
  // The PORT variable overrides --bind-addr in code-server: never pass ours on.
  delete run.env.PORT;
  return run;
}

/** Installs a VSIX into the run's extensions folder with code-server's own CLI. */
export function installVsix(run, vsixPath) {
  const entry = ensureCodeServer();
  const result = spawnSync(process.execPath, [entry, ...commonArgs(run), '--force', '--install-extension', resolve(vsixPath)], {
    env: run.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`Installing ${vsixPath} into code-server failed (exit ${result.status ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
}

/**
 * Starts code-server on 127.0.0.1:port in its own process group and waits for
 * /healthz. Returns the URL that opens the run's workspace and a `stop()` that
 * ends the whole process tree (extension host, language server included).
 */
export async function startCodeServer(run, { port, healthTimeoutMs = 90_000 } = {}) {
  const entry = ensureCodeServer();
  const log = createWriteStream(run.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [
    entry,
    ...commonArgs(run),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    run.workspace,
  ], { env: run.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  // Whatever ends this process (an error, Ctrl+C during start-up) must not leave code-server behind.
  const killOnExit = () => signalGroup(child.pid, 'SIGKILL');
  process.once('exit', killOnExit);
  const exit = new Promise((resolveExit) => child.once('exit', (code, signal) => {
    exited = true;
    resolveExit({ code, signal });
  }));

  const stop = async () => {
    if (!exited) signalGroup(child.pid, 'SIGTERM');
    const done = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
    // Children (extension host, language server) share the group: make sure none outlives the run.
    signalGroup(child.pid, 'SIGKILL');
    if (!done) await exit;
    process.removeListener('exit', killOnExit);
    log.end();
  };

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + healthTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited before it was ready; see ${run.logFile}`);
    if (await healthy(base)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${base}/healthz within ${healthTimeoutMs / 1000} s; see ${run.logFile}`);
    }
    await sleep(250);
  }
  return {
    pid: child.pid,
    port,
    baseUrl: base,
    url: `${base}/?folder=${encodeURIComponent(run.workspace)}`,
    exit,
    stop,
  };
}

/** Resolves to `preferred` when it is free on 127.0.0.1, else to a port the OS picks. */
export async function freePort(preferred) {
  if (preferred !== undefined && (await canListen(preferred))) return preferred;
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function canListen(port) {
  return new Promise((resolveListen) => {
    const server = createServer();
    server.once('error', () => resolveListen(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolveListen(true)));
  });
}

function commonArgs(run) {
  return ['--config', run.configFile, '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir];
}

async function healthy(base) {
  try {
    const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
    return response.ok;
  } catch {
    return false;
  }
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error; // ESRCH: the group is already gone
  }
}
