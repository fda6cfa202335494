/**
 * The workspace layer: everything the language features, the command line,
 * the completion engine and the agent ask about the user's code, in the
 * front end's own types and free of LSP.
 *
 *   const workspace = new Workspace({ documents, settingsFor });
 *   workspace.setRoots(['/home/me/project']);
 *   workspace.startIndexing();
 *   const analysis = await workspace.analysis('/home/me/project/PAYROLL.cbl');
 *
 * - Documents: `OpenDocuments` keyed by file id (a path, or a URI for unsaved
 *   text); open text wins over the disk, for copybooks too.
 * - Analyses: `analysis(id)` at the document's current version (kept for the
 *   most recently used documents), `latestAnalysis(id)` without re-analysing
 *   (completion while typing), `analyseText` for any text.
 * - Workspace index: compact summaries of every COBOL file under the roots,
 *   built in the background and kept current by `filesChanged` and by the
 *   analyses of open documents (`documentAnalysed`).
 * - Copybooks: `findCopybook`, `copybookFolders`, `dependents`.
 * - Settings: asked per file through `settingsFor`, never kept here.
 *
 * Nothing here throws for a missing or unreadable file: it answers undefined.
 */
import * as path from 'node:path';
import { type Analysis, nodeFileSystem, type WorkspaceIndex } from '../cobol';
import { defaultSettings, type Settings } from '../settings';
import { AnalysisStore } from './analysisStore';
import type { OpenDocuments } from './openDocuments';
import { WorkspaceIndexer } from './workspaceIndexer';

export interface WorkspaceOptions {
  documents: OpenDocuments;
  /** The settings for a file (the language server asks the client per resource). */
  settingsFor: (id: string) => Promise<Settings>;
  /** An open document's summary is refreshed this long after its last analysis (default 1 s). */
  summaryDelayMs?: number;
}

export interface FileChange {
  id: string;
  deleted: boolean;
}

export class Workspace {
  readonly documents: OpenDocuments;
  private readonly store: AnalysisStore;
  private readonly indexer: WorkspaceIndexer;
  private indexSettings: Settings = defaultSettings;
  private readonly summaryTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: WorkspaceOptions) {
    this.documents = options.documents;
    this.store = new AnalysisStore(options.documents);
    // Summaries need no copybook expansion, so the indexer reads each file alone.
    this.indexer = new WorkspaceIndexer((filePath, text) =>
      this.store.analyse(filePath, text, { ...this.indexSettings, copybookPaths: [] }, false),
    );
  }

  setRoots(roots: readonly string[]): void {
    this.store.setWorkspaceRoots(roots.filter((root) => path.isAbsolute(root)));
  }

  get roots(): readonly string[] {
    return this.store.roots;
  }

  get index(): WorkspaceIndex {
    return this.indexer.index;
  }

  settingsFor(id: string): Promise<Settings> {
    return this.options.settingsFor(id);
  }

  /** Indexes every COBOL file under the roots, in the background. */
  async startIndexing(): Promise<void> {
    this.indexSettings = await this.options.settingsFor(this.roots[0] ?? '');
    this.indexer.indexFolders(this.roots);
  }

  /** Resolves once the background index has caught up (tests, benchmarks). */
  indexIdle(): Promise<void> {
    return this.indexer.idle();
  }

  /** The analysis of an open document at its current version; undefined when it is not open. */
  async analysis(id: string): Promise<Analysis | undefined> {
    return this.store.get(id, await this.options.settingsFor(id));
  }

  /** The same, with settings the caller already holds (no await between version check and analysis). */
  analysisWith(id: string, settings: Settings): Analysis | undefined {
    return this.store.get(id, settings);
  }

  /** The last analysis made of an open document, even if it changed since; never analyses. */
  latestAnalysis(id: string): Analysis | undefined {
    return this.store.latest(id);
  }

  /** Analyses any text as the file `id` (copybooks expanded unless told otherwise). */
  analyseText(id: string, text: string, settings: Settings, expandCopybooks = true): Analysis {
    return this.store.analyse(id, text, settings, expandCopybooks);
  }

  /** A file's text: the open document's, else the disk's; undefined when unreadable. */
  text(id: string): string | undefined {
    return this.documents.get(id)?.getText() ?? nodeFileSystem.readFile(id);
  }

  /** The analysis of any program, open or not (references and renames across programs). */
  analyseFile(id: string, settings: Settings): Analysis | undefined {
    const text = this.text(id);
    return text === undefined ? undefined : this.store.analyse(id, text, settings);
  }

  /** The copybook `COPY name` in file `fromId` would include, with its text. */
  findCopybook(name: string, fromId: string, settings: Settings): { file: string; text: string } | undefined {
    return this.store.findCopybook(name, fromId, settings);
  }

  /** Folders copybooks are searched in for this file: its own, then the configured ones. */
  copybookFolders(id: string, settings: Settings): string[] {
    return this.store.copybookFolders(id, settings);
  }

  /** Open documents whose last analysis read the file `id` (a copybook): they must be analysed again when it changes. */
  dependents(id: string): string[] {
    return this.store.dependents(id);
  }

  /** An open document was analysed: its index summary follows a little later, off the edit path. */
  documentAnalysed(id: string): void {
    clearTimeout(this.summaryTimers.get(id));
    this.summaryTimers.set(id, setTimeout(() => {
      this.summaryTimers.delete(id);
      const latest = this.store.latest(id);
      if (latest) this.indexer.updateFromAnalysis(latest);
    }, this.options.summaryDelayMs ?? 1000));
  }

  /** Files changed on disk: the index follows; returns the open documents that must be analysed again. */
  filesChanged(changes: readonly FileChange[]): string[] {
    this.store.diskChanged();
    const affected = new Set<string>();
    const open = this.documents.ids();
    for (const change of changes) {
      if (change.deleted) this.indexer.deleted(change.id);
      else this.indexer.changed(change.id);
      // Any open program may copy what changed (or now finds a copybook it missed).
      for (const id of open) if (id !== change.id) affected.add(id);
    }
    return [...affected];
  }

  /** A document was closed: its analysis goes; its summary stays in the index. */
  closed(id: string): void {
    clearTimeout(this.summaryTimers.get(id));
    this.summaryTimers.delete(id);
    this.store.forget(id);
  }

  dispose(): void {
    for (const timer of this.summaryTimers.values()) clearTimeout(timer);
    this.summaryTimers.clear();
  }
}
