/**
 * Our front end on the corpus (test/fixtures/corpus/manifest.json): every
 * program GnuCOBOL accepts gets no error from us either, and every invalid
 * fixture gets a diagnostic on each line the manifest says is wrong.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseProgram, FileSystemCopybookResolver, nodeFileSystem } from '../../../server/cobol';

const corpus = path.resolve(__dirname, '../../fixtures/corpus');
const manifest = JSON.parse(readFileSync(path.join(corpus, 'manifest.json'), 'utf8')) as {
  programs: { file: string; cobc: boolean; cobcFlags: string[] }[];
  invalid: { file: string; expected: { line: number; problem: string }[] }[];
};
const resolver = new FileSystemCopybookResolver(nodeFileSystem, { workspaceRoot: corpus, searchPaths: ['copybooks', 'invalid/copybooks'] });

function analyse(file: string, format: 'auto' | 'free' = 'auto') {
  const id = path.join(corpus, file);
  return analyseProgram({ id, text: readFileSync(id, 'utf8'), settings: { sourceFormat: format }, resolver });
}

describe('corpus', () => {
  const accepted = manifest.programs.filter((program) => program.cobc);
  it('has programs GnuCOBOL accepts', () => expect(accepted.length).toBeGreaterThan(20));

  it.each(accepted.map((program) => [program.file, program.cobcFlags] as const))('%s: no errors where cobc accepts', (file, flags) => {
    const analysis = analyse(file, flags.includes('-free') ? 'free' : 'auto');
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${path.basename(d.file)}:${d.range.start.line + 1} ${d.code} ${d.message}`)).toEqual([]);
  });

  it.each(manifest.invalid.map((fixture) => [fixture.file, fixture.expected] as const))('%s: diagnostics on the expected lines', (file, expected) => {
    const analysis = analyse(file);
    const lines = new Set(analysis.diagnostics.filter((d) => d.file === analysis.id).map((d) => d.range.start.line + 1));
    for (const { line, problem } of expected) expect(lines.has(line), `${problem} on line ${line}`).toBe(true);
  });
});
