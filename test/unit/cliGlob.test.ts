/** The command line's own glob matching (Node 20 has no fs.glob): patterns to regular expressions, and walking. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandGlob, globToRegExp, isGlob } from '../../server/cli/glob';

describe('globToRegExp', () => {
  it.each([
    ['*.cbl', 'A.cbl', true],
    ['*.cbl', 'sub/A.cbl', false],
    ['**/*.cbl', 'A.cbl', true],
    ['**/*.cbl', 'a/b/c/A.cbl', true],
    ['src/**', 'src/a/b.cpy', true],
    ['?.cob', 'AB.cob', false],
    ['*.{cbl,cob}', 'X.cob', true],
    ['*.{cbl,cob}', 'X.cpy', false],
    ['[AB]*.cbl', 'BANK.cbl', true],
    ['[!AB]*.cbl', 'BANK.cbl', false],
    ['a+b(1).cbl', 'a+b(1).cbl', true],
    ['{unclosed', '{unclosed', true],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(globToRegExp(pattern).test(path)).toBe(expected);
  });

  it('tells globs from plain paths', () => {
    expect(isGlob('src/*.cbl')).toBe(true);
    expect(isGlob('src/A.cbl')).toBe(false);
  });
});

describe('expandGlob', () => {
  const root = mkdtempSync(join(tmpdir(), 'cobol-assist-glob-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const file of ['a/A.cbl', 'a/b/B.cbl', 'a/b/C.cpy', 'node_modules/x/N.cbl', '.hidden/H.cbl']) {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), '');
  }

  it('walks below the literal prefix, sorted, skipping node_modules and hidden folders', () => {
    expect(expandGlob('**/*.cbl', root)).toEqual(['a/A.cbl', 'a/b/B.cbl']);
    expect(expandGlob('a/**/*.{cbl,cpy}', root)).toEqual(['a/A.cbl', 'a/b/B.cbl', 'a/b/C.cpy']);
    expect(expandGlob(`${root}/a/*.cbl`, '/')).toEqual([`${root}/a/A.cbl`]);
  });

  it('enters a skipped folder the pattern names', () => {
    expect(expandGlob('node_modules/**/*.cbl', root)).toEqual(['node_modules/x/N.cbl']);
  });

  it('returns nothing for a folder that does not exist', () => {
    expect(expandGlob('nowhere/**/*.cbl', root)).toEqual([]);
  });
});
