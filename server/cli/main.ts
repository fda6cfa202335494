/**
 * Entry point of the `cobol-assist` command (bundled to dist/cli.js, the
 * package's `bin`). Mainframe teams run `cobol-assist check` in pipelines;
 * the benchmarks use it too.
 */
import { resolve } from 'node:path';
import { helpText, parseArgs } from './args';
import { exitCodes, runCheck } from './check';
import { completeHelp, runComplete } from './complete';

declare const COBOL_ASSIST_VERSION: string;

function main(argv: readonly string[]): number | Promise<number> {
  const request = parseArgs(argv);
  const stdout = (text: string) => process.stdout.write(text);
  const stderr = (text: string) => process.stderr.write(text);
  switch (request.kind) {
    case 'help':
      stdout(request.command === 'complete' ? completeHelp : helpText);
      return exitCodes.ok;
    case 'version':
      stdout(`cobol-assist ${typeof COBOL_ASSIST_VERSION === 'string' ? COBOL_ASSIST_VERSION : 'dev'}\n`);
      return exitCodes.ok;
    case 'usage-error':
      stderr(`cobol-assist: ${request.message}\nRun 'cobol-assist --help' for usage.\n`);
      return exitCodes.usage;
    case 'check':
      return runCheck(request, { cwd: process.cwd(), stdout, stderr });
    case 'complete':
      // dist/cli.js: the package root (bundled models) is one folder up.
      return runComplete(request, { cwd: process.cwd(), stdout, stderr }, resolve(__dirname, '..'));
  }
}

const internalError = (error: unknown) => {
  // A bug must still end with a message and a failing status, not a stack-less crash.
  process.stderr.write(`cobol-assist: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 3;
};
try {
  const result = main(process.argv.slice(2));
  if (typeof result === 'number') process.exitCode = result;
  else result.then((code) => (process.exitCode = code), internalError);
} catch (error) {
  internalError(error);
}
