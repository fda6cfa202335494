/**
 * `npm run bench:conformance -- DIR... [--projects] [--no-cache]`: the
 * conformance summary (test/bench/conformance.ts) of each folder, printed and
 * written to bench-results/conformance.json. Without DIR: the project's own
 * fixtures (test/fixtures).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatConformance } from '../../server/cli/conformance';
import { measureConformance } from './conformance';

const [rootArgument, ...rest] = process.argv.slice(2);
const root = resolve(rootArgument ?? process.cwd());
const projects = rest.includes('--projects');
const cache = !rest.includes('--no-cache');
const verbose = rest.includes('--verbose');
const folders = rest.filter((argument) => !argument.startsWith('--')).map((folder) => resolve(process.env.INIT_CWD ?? process.cwd(), folder));
if (folders.length === 0) folders.push(join(root, 'test/fixtures'));

const results = folders.map((folder) => {
  const run = measureConformance(folder, { projects, cache, root, exclude: ['invalid', 'precompiler-stubs'] });
  console.log(`${folder} (${run.seconds.toFixed(1)} s, ${run.cobc ?? 'no cobc'})`);
  console.log(formatConformance(run.summary));
  if (verbose) {
    for (const entry of run.entries) {
      if ((entry.cobc === 'default' || entry.cobc === 'ibm') && entry.errors.length > 0) {
        for (const e of entry.errors) console.log(`  ${entry.file} ${e.file === entry.file ? '' : e.file + ' '}${e.range.start.line + 1}:${e.range.start.character + 1} ${e.message} [${e.code}]`);
      }
    }
  }
  return { folder, cobc: run.cobc, seconds: run.seconds, ...run.summary };
});
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results/conformance.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2) + '\n');
if (results.some((r) => r.cobcAccepted === null)) {
  console.error('cobc (GnuCOBOL) is not installed: the share of programs it accepts cannot be measured.');
  process.exitCode = 1;
}
