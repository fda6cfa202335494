/**
 * The command line's one door into the COBOL front end (server/cobol): reads
 * a file from disk and analyses it with the same front end and settings as
 * the language server, copybooks found by the same resolver on the disk.
 * Returns the diagnostics, each naming the file it lies in (the program or a
 * copybook).
 *
 * Kept thin on purpose: when the front end's API changes, only this adapter
 * changes, not the CLI around it.
 */
import { readFileSync, statSync } from 'node:fs';
import { FileSystemCopybookResolver, analyseProgram, nodeFileSystem, type Diagnostic } from '../cobol/index';
import type { Settings } from '../settings';

export interface FileDiagnostic extends Diagnostic {
  /** The file the range lies in: the program itself, or a copybook it COPYs. */
  file: string;
}

export interface CheckedFile {
  file: string;
  /** Lines of the file itself (copybooks not counted). */
  lines: number;
  diagnostics: FileDiagnostic[];
}

export interface Checker {
  /** Reads and analyses one file (absolute path); throws only when the file cannot be read. */
  check(file: string): CheckedFile;
}

/** Files larger than this are refused with a clear message instead of exhausting memory. */
const maxFileBytes = 256 * 1024 * 1024;

/**
 * A checker for one run: one copybook resolver shared by every file, so
 * folder listings are read once. `settings.copybookPaths` are folders or
 * globs, relative to `baseFolder` unless absolute.
 */
export function createChecker(settings: Settings, baseFolder: string): Checker {
  const resolver = new FileSystemCopybookResolver(nodeFileSystem, {
    workspaceRoot: baseFolder,
    searchPaths: settings.copybookPaths,
  });
  return {
    check(file: string): CheckedFile {
      const size = statSync(file).size;
      if (size > maxFileBytes) throw new Error(`file is ${Math.round(size / 1048576)} MB; the limit is 256 MB`);
      const text = readFileSync(file, 'utf8');
      const analysis = analyseProgram({
        id: file,
        text,
        settings: { sourceFormat: settings.sourceFormat, checkSequenceArea: settings.checkSequenceArea },
        resolver,
      });
      return { file, lines: countLines(text), diagnostics: analysis.diagnostics };
    },
  };
}

/** Lines as an editor shows them: a final newline does not start another line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) lines++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) lines++;
  }
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13 ? lines - 1 : lines;
}
