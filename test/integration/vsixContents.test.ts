/**
 * What the VSIX ships, as `vsce ls` reports it from package.json and
 * .vscodeignore: the bundles, the grammars, the manifest and the docs; never
 * sources, tests, fixtures, source maps, tools or node_modules.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { projectRoot } from './serverProcess';

const allowed = [
  /^package\.json$/,
  /^(README|CHANGELOG)\.md$/,
  /^LICENSE(\.txt)?$/,
  /^dist\/(extension|server)\.js$/,
  /^grammars\/[^/]+\.json$/,
  /^models\/.+\.(gguf|json)$/,
];

it('the VSIX holds only the bundles, grammars, manifest and docs', () => {
  const result = spawnSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'ls', '--no-dependencies'], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status, result.stderr).toBe(0);
  const files = result.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
  expect(files).toContain('package.json');
  expect(files).toContain('grammars/cobol.tmLanguage.json');
  expect(files.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
}, 60_000);
