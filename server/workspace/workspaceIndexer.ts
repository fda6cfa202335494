/**
 * Indexes the COBOL files of the workspace folders in the background (a few
 * files per event-loop turn, so requests are never starved) and keeps the
 * workspace index current as files change on disk. Only compact summaries
 * are kept; texts and tokens are dropped after each file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Analysis, summarise, WorkspaceIndex } from '../cobol';

const cobolExtensions = new Set(['.cbl', '.cob', '.cobol', '.cpy', '.copy', '.pco', '.sqb']);
const skipped = new Set(['node_modules', '.git', '.svn', '.hg', 'dist', 'out', '.tools', '.vscode-test']);
const maxFiles = 50_000;
const maxFileBytes = 20 * 1024 * 1024;

export class WorkspaceIndexer {
  readonly index = new WorkspaceIndex();
  private queue: string[] = [];
  private running = false;
  private indexedLines = 0;

  constructor(
    /** Analyses a file's text (no copybook expansion is needed for summaries). */
    private readonly analyse: (filePath: string, text: string) => Analysis,
    private readonly onProgress: (files: number, lines: number, done: boolean) => void = () => {},
  ) {}

  /** Queues every COBOL file under the folders and starts indexing. */
  indexFolders(folders: readonly string[]): void {
    const files: string[] = [];
    for (const folder of folders) collect(folder, files, 0);
    this.enqueue(files);
  }

  /** A file was created or changed on disk. */
  changed(filePath: string): void {
    if (isCobolFile(filePath)) this.enqueue([filePath]);
  }

  deleted(filePath: string): void {
    this.index.remove(filePath);
  }

  /** Indexes an open document's latest analysis directly. */
  updateFromAnalysis(analysis: Analysis): void {
    if (path.isAbsolute(analysis.id)) this.index.update(summarise(analysis));
  }

  /** Resolves when the queue is empty (for tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  get lines(): number {
    return this.indexedLines;
  }

  private enqueue(files: string[]): void {
    this.queue.push(...files);
    if (!this.running) {
      this.running = true;
      setImmediate(() => this.work());
    }
  }

  private work(): void {
    const deadline = Date.now() + 15;
    while (this.queue.length > 0 && Date.now() < deadline) {
      const file = this.queue.shift()!;
      const text = readSmallFile(file);
      if (text === undefined) {
        this.index.remove(file);
        continue;
      }
      const analysis = this.analyse(file, text);
      this.indexedLines += analysis.lineCount;
      this.index.update(summarise(analysis));
    }
    if (this.queue.length > 0) {
      this.onProgress(this.index.size, this.indexedLines, false);
      setImmediate(() => this.work());
    } else {
      this.running = false;
      this.onProgress(this.index.size, this.indexedLines, true);
    }
  }
}

export function isCobolFile(filePath: string): boolean {
  return cobolExtensions.has(path.extname(filePath).toLowerCase());
}

function collect(folder: string, files: string[], depth: number): void {
  if (depth > 32 || files.length >= maxFiles) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (files.length >= maxFiles) return;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!skipped.has(entry.name)) collect(full, files, depth + 1);
    } else if (entry.isFile() && isCobolFile(entry.name)) files.push(full);
  }
}

function readSmallFile(file: string): string | undefined {
  try {
    if (fs.statSync(file).size > maxFileBytes) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
