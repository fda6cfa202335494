// `npm start`: runs the product. Builds and packages the extension, installs
// code-server if needed, installs the VSIX into a fresh run folder (.run/start)
// with a pristine copy of the sample workspace, serves it on 127.0.0.1 and
// stays in the foreground until Ctrl+C or SIGTERM, then stops code-server's
// whole process tree.
//
// Environment: PORT (default 8080; a busy port falls back to a free one).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, installVsix, prepareRun, startCodeServer } from './codeServer.mjs';
import { InstallError, ensureCodeServer } from './install-code-server.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const defaultPort = 8080;

async function main() {
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const requested = parsePort(process.env.PORT);

  // Until code-server runs, a signal just exits; codeServer.mjs kills any half-started tree on exit.
  let shutdown = (signal) => process.exit(signal === 'SIGINT' ? 130 : 143);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(signal));

  if (!existsSync(join(root, 'node_modules', '@vscode', 'vsce'))) {
    throw new InstallError('The project\'s npm packages are not installed: run `npm ci` first.');
  }

  step('Building and packaging the extension');
  const packaged = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
  if (packaged.status !== 0) throw new Error(`npm run package failed (exit ${packaged.status ?? packaged.signal}).`);
  const vsix = join(root, `${name}-${version}.vsix`);

  step('Checking code-server');
  ensureCodeServer();

  step('Preparing .run/start with a pristine copy of test/fixtures/workspace');
  const run = prepareRun(join(root, '.run', 'start'), join(root, 'test', 'fixtures', 'workspace'));
  installVsix(run, vsix);
  // The run folder sits inside this git repository; without this, VS Code asks
  // whether to open the parent repository, which is noise in a demo.
  writeUserSettings(run, { 'git.openRepositoryInParentFolders': 'never' });

  const port = await freePort(requested);
  if (port !== requested) console.log(`Port ${requested} is busy; using ${port}.`);
  step(`Starting code-server on 127.0.0.1:${port}`);
  const server = await startCodeServer(run, { port });

  let stopping = false;
  shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping code-server...`);
    await server.stop();
    process.exit(0);
  };

  console.log(`\nCOBOL Assist ${version} is running in VS Code (code-server):\n\n  ${server.url}\n`);
  console.log(`Workspace: ${run.workspace}\nLog: ${run.logFile}\nPress Ctrl+C to stop.`);

  const { code, signal } = await server.exit;
  if (!stopping) {
    console.error(`code-server exited on its own (${signal ?? `exit ${code}`}); see ${run.logFile}`);
    await server.stop();
    process.exit(1);
  }
}

function writeUserSettings(run, settings) {
  const folder = join(run.userDataDir, 'User');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

function parsePort(value) {
  if (value === undefined || value === '') return defaultPort;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InstallError(`PORT must be a port number (1-65535), not '${value}'.`);
  }
  return port;
}

function step(message) {
  console.log(`==> ${message}`);
}

main().catch((error) => {
  console.error(error instanceof InstallError ? `error: ${error.message}` : error);
  process.exit(1);
});
