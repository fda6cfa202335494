/**
 * The `check` command: expands the inputs, analyses every file, prints the
 * diagnostics and decides the exit status. Takes its output streams and
 * working folder as arguments, so tests can run it in-process.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultSettings } from '../settings';
import type { CheckRequest } from './args';
import { cobcAcceptance } from './cobc';
import { formatConformance, summariseConformance, type CobcVerdict, type ConformanceEntry } from './conformance';
import { createChecker } from './frontEnd';
import { describeFsError, expandInputs } from './inputs';
import { formatJson, formatJsonProblem, formatSummary, formatText } from './report';

export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const exitCodes = { ok: 0, errorsFound: 1, usage: 2 } as const;

export function runCheck(request: CheckRequest, io: CliIo): number {
  const settings = {
    ...defaultSettings,
    sourceFormat: request.format,
    // Relative to where the command runs, as users expect on a command line.
    copybookPaths: request.copybookPaths.map((folder) => resolve(io.cwd, folder)),
  };
  const { files, problems } = expandInputs(request.inputs, io.cwd);
  // What may be read: the current folder, the -I folders (added by the checker), --allow-read
  // folders, and what the user named; a link or COPY leading anywhere else is refused.
  const accessRoots = [io.cwd, ...request.allowedFolders.map((folder) => resolve(io.cwd, folder)), ...request.inputs.map((input) => namedRoot(input, io.cwd))];
  const checker = createChecker(settings, io.cwd, accessRoots);
  for (const problem of problems) {
    io.stderr(`cobol-assist: ${problem.input}: ${problem.message}\n`);
    if (request.json) io.stdout(formatJsonProblem(problem.input, problem.message));
  }

  let errors = 0;
  let warnings = 0;
  let unreadable = problems.length;
  let checkedCount = 0;
  const conformance: ConformanceEntry[] = [];
  let cobcMissing = false;
  for (const file of files) {
    let checked;
    try {
      checked = checker.check(resolve(io.cwd, file));
    } catch (error) {
      unreadable++;
      const message = describeFsError(error);
      io.stderr(`cobol-assist: ${file}: ${message}\n`);
      if (request.json) io.stdout(formatJsonProblem(file, message));
      continue;
    }
    checkedCount++;
    // Report paths as the user named them (relative to cwd), also for copybooks.
    const shown = { ...checked, file, diagnostics: checked.diagnostics.map((d) => ({ ...d, file: displayPath(d.file, io.cwd) })) };
    for (const d of shown.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
    }
    io.stdout(request.json ? formatJson(shown) : formatText(shown));
    if (request.summary) {
      let cobc: CobcVerdict = 'unavailable';
      if (!cobcMissing) {
        const { dialect, run } = cobcAcceptance(resolve(io.cwd, file), {
          command: request.cobc,
          includeFolders: settings.copybookPaths,
          free: request.format === 'auto' ? undefined : request.format === 'free',
        });
        cobcMissing = run.missing;
        cobc = run.missing ? 'unavailable' : (dialect ?? 'rejected');
      }
      conformance.push({ file, lines: checked.lines, cobc, errors: shown.diagnostics.filter((d) => d.severity === 'error') });
    }
  }
  if (!request.json) io.stderr(formatSummary(checkedCount, errors, warnings, unreadable));
  if (request.summary) {
    const summary = summariseConformance(conformance);
    if (request.json) io.stdout(JSON.stringify({ summary }) + '\n');
    else io.stderr(formatConformance(summary));
    if (cobcMissing) io.stderr(`cobol-assist: '${request.cobc}' was not found: install GnuCOBOL (Debian: gnucobol3) or name it with --cobc.\n`);
  }
  if (unreadable > 0) return exitCodes.usage;
  return errors > 0 ? exitCodes.errorsFound : exitCodes.ok;
}

/** The folder an input names: itself for a folder, its folder for a file, the literal part of a glob. */
function namedRoot(input: string, cwd: string): string {
  const absolute = resolve(cwd, input);
  const magic = absolute.search(/[*?[{]/);
  if (magic >= 0) return dirname(absolute.slice(0, magic) + 'x');
  return isFolder(absolute) ? absolute : dirname(absolute);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function displayPath(file: string, cwd: string): string {
  const absolute = resolve(cwd, file);
  const prefix = cwd.endsWith('/') ? cwd : cwd + '/';
  return absolute.startsWith(prefix) ? absolute.slice(prefix.length) : absolute;
}
