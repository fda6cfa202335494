/**
 * Loads the project's hand-written COBOL corpus (test/fixtures/corpus:
 * programs/ and copybooks/) so it joins the generated programs. Missing folders
 * simply contribute nothing.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface FixtureFile {
  path: string;
  text: string;
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

export function loadFixtures(root: string): { programs: FixtureFile[]; copybooks: FixtureFile[] } {
  const base = join(root, 'test/fixtures/corpus');
  const read = (dir: string) =>
    walk(join(base, dir))
      .filter((f) => !f.endsWith('.json') && !f.endsWith('.md'))
      .map((f) => ({ path: relative(root, f), text: readFileSync(f, 'latin1') }));
  return { programs: read('programs'), copybooks: read('copybooks') };
}
