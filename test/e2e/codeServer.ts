/**
 * Launches an isolated code-server for one end-to-end run: its own run folder
 * under .run/ (user data, extensions, XDG folders, temp), a pristine copy of
 * the sample workspace, and the packaged VSIX installed.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, installVsix, prepareRun, startCodeServer, type CodeServerRun, type RunningCodeServer } from '../../scripts/codeServer.mjs';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface E2eCodeServer extends RunningCodeServer {
  run: CodeServerRun;
  /** Stops code-server; removes the run folder unless asked to keep it for a post-mortem. */
  dispose(options: { keepRunFolder: boolean }): Promise<void>;
}

/** The VSIX that `npm run package` wrote; the e2e tests what users install. */
export function packagedVsix(): string {
  const { name, version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  const vsix = join(projectRoot, `${name}-${version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first (npm run test:e2e does).`);
  return vsix;
}

let launches = 0;

export async function launchCodeServer(): Promise<E2eCodeServer> {
  // Unique per launch: test files may share a worker process.
  const runName = `e2e-${process.pid}-${++launches}`;
  const run = prepareRun(join(projectRoot, '.run', runName), join(projectRoot, 'test', 'fixtures', 'workspace'));
  installVsix(run, packagedVsix());
  const server = await startCodeServer(run, { port: await freePort(), healthTimeoutMs: 120_000 });
  return {
    ...server,
    run,
    async dispose({ keepRunFolder }) {
      await server.stop();
      if (!keepRunFolder) rmSync(run.dir, { recursive: true, force: true });
    },
  };
}
