// Builds the production bundle and packages the extension as a VSIX with vsce,
// then prints the file's size. The bundle carries its dependencies, so the
// VSIX is packaged without node_modules.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { readFileSync } from 'node:fs';

const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const out = `${name}-${version}.vsix`;
execFileSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', out], { stdio: 'inherit' });
const bytes = statSync(out).size;
console.log(`VSIX ${out}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`);
