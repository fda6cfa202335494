/**
 * Turns the command line's inputs (files, folders, globs) into the list of
 * files to check, and a clear problem for each input that names nothing
 * readable. Folders contribute their programs (not copybooks: those are
 * checked through the programs that COPY them).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expandGlob, isGlob } from './glob';

/** Extensions of programs found by walking a folder (case-insensitive). */
const programExtensions = /\.(?:cbl|cob|cobol)$/i;

export interface InputProblem {
  input: string;
  message: string;
}

export interface ExpandedInputs {
  /** Files to check, as paths relative to `cwd` when below it, in input order, without duplicates. */
  files: string[];
  problems: InputProblem[];
}

export function expandInputs(inputs: readonly string[], cwd: string): ExpandedInputs {
  const files: string[] = [];
  const seen = new Set<string>();
  const problems: InputProblem[] = [];
  const add = (path: string) => {
    const absolute = resolve(cwd, path);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    const shown = relative(cwd, absolute);
    files.push(shown.startsWith('..') || shown === '' ? absolute : shown);
  };

  for (const input of inputs) {
    let stats;
    try {
      stats = statSync(resolve(cwd, input));
    } catch (error) {
      if (isGlob(input)) {
        const matches = expandGlob(input, cwd);
        if (matches.length === 0) problems.push({ input, message: 'no file matches this pattern' });
        matches.forEach(add);
      } else {
        problems.push({ input, message: describeFsError(error) });
      }
      continue;
    }
    if (stats.isDirectory()) {
      const programs = programsBelow(resolve(cwd, input), problems, input);
      if (programs.length === 0) problems.push({ input, message: 'folder holds no COBOL program (.cbl, .cob, .cobol)' });
      programs.forEach(add);
    } else if (stats.isFile()) {
      add(input);
    } else {
      // Reading a FIFO or a device could block forever.
      problems.push({ input, message: 'not a regular file or folder' });
    }
  }
  return { files, problems };
}

function programsBelow(folder: string, problems: InputProblem[], input: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (error) {
      problems.push({ input: current === folder ? input : current, message: describeFsError(error) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') walk(path);
      } else if (programExtensions.test(entry.name) && (entry.isFile() || entry.isSymbolicLink())) {
        found.push(path);
      }
    }
  };
  walk(folder);
  return found;
}

/** A readable sentence for the file-system errors users meet, instead of a raw errno. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of this path is a file, not a folder';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ELOOP':
      return 'too many symbolic links (a link loop?)';
    case 'ENAMETOOLONG':
      return 'path too long';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
