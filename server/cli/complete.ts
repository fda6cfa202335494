/**
 * `cobol-assist complete FILE --line N --column N [--copybook-path DIR]…
 * [--no-context] [--no-names] [--format F] [--model-path GGUF]` (1-based line
 * and column): prints as JSON what the editor would show there — `text`,
 * `model`, `latencyMs`, `stages` — through the same workspace layer,
 * completion engine, settings and model as the language server (a manual
 * request: the "long text right of the cursor" rule does not apply).
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CompletionEngine } from '../completion';
import { ModelHost } from '../model/modelHost';
import { defaultModelSettings } from '../model/modelSettings';
import { defaultSettings, type SourceFormatSetting } from '../settings';
import { MemoryDocuments, Workspace } from '../workspace';
import type { CliIo } from './check';

export interface CompleteRequest {
  kind: 'complete';
  file: string;
  line: number;
  column: number;
  copybookPaths: string[];
  format: SourceFormatSetting;
  context: boolean;
  names: boolean;
  modelPath: string;
}

export const completeHelp = `Usage: cobol-assist complete FILE --line N --column N [options]

Prints, as one JSON object, the inline suggestion COBOL Assist would show
at that place (1-based line and column): {"text","model","latencyMs","stages",...}.
Runs the bundled model (or --model-path) on this machine.

Options:
  -I, --copybook-path DIR  folder searched for copybooks (repeatable)
  --no-context             without the COBOL-aware context (declarations)
  --no-names               without name-aware decoding
  --format fixed|free|auto source format (default: auto)
  --model-path FILE        a GGUF model instead of the bundled cobol-slm-small
`;

/** Parses the arguments after `complete`; a string is a usage error. */
export function parseCompleteArgs(argv: readonly string[]): CompleteRequest | string {
  const request: CompleteRequest = { kind: 'complete', file: '', line: 0, column: 0, copybookPaths: [], format: 'auto', context: true, names: true, modelPath: '' };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    const value = () => argv[++i];
    switch (argument) {
      case '--line':
      case '--column': {
        const number = Number(value());
        if (!Number.isInteger(number) || number < 1) return `${argument} needs a positive whole number (1-based).`;
        request[argument === '--line' ? 'line' : 'column'] = number;
        break;
      }
      case '-I':
      case '--copybook-path': {
        const folder = value();
        if (!folder) return `${argument} needs a folder.`;
        request.copybookPaths.push(...folder.split(',').filter(Boolean));
        break;
      }
      case '--no-context':
        request.context = false;
        break;
      case '--no-names':
        request.names = false;
        break;
      case '--format': {
        const format = value();
        if (format !== 'fixed' && format !== 'free' && format !== 'auto') return '--format must be one of fixed, free, auto.';
        request.format = format;
        break;
      }
      case '--model-path': {
        const path = value();
        if (!path) return '--model-path needs a GGUF file.';
        request.modelPath = path;
        break;
      }
      default:
        if (argument.startsWith('-')) return `unknown option '${argument}'.`;
        if (request.file) return `one file only (got '${request.file}' and '${argument}').`;
        request.file = argument;
    }
  }
  if (!request.file) return 'no file: cobol-assist complete FILE --line N --column N';
  if (!request.line || !request.column) return '--line and --column are required (1-based).';
  return request;
}

export async function runComplete(request: CompleteRequest, io: CliIo, extensionRoot: string): Promise<number> {
  const file = resolve(io.cwd, request.file);
  let text: string;
  try {
    if (statSync(file).size > 256 * 1024 * 1024) throw new Error('larger than 256 MB');
    text = readFileSync(file, 'utf8');
  } catch (error) {
    io.stderr(`cobol-assist: ${request.file}: cannot read (${error instanceof Error ? error.message : String(error)})\n`);
    return 2;
  }
  const lines = text.split('\n');
  const lineText = (lines[request.line - 1] ?? '').replace(/\r$/, '');
  if (request.line > lines.length || request.column - 1 > lineText.length) {
    io.stderr(`cobol-assist: ${request.file}: line ${request.line} column ${request.column} is outside the file (${lines.length} lines; that line has ${lineText.length} characters).\n`);
    return 2;
  }
  const settings = { ...defaultSettings, sourceFormat: request.format, copybookPaths: request.copybookPaths.map((folder) => resolve(io.cwd, folder)) };
  const documents = new MemoryDocuments();
  documents.set(file, text);
  const workspace = new Workspace({ documents, settingsFor: async () => settings });
  workspace.setRoots([io.cwd]);
  await workspace.analysis(file);
  const warnings: string[] = [];
  const host = new ModelHost({ extensionRoot, log: (level, message) => level !== 'info' && warnings.push(message), onStatus: () => {} });
  try {
    await host.configure({ ...defaultModelSettings, ...(request.modelPath ? { path: resolve(io.cwd, request.modelPath) } : {}) });
    if (host.status.state !== 'ready') {
      io.stderr(`cobol-assist: no model: ${host.status.message ?? host.status.state}\n`);
      return 2;
    }
    const engine = new CompletionEngine({ workspace, model: host });
    const offset = lines.slice(0, request.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + request.column - 1;
    const outcome = await engine.complete({
      id: file,
      text,
      offset,
      line: request.line - 1,
      character: request.column - 1,
      trigger: 'manual',
      features: { context: request.context, names: request.names, debounce: false, cache: false },
    });
    io.stdout(`${JSON.stringify({
      text: outcome.text,
      model: outcome.model,
      latencyMs: outcome.latencyMs,
      stages: outcome.stages,
      source: outcome.source,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      ...(outcome.verdict ? { verdict: outcome.verdict } : {}),
      contextItems: outcome.contextItems,
      loadMs: host.status.loadMs,
    })}\n`);
    return 0;
  } finally {
    await host.dispose();
  }
}
