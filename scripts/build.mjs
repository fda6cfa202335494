// Bundles the extension (client) and the language server into dist/ with esbuild.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  define: { COBOL_ASSIST_VERSION: JSON.stringify(version) },
  // node-llama-cpp ships native binaries and is loaded from node_modules at run time.
  external: ['vscode', 'node-llama-cpp'],
};

const entries = [
  { entryPoints: ['extension/main.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['server/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The agent panel's page runs in a webview (a browser), not in Node.
  { entryPoints: ['extension/webview/agentPanelView.ts'], outfile: 'dist/agentPanel.js', platform: 'browser', format: 'iife', target: 'es2022', external: [] },
];

if (watch) {
  for (const entry of entries) await (await esbuild.context({ ...common, ...entry })).watch();
} else {
  await Promise.all(entries.map((entry) => esbuild.build({ ...common, ...entry })));
}
