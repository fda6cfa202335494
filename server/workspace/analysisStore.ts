/**
 * Keeps the latest front-end analyses of the most recently used open
 * documents and makes new ones on demand. Full analyses (tokens, trees) are
 * kept for a few documents only, so a user with hundreds of tabs does not
 * hold hundreds of syntax trees; each kept document also keeps its line
 * cache, so an edit re-reads only the changed lines. Copybooks are read from
 * open documents first (unsaved edits count), then from disk, through a
 * resolver per workspace folder and copybook-path setting. Settings are
 * passed in, never kept globally.
 */
import * as path from 'node:path';
import { type Analysis, type AnalysisCache, analyseProgram, type CopybookFileSystem, createAnalysisCache, FileSystemCopybookResolver, nodeFileSystem } from '../cobol';
import type { Settings } from '../settings';
import type { OpenDocuments } from './openDocuments';

interface Entry {
  version: number;
  settingsKey: string;
  analysis: Analysis;
  cache: AnalysisCache;
}

/** How many documents keep their full analysis; the others are analysed again when asked. */
const keptAnalyses = 8;

export class AnalysisStore {
  /** In least-recently-used order. */
  private readonly entries = new Map<string, Entry>();
  /** Copybook ids each open document read, kept after its analysis is dropped. */
  private readonly includes = new Map<string, string[]>();
  private readonly resolvers = new Map<string, FileSystemCopybookResolver>();
  private workspaceRoots: string[] = [];
  private readonly fileSystem: CopybookFileSystem;

  constructor(private readonly documents: OpenDocuments) {
    this.fileSystem = {
      readFile: (filePath) => {
        const open = this.documents.get(filePath);
        return open ? open.getText() : nodeFileSystem.readFile(filePath);
      },
      readDirectory: (folder) => nodeFileSystem.readDirectory(folder),
    };
  }

  setWorkspaceRoots(roots: string[]): void {
    this.workspaceRoots = roots;
    this.resolvers.clear();
  }

  get roots(): readonly string[] {
    return this.workspaceRoots;
  }

  /** The copybook named `name` as COPY in the file `fromId` would find it. */
  findCopybook(name: string, fromId: string, settings: Settings): { file: string; text: string } | undefined {
    return this.resolverFor(fromId, settings).resolve({ name, library: undefined, fromFile: fromId, programFile: fromId });
  }

  /** The analysis of an open document at its current version. */
  get(id: string, settings: Settings): Analysis | undefined {
    const document = this.documents.get(id);
    if (!document) return undefined;
    const settingsKey = keyOf(settings);
    const entry = this.entries.get(id);
    this.entries.delete(id);
    if (entry && entry.version === document.version && entry.settingsKey === settingsKey) {
      this.entries.set(id, entry);
      return entry.analysis;
    }
    const cache = entry?.cache ?? createAnalysisCache();
    const analysis = this.analyse(id, document.getText(), settings, true, cache);
    this.entries.set(id, { version: document.version, settingsKey, analysis, cache });
    this.includes.set(id, [...new Set(analysis.files.slice(1).map((file) => file.id))]);
    for (const old of this.entries.keys()) {
      if (this.entries.size <= keptAnalyses) break;
      this.entries.delete(old);
    }
    return analysis;
  }

  /** The last analysis made, even if the document changed since (for completion while typing). */
  latest(id: string): Analysis | undefined {
    return this.entries.get(id)?.analysis;
  }

  /** Analyses any text as if it were the file `id`; the workspace indexer skips copybook expansion. */
  analyse(id: string, text: string, settings: Settings, expandCopybooks = true, cache?: AnalysisCache): Analysis {
    return analyseProgram({
      id,
      text,
      settings: { sourceFormat: settings.sourceFormat, checkSequenceArea: settings.checkSequenceArea },
      resolver: expandCopybooks ? this.resolverFor(id, settings) : undefined,
      cache,
    });
  }

  forget(id: string): void {
    this.entries.delete(id);
    this.includes.delete(id);
  }

  /** Open documents whose last analysis read the file with this id (a copybook). */
  dependents(id: string): string[] {
    const result: string[] = [];
    for (const [documentId, ids] of this.includes) if (ids.includes(id)) result.push(documentId);
    return result;
  }

  /** Files were created, deleted or changed on disk: forget folder listings and analyses. */
  diskChanged(): void {
    for (const resolver of this.resolvers.values()) resolver.invalidate();
    // Keep the line caches: only the analyses are out of date.
    for (const entry of this.entries.values()) entry.version = -1;
  }

  /** Folders copybooks are searched in for this document: its own, then the configured ones. */
  copybookFolders(id: string, settings: Settings): string[] {
    const own = path.isAbsolute(id) ? [path.dirname(id)] : [];
    return [...new Set([...own, ...this.resolverFor(id, settings).configuredSearchFolders()])];
  }

  private resolverFor(id: string, settings: Settings): FileSystemCopybookResolver {
    const root = this.workspaceRoots.find((folder) => id.startsWith(folder + path.sep)) ?? this.workspaceRoots[0];
    const key = `${root ?? ''}\u0000${settings.copybookPaths.join('\u0000')}`;
    let resolver = this.resolvers.get(key);
    if (!resolver) {
      resolver = new FileSystemCopybookResolver(this.fileSystem, { workspaceRoot: root, searchPaths: settings.copybookPaths });
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }
}

function keyOf(settings: Settings): string {
  return `${settings.sourceFormat}|${settings.checkSequenceArea}|${settings.copybookPaths.join(',')}`;
}
