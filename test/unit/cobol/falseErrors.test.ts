/**
 * The classes of false error found on real COBOL (test/fixtures/false-errors,
 * its README names each): the front end reports no error on any of them, and
 * GnuCOBOL accepts each one that it can compile, so the fixture is known to
 * be valid COBOL rather than our opinion of it. Without cobc the second half
 * fails: it is installed by scripts/setup.sh.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cobcAcceptance, cobcMissingMessage, cobcVersion } from '../../../server/cli/cobc';
import { analyseProgram, FileSystemCopybookResolver, nodeFileSystem } from '../../../server/cobol';

const folder = path.resolve(__dirname, '../../fixtures/false-errors');
const copybooks = path.join(folder, 'copybooks');
/** Programs cobc cannot check: a precompiler or product copybooks are needed, or GnuCOBOL differs from IBM (see the README). */
const notForCobc = new Set(['FULLQUAL.cbl']);

export const falseErrorPrograms: string[] = [
  ...readdirSync(folder).filter((name) => name.endsWith('.cbl')),
  ...readdirSync(path.join(folder, 'precompiler')).map((name) => `precompiler/${name}`),
].sort();

function errorsIn(file: string): string[] {
  const id = path.join(folder, file);
  const resolver = new FileSystemCopybookResolver(nodeFileSystem, { workspaceRoot: folder, searchPaths: [copybooks] });
  const analysis = analyseProgram({ id, text: readFileSync(id, 'utf8'), resolver });
  return analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${path.basename(d.file)}:${d.range.start.line + 1} ${d.message} [${d.code}]`);
}

describe('false-error classes from real code', () => {
  it('has a fixture for every class the README lists', () => {
    const readme = readFileSync(path.join(folder, 'README.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([^`]+\.cbl)`/gm)].map((match) => match[1]).sort();
    expect(listed).toEqual(falseErrorPrograms);
  });

  it.each(falseErrorPrograms)('%s: no errors from the front end', (file) => {
    expect(errorsIn(file)).toEqual([]);
  });

  const compiled = falseErrorPrograms.filter((file) => !file.startsWith('precompiler/') && !notForCobc.has(file));
  it.each(compiled)('%s: cobc -fsyntax-only accepts it (the fixture is valid COBOL)', (file) => {
    expect(cobcVersion(), cobcMissingMessage).toBeDefined();
    const { dialect, run } = cobcAcceptance(path.join(folder, file), { includeFolders: [copybooks] });
    expect(dialect, run.output).toBeDefined();
  });
});
