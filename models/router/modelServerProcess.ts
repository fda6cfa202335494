/**
 * Starts `serve:model` (server/remote/serveModel.ts) as a child process on a
 * free 127.0.0.1 port and waits for its URL: the remote model over real HTTP,
 * in its own process (its own cores), for router:train and bench:router.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ModelServerProcess {
  url: string;
  stop(): Promise<void>;
}

export async function startModelServerProcess(root: string, model: string, extraArgs: string[] = [], timeoutMs = 120_000): Promise<ModelServerProcess> {
  const child = spawn(process.execPath, [join(root, 'scripts/runTypeScript.mjs'), 'server/remote/serveModel.ts', '--', '--model', model, '--port', '0', '--quiet', ...extraArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: runTypeScript runs the server in a grandchild (under `nice`), and stop() ends the group.
    detached: true,
  });
  // Never leave the server behind, whatever ends this process.
  const killGroup = () => {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch { /* already gone */ }
  };
  process.once('exit', killGroup);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve:model did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve:model exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      process.off('exit', killGroup);
      killGroup();
    }),
  };
}
