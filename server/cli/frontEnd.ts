/**
 * The command line's one door into the COBOL front end: analyses one file
 * from disk with the same analysis and settings as the language server, and
 * returns its diagnostics, each naming the file it lies in.
 *
 * Kept thin on purpose: when the front end grows (copybooks, parser,
 * semantic index), only this adapter changes, not the CLI around it.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from '../cobol/diagnostic';
import { analyseDocument } from '../lsp/analysis';
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

export interface CheckSettings {
  settings: Settings;
}

/** Files larger than this are refused with a clear message instead of exhausting memory. */
const maxFileBytes = 256 * 1024 * 1024;

/** Reads and analyses one file; throws only for a file that cannot be read (the caller reports it). */
export function checkFile(file: string, options: CheckSettings): CheckedFile {
  const size = statSync(file).size;
  if (size > maxFileBytes) throw new Error(`file is ${Math.round(size / 1048576)} MB; the limit is 256 MB`);
  const text = readFileSync(file, 'utf8');
  const diagnostics = analyseDocument(text, options.settings).map((diagnostic) => ({ ...diagnostic, file }));
  return { file, lines: countLines(text), diagnostics };
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
