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
import { FileSystemCopybookResolver, analyseProgram, nodeFileSystem, readGated, type Diagnostic } from '../cobol/index';
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
  /** Reads and analyses one file (absolute path); throws only when the file cannot or may not be read (the message says why). */
  check(file: string): CheckedFile;
}

/** Files larger than this are refused with a clear message instead of exhausting memory. */
const maxFileBytes = 256 * 1024 * 1024;

/**
 * A checker for one run: one copybook resolver shared by every file, so
 * folder listings are read once. `settings.copybookPaths` are folders or
 * globs, relative to `baseFolder` unless absolute. Files are read through the
 * file-access gate: regular files whose real path lies below `accessRoots`
 * (default: `baseFolder`), the copybook folders or, for copybooks, the
 * program's folder.
 */
export function createChecker(settings: Settings, baseFolder: string, accessRoots: readonly string[] = [baseFolder]): Checker {
  const resolver = new FileSystemCopybookResolver(nodeFileSystem, {
    workspaceRoot: baseFolder,
    searchPaths: settings.copybookPaths,
    accessRoots,
  });
  const programRoots = [...accessRoots, ...resolver.configuredSearchFolders()];
  return {
    check(file: string): CheckedFile {
      const read = readGated(file, { roots: programRoots, maxBytes: maxFileBytes });
      if (!('text' in read)) {
        const hint = read.problem === 'outside' ? ' (name it on the command line or add --allow-read)' : '';
        throw new Error(read.problem === 'missing' ? 'no such file or folder' : read.reason.replace(/\.$/, '') + hint);
      }
      const text = read.text;
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
