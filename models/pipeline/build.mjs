// Launcher for `npm run model:build`: bundles the TypeScript pipeline with esbuild
// into models/.work/ (Node 20 cannot run .ts directly) and runs it with the same arguments.
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const work = join(here, '..', '.work');
mkdirSync(work, { recursive: true });
const outfile = join(work, 'pipeline.mjs');
await esbuild.build({
  entryPoints: [join(here, 'cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['node-llama-cpp'],
  logLevel: 'warning',
});
const { main } = await import(pathToFileURL(outfile).href);
process.exitCode = await main(process.argv.slice(2));
