/**
 * GnuCOBOL for verification, always in a shadow copy: the workspace's COBOL
 * files are copied to a temporary folder, a proposed change is applied there,
 * and `cobc` compiles (`-fsyntax-only`) or builds and runs a sample program
 * in that folder. The workspace itself is never written. Every process gets
 * the task's abort signal, so Stop kills a compile or a run at once.
 *
 * Samples are declared by the workspace in `.cobol-assist/samples.json`
 * (program, programs to link, input files, output files to compare); running
 * one is an `execute` tool, so it happens only inside an approved plan.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkGated, isRefusal } from '../cobol';
import { parseCobcOutput } from '../lsp/cobcCheck';
import type { AgentWorkspace } from './agentWorkspace';
import { applyEdits, type ProposedChange } from './proposedChange';
import { PathRefused } from './workspaceFiles';

export interface Sample {
  name: string;
  program: string;
  link: string[];
  /** File name the program opens → workspace file holding its content. */
  inputs: Record<string, string>;
  outputs: string[];
  stdin?: string;
}

export interface CompileResult {
  program: string;
  ok: boolean;
  errors: string[];
}

export interface RunResult {
  sample: string;
  exitCode: number | null;
  stdout: string;
  outputs: Record<string, string>;
  error?: string;
}

export class Shadow {
  constructor(
    readonly folder: string,
    private readonly workspace: AgentWorkspace,
  ) {}

  /** Absolute path in the shadow of a workspace-relative path. */
  path(relative: string): string {
    return path.join(this.folder, ...relative.split('/'));
  }

  dispose(): void {
    fs.rmSync(this.folder, { recursive: true, force: true });
  }

  async compile(program: string, signal: AbortSignal): Promise<CompileResult> {
    const file = this.path(program);
    const includes = this.workspace.copybookFolders().map((folder) => this.path(this.workspace.relativeOf(folder)));
    const free = isFree(fs.readFileSync(file, 'utf8'), this.workspace.settings.sourceFormat);
    const args = ['-fsyntax-only', ...(free ? ['-free'] : []), ...includes.flatMap((folder) => ['-I', folder]), file];
    const result = await run(this.workspace.settings.cobcPath, args, path.dirname(file), signal, 60_000);
    if (result.spawnError) return { program, ok: false, errors: [result.spawnError] };
    const messages = parseCobcOutput(`${result.stdout}\n${result.stderr}`, path.dirname(file)).filter((message) => message.severity === 'error');
    const errors = messages.map((message) => `${path.relative(this.folder, message.file)}:${message.line + 1}: ${message.message}`);
    if (result.code !== 0 && errors.length === 0) errors.push((result.stderr || result.stdout || `cobc exited with ${result.code}`).trim().slice(0, 500));
    return { program, ok: result.code === 0 && errors.length === 0, errors };
  }

  async runSample(sample: Sample, signal: AbortSignal): Promise<RunResult> {
    const runFolder = fs.mkdtempSync(path.join(this.folder, '.run-'));
    const includes = this.workspace.copybookFolders().map((folder) => this.path(this.workspace.relativeOf(folder)));
    const sources = [sample.program, ...sample.link].map((file) => this.path(file));
    const free = isFree(fs.readFileSync(sources[0], 'utf8'), this.workspace.settings.sourceFormat);
    const executable = path.join(runFolder, 'program');
    const build = await run(this.workspace.settings.cobcPath, ['-x', ...(free ? ['-free'] : []), ...includes.flatMap((folder) => ['-I', folder]), '-o', executable, ...sources], runFolder, signal, 120_000);
    if (build.spawnError || build.code !== 0) return { sample: sample.name, exitCode: null, stdout: '', outputs: {}, error: build.spawnError ?? `build failed: ${build.stderr.trim().slice(0, 500)}` };
    for (const [name, source] of Object.entries(sample.inputs)) fs.copyFileSync(this.path(source), path.join(runFolder, safeName(name)));
    const result = await run(executable, [], runFolder, signal, 30_000, sample.stdin);
    const outputs: Record<string, string> = {};
    for (const name of sample.outputs) {
      const file = path.join(runFolder, safeName(name));
      outputs[name] = fs.existsSync(file) ? fs.readFileSync(file, 'latin1') : '<missing>';
    }
    return { sample: sample.name, exitCode: result.code, stdout: result.stdout, outputs, ...(result.spawnError ? { error: result.spawnError } : {}) };
  }
}

/** Largest sample input file copied into a shadow. */
const maxSampleInputBytes = 64 * 1024 * 1024;

/** Copies the workspace's COBOL files and the samples' inputs into a temporary folder, with `change` applied. */
export function makeShadow(workspace: AgentWorkspace, change: ProposedChange | undefined, samples: readonly Sample[] = []): Shadow {
  // Sample inputs are copied byte for byte: each must pass the file-access gate first (a FIFO or a device named
  // in samples.json would block the copy, and with it the server).
  const inputs = samples.flatMap((sample) => Object.values(sample.inputs)).map((input) => {
    const file = workspace.files.resolve(input);
    const checked = checkGated(file.absolute, { roots: workspace.files.roots, maxBytes: maxSampleInputBytes });
    if (isRefusal(checked)) throw new PathRefused(`Sample input '${file.relative}' ${checked.reason}`);
    return file;
  });
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cobol-assist-shadow-'));
  const shadow = new Shadow(folder, workspace);
  const edited = new Map(change?.files.map((file) => [file.absolute, file]) ?? []);
  const copy = (relative: string, absolute: string) => {
    const target = shadow.path(relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const text = workspace.textOfAbsolute(absolute) ?? '';
    const edit = edited.get(absolute);
    fs.writeFileSync(target, edit ? applyEdits(text, edit.edits) : text);
  };
  for (const file of workspace.files.cobolFiles()) copy(file.relative, file.absolute);
  for (const file of inputs) {
    const target = shadow.path(file.relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file.absolute, target);
  }
  return shadow;
}

/** The workspace's declared samples (validated; paths confined); none when the file is absent. */
export function readSamples(workspace: AgentWorkspace): Sample[] {
  let text: string;
  try {
    text = workspace.files.read('.cobol-assist/samples.json');
  } catch {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PathRefused(`.cobol-assist/samples.json is not JSON: ${(error as Error).message}`);
  }
  const list = (parsed as { samples?: unknown }).samples;
  if (!Array.isArray(list)) return [];
  return list.map((entry, i) => {
    const sample = entry as Partial<Sample>;
    if (typeof sample.name !== 'string' || typeof sample.program !== 'string') throw new PathRefused(`Sample ${i + 1} in .cobol-assist/samples.json needs a name and a program.`);
    const link = Array.isArray(sample.link) ? sample.link.filter((item): item is string => typeof item === 'string') : [];
    const inputs = typeof sample.inputs === 'object' && sample.inputs ? (sample.inputs as Record<string, string>) : {};
    for (const file of [sample.program, ...link, ...Object.values(inputs)]) workspace.files.resolve(String(file)); // confinement
    for (const name of Object.keys(inputs)) safeName(name);
    const outputs = Array.isArray(sample.outputs) ? sample.outputs.filter((item): item is string => typeof item === 'string').map(safeName) : [];
    return { name: sample.name, program: workspace.files.resolve(sample.program).relative, link: link.map((file) => workspace.files.resolve(file).relative), inputs, outputs, ...(typeof sample.stdin === 'string' ? { stdin: sample.stdin } : {}) };
  });
}

function safeName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new PathRefused(`'${name}' is not a plain file name for a sample's input or output.`);
  return name;
}

function isFree(text: string, format: 'auto' | 'fixed' | 'free'): boolean {
  if (format !== 'auto') return format === 'free';
  return /^\s*>>\s*SOURCE\s+FORMAT\s+(IS\s+)?FREE/im.test(text);
}

interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
  spawnError?: string;
}

function run(command: string, args: string[], cwd: string, signal: AbortSignal, timeoutMs: number, stdin?: string): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 1024 * 1024, signal, killSignal: 'SIGKILL', encoding: 'latin1' }, (error, stdout, stderr) => {
      const failure = error as (NodeJS.ErrnoException & { killed?: boolean; code?: unknown }) | null;
      if (failure?.code === 'ENOENT') return resolve({ code: null, stdout: '', stderr: '', spawnError: `'${command}' was not found: install GnuCOBOL or set cobolAssist.cobc.path.` });
      if (failure?.name === 'AbortError') return resolve({ code: null, stdout, stderr, spawnError: 'stopped' });
      if (failure?.killed) return resolve({ code: null, stdout, stderr, spawnError: `took longer than ${timeoutMs / 1000} s and was stopped` });
      resolve({ code: typeof failure?.code === 'number' ? failure.code : failure ? 1 : 0, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}
