// Runs the front-end benchmark: bundles test/bench/frontend.ts with esbuild
// (into the ignored .run/ folder) and runs it under `nice`, since the machine
// is shared. Needs dist/ built first: `npm run bench:frontend` does both.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
for (const built of ['dist/server.js', 'dist/cli.js']) {
  if (!existsSync(join(root, built))) {
    console.error(`${built} is missing: run \`npm run build\` first (npm run bench:frontend does).`);
    process.exit(2);
  }
}
const outfile = join(root, '.run/bench/frontend.cjs');
await esbuild.build({
  entryPoints: [join(root, 'test/bench/frontend.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
const result = spawnSync('nice', ['-n', '10', process.execPath, outfile, root], { stdio: 'inherit' });
process.exit(result.status ?? 1);
