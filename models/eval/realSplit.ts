/**
 * The real-code test split: whole repositories of `../shared/corpus/real`
 * (licensed public COBOL, see its README) held out from every model's
 * training, so that completion, router and model figures say how the system
 * does on code it never saw. One definition, used by the model pipeline
 * (which must skip these files), `bench:model`, `bench:completion` and
 * `bench:router`.
 *
 * Chosen by repository, never by file, so near-copies inside one repository
 * cannot leak across the split; mainframe samples (Db2, z/OS, CICS, IDz) and
 * general programs are both represented. The corpus's one business
 * application (CBSA) stays in training: it is most of the real business code
 * there is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const HELD_OUT_REPOSITORIES: readonly string[] = [
  'IBM/db2-samples',
  'IBM/IBM-Z-zOS',
  'strongbacktraining/idz-git-training',
  'cicsdev/cics-async-api-credit-card-application-example',
  'shamrice/COBOL-Examples',
  'jdillenkofer/cobol-webserver',
];

export interface RealCorpusFile {
  repository: string;
  /** Path inside the repository. */
  path: string;
  /** Absolute path on this machine. */
  file: string;
  kind: 'program' | 'copybook';
  lines: number;
  sha256: string;
}

/** `../shared/corpus/real` beside the repository root, or undefined when absent. */
export function defaultRealCorpusDir(repositoryRoot = resolve(__dirname, '..', '..')): string | undefined {
  for (const candidate of [join(repositoryRoot, '..', 'shared', 'corpus', 'real'), join(repositoryRoot, 'shared', 'corpus', 'real')]) {
    if (existsSync(join(candidate, 'MANIFEST.tsv'))) return candidate;
  }
  return undefined;
}

/** Every file of the corpus, from its MANIFEST.tsv (never a folder walk). */
export function readRealCorpus(corpusDir: string): RealCorpusFile[] {
  const manifest = join(corpusDir, 'MANIFEST.tsv');
  if (!existsSync(manifest)) throw new Error(`No real-code corpus at ${corpusDir} (MANIFEST.tsv missing).`);
  const [header, ...rows] = readFileSync(manifest, 'utf8').split('\n').filter((line) => line.trim() !== '');
  const columns = header!.split('\t');
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`${manifest} has no column '${name}'.`);
    return index;
  };
  const [repo, path, kind, lines, sha] = ['repo', 'path', 'kind', 'lines', 'sha256'].map(at) as [number, number, number, number, number];
  return rows.map((row) => {
    const cells = row.split('\t');
    const repository = cells[repo]!;
    return {
      repository,
      path: cells[path]!,
      file: join(corpusDir, 'files', repository.replace('/', '__'), cells[path]!),
      kind: cells[kind] === 'copybook' ? 'copybook' : 'program',
      lines: Number(cells[lines]),
      sha256: cells[sha]!,
    };
  });
}

export function isHeldOut(file: Pick<RealCorpusFile, 'repository'>): boolean {
  return HELD_OUT_REPOSITORIES.includes(file.repository);
}

/** The held-out files (programs and copybooks) of the real-code test split. */
export function realTestSplit(corpusDir: string): RealCorpusFile[] {
  return readRealCorpus(corpusDir).filter(isHeldOut);
}

/** The files a model may train on: everything not held out. */
export function realTrainingFiles(corpusDir: string): RealCorpusFile[] {
  return readRealCorpus(corpusDir).filter((file) => !isHeldOut(file));
}
