// Runs a TypeScript entry point with Node 20, which cannot run .ts itself:
// esbuild bundles it (node-llama-cpp, an ESM package with native binaries,
// stays external) into the git-ignored .run/ts/ folder, then a child Node runs
// the bundle under `nice`, since the machine is shared with other work. The
// entry receives the repository root as its first argument, then ours.
//
// Usage: node scripts/runTypeScript.mjs <entry.ts> [--require-built FILE]... [-- args...]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const separator = argv.indexOf('--');
const own = separator < 0 ? argv : argv.slice(0, separator);
const passed = separator < 0 ? [] : argv.slice(separator + 1);

const entry = own[0];
if (!entry || !existsSync(join(root, entry))) {
  console.error(`usage: node scripts/runTypeScript.mjs <entry.ts> [--require-built FILE]... [-- args...]${entry ? `\n${entry} does not exist.` : ''}`);
  process.exit(2);
}
for (let i = 1; i < own.length; i++) {
  if (own[i] !== '--require-built') continue;
  const built = own[++i];
  if (!existsSync(join(root, built))) {
    console.error(`${built} is missing: run \`npm run build\` first.`);
    process.exit(2);
  }
}

const outfile = join(root, '.run/ts', basename(entry).replace(/\.ts$/, '.mjs'));
await esbuild.build({
  entryPoints: [join(root, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Bundled CommonJS dependencies call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  external: ['node-llama-cpp'],
  logLevel: 'warning',
});
const result = spawnSync('nice', ['-n', '10', process.execPath, outfile, root, ...passed], { stdio: 'inherit' });
process.exit(result.status ?? 1);
