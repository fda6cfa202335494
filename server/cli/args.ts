/**
 * Parses the `cobol-assist` command line into a request, or into a usage
 * error with a message that says what was wrong and what to type instead.
 * Pure: no file system, no process; the caller decides what to print.
 */
import type { SourceFormatSetting } from '../settings';
import { type CompleteRequest, parseCompleteArgs } from './complete';

export interface CheckRequest {
  kind: 'check';
  /** Files, folders or globs, as typed. */
  inputs: string[];
  /** Copybook folders, as typed (relative to the current folder unless absolute). */
  copybookPaths: string[];
  format: SourceFormatSetting;
  json: boolean;
}

export type CliRequest =
  | CheckRequest
  | CompleteRequest
  | { kind: 'help'; command?: 'complete' }
  | { kind: 'version' }
  | { kind: 'usage-error'; message: string };

export const helpText = `Usage: cobol-assist check [options] <file|folder|glob>...
       cobol-assist complete FILE --line N --column N [options]   (see complete --help)

Analyses COBOL programs with the same front end and settings as the
COBOL Assist language server and prints their diagnostics.

Inputs:
  file      any file, checked whatever its extension
  folder    every program below it (.cbl .cob .cobol, any case)
  glob      quoted pattern with * ? ** {a,b}, e.g. 'src/**/*.cbl'

Options:
  -I, --copybook-path DIR  folder searched for copybooks; repeatable or
                           comma-separated (the program's folder is always searched)
  --format fixed|free|auto source format (default: auto, detected per file)
  --json                   one JSON object per file and line:
                           {"file","lines","diagnostics":[{"file","range","severity","code","message"}]}
  -h, --help               show this help
  --version                show the version

Exit status: 0 no errors, 1 errors found, 2 usage error or an input that
could not be read (the other inputs are still checked), 3 internal error.
`;

const formats: readonly SourceFormatSetting[] = ['fixed', 'free', 'auto'];

export function parseArgs(argv: readonly string[]): CliRequest {
  if (argv.length === 0) return usageError('missing command: try `cobol-assist check <files>`.');
  const [command, ...rest] = argv;
  if (command === '-h' || command === '--help' || command === 'help') return { kind: 'help' };
  if (command === '--version' || command === '-v') return { kind: 'version' };
  if (command === 'complete') {
    if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', command: 'complete' };
    const parsed = parseCompleteArgs(rest);
    return typeof parsed === 'string' ? usageError(parsed) : parsed;
  }
  if (command !== 'check') return usageError(`unknown command '${command}': the commands are \`check\` and \`complete\`.`);

  const request: CheckRequest = { kind: 'check', inputs: [], copybookPaths: [], format: 'auto', json: false };
  for (let i = 0; i < rest.length; i++) {
    const argument = rest[i];
    if (argument === '--') {
      request.inputs.push(...rest.slice(i + 1));
      break;
    }
    if (!argument.startsWith('-') || argument === '-') {
      request.inputs.push(argument);
      continue;
    }
    const equals = argument.indexOf('=');
    const name = argument.startsWith('--') && equals > 0 ? argument.slice(0, equals) : argument;
    const inlineValue = argument.startsWith('--') && equals > 0 ? argument.slice(equals + 1) : undefined;
    // Options that take a value accept `--name value` and `--name=value`.
    const takeValue = (): string | undefined => {
      if (inlineValue !== undefined) return inlineValue;
      const next = rest[i + 1];
      if (next === undefined || (next.startsWith('-') && next !== '-')) return undefined;
      i++;
      return next;
    };
    switch (name) {
      case '-h':
      case '--help':
        return { kind: 'help' };
      case '--json':
        if (inlineValue !== undefined) return usageError('--json takes no value.');
        request.json = true;
        break;
      case '-I':
      case '--copybook-path': {
        const value = takeValue();
        if (value === undefined) return usageError(`${name} needs a folder, e.g. ${name} copybooks`);
        const folders = value.split(',').map((folder) => folder.trim()).filter((folder) => folder !== '');
        if (folders.length === 0) return usageError(`${name} needs a folder, got '${value}'.`);
        request.copybookPaths.push(...folders);
        break;
      }
      case '--format': {
        const value = takeValue();
        if (value === undefined || !formats.includes(value as SourceFormatSetting)) {
          return usageError(`--format must be one of fixed, free, auto${value === undefined ? '' : `, not '${value}'`}.`);
        }
        request.format = value as SourceFormatSetting;
        break;
      }
      default:
        return usageError(`unknown option '${argument}'.`);
    }
  }
  if (request.inputs.length === 0) return usageError('no input: name files, folders or globs to check.');
  return request;
}

function usageError(message: string): CliRequest {
  return { kind: 'usage-error', message };
}
