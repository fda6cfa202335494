// Runs the model benchmark: bundles test/bench/model.ts with esbuild (ESM,
// node-llama-cpp external) into the ignored .run/ folder and runs it under
// `nice`, since the machine is shared. Arguments are passed through
// (e.g. --cases 100, --model name=file.gguf).
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outfile = join(root, '.run/bench/model.mjs');
await esbuild.build({
  entryPoints: [join(root, 'test/bench/model.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['node-llama-cpp'],
  logLevel: 'warning',
});
const result = spawnSync('nice', ['-n', '10', process.execPath, outfile, root, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
