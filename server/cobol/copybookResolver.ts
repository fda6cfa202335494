/**
 * Finds copybooks: COPY name [OF|IN library] → file id and text.
 *
 * Search order: the including file's folder, the program's folder, then the
 * configured search paths (globs, relative to the workspace root). In each
 * folder the name is tried as written and with the extensions `.cpy .cbl .cob
 * .copy`, matching file names case-insensitively; a library is a subfolder of
 * each search folder, and where no such subfolder holds it, the name alone is
 * searched (a library is often a mainframe data set name). File access goes through `CopybookFileSystem`, so the
 * command line uses the disk and the language server its open documents
 * first.
 */
import * as path from 'node:path';
import { type AccessPolicy, defaultMaxFileBytes, type FileRefusal, isNetworkPath, isRefusal, isUnderRoots, realFolder } from './fileGate';

export interface DirectoryEntry {
  name: string;
  isDirectory: boolean;
}

/** What the resolver needs from a file system. Neither method may throw. */
export interface CopybookFileSystem {
  /**
   * The file's text; a refusal when it exists but may not or cannot be read
   * (outside `policy.roots`, not a regular file, too large, unreadable);
   * undefined when there is no such file.
   */
  readFile(filePath: string, policy?: AccessPolicy): string | FileRefusal | undefined;
  /** A folder's entries, or undefined when it is not a readable folder. */
  readDirectory(folderPath: string): readonly DirectoryEntry[] | undefined;
}

export interface CopybookRequest {
  /** The copybook name as written, quotes removed. */
  name: string;
  library: string | undefined;
  /** Id (file path) of the file containing the COPY statement. */
  fromFile: string;
  /** Id (file path) of the program being analysed. */
  programFile: string;
  /** Largest copybook to read, in bytes (what is left of the analysis's budget). */
  maxBytes?: number;
}

/** A copybook found and read, or found and refused (the refusal says why; its text is never read). */
export type ResolvedCopybook =
  | { /** The copybook's id: its file path. */ file: string; text: string }
  | { file: string; refused: FileRefusal };

export interface CopybookResolver {
  resolve(request: CopybookRequest): ResolvedCopybook | undefined;
}

export const copybookExtensions: readonly string[] = ['', '.cpy', '.cbl', '.cob', '.copy'];

export interface FileSystemResolverOptions {
  /** Folder the search paths are relative to; without one, relative paths are skipped. */
  workspaceRoot: string | undefined;
  /** Folders or globs (`*`, `?`, `**`). */
  searchPaths: readonly string[];
  /**
   * Folders copybooks may be read from besides the configured search folders
   * and the program's own folder (the workspace folders); default: the
   * workspace root. A copybook whose real path lies elsewhere is refused.
   */
  accessRoots?: readonly string[];
}

const maxGlobResults = 2000;
/** Folders a `**` glob may visit at most, so a huge tree cannot stall an analysis. */
const maxGlobVisits = 20_000;
const skippedFolders = new Set(['node_modules', '.git', '.svn', '.hg']);

export class FileSystemCopybookResolver implements CopybookResolver {
  private readonly listings = new Map<string, Map<string, DirectoryEntry> | null>();
  private searchFolders: string[] | undefined;

  constructor(
    private readonly fileSystem: CopybookFileSystem,
    private readonly options: FileSystemResolverOptions,
  ) {}

  /** Forgets cached folder listings, after files were created or deleted. */
  invalidate(): void {
    this.listings.clear();
    this.searchFolders = undefined;
  }

  resolve(request: CopybookRequest): ResolvedCopybook | undefined {
    const folders = new Set<string>();
    if (path.isAbsolute(request.fromFile)) folders.add(path.dirname(request.fromFile));
    if (path.isAbsolute(request.programFile)) folders.add(path.dirname(request.programFile));
    for (const folder of this.configuredFolders()) folders.add(folder);
    if (isNetworkPath(request.name) || (request.library !== undefined && isNetworkPath(request.library))) {
      return { file: request.name, refused: { problem: 'network', reason: 'is a network path; COBOL Assist reads only local files.', message: `'${request.name}' is a network path; COBOL Assist reads only local files.` } };
    }
    const name = request.name.replace(/\\/g, '/');
    const policy = this.policyFor(request);
    let refused: ResolvedCopybook | undefined;
    for (const folder of folders) {
      const base = request.library ? this.findEntry(folder, request.library, true) : folder;
      if (!base) continue;
      const found = this.findFile(base, name);
      if (found) {
        const text = this.fileSystem.readFile(found, policy);
        if (typeof text === 'string') return { file: found, text };
        if (isRefusal(text)) refused ??= { file: found, refused: text };
      }
    }
    if (refused) return refused;
    // A library that is no folder here (a mainframe PDS name): found by its name alone, as cobc does.
    if (request.library) return this.resolve({ ...request, library: undefined });
    return undefined;
  }

  /** Where a copybook of this request may be read from, and how large it may be. */
  private policyFor(request: CopybookRequest): AccessPolicy {
    const roots = [...(this.options.accessRoots ?? (this.options.workspaceRoot ? [this.options.workspaceRoot] : []))];
    if (path.isAbsolute(request.programFile)) roots.push(path.dirname(request.programFile));
    roots.push(...this.configuredFolders());
    return { roots, maxBytes: request.maxBytes ?? defaultMaxFileBytes };
  }

  /** The configured search folders, globs expanded (for tools such as cobc that take -I folders). */
  configuredSearchFolders(): readonly string[] {
    return this.configuredFolders();
  }

  /** The configured search paths, globs expanded, computed once per invalidation. */
  private configuredFolders(): string[] {
    if (this.searchFolders) return this.searchFolders;
    const result: string[] = [];
    for (const pattern of this.options.searchPaths) {
      const absolute = path.isAbsolute(pattern)
        ? pattern
        : this.options.workspaceRoot
          ? path.join(this.options.workspaceRoot, pattern)
          : undefined;
      if (!absolute) continue;
      if (!/[*?]/.test(absolute)) result.push(path.normalize(absolute));
      else this.expandGlob(absolute, result);
    }
    this.searchFolders = result;
    return result;
  }

  private expandGlob(pattern: string, result: string[]): void {
    const parsed = path.parse(path.normalize(pattern));
    const segments = pattern.slice(parsed.root.length).split(/[\\/]+/).filter((s) => s.length > 0);
    // A `**` walk enters each real folder once: symbolic links that loop back are not followed again.
    const walked = new Set<string>();
    let visits = 0;
    // A folder the glob reaches through a symbolic link out of its literal base is not searched.
    const firstMagic = segments.findIndex((segment) => /[*?]/.test(segment));
    const literalBase = path.join(parsed.root || '.', ...segments.slice(0, firstMagic));
    const realBase = realFolder(literalBase);
    const visit = (folder: string, index: number, depth: number) => {
      if (result.length >= maxGlobResults || depth > 24 || ++visits > maxGlobVisits) return;
      if (index === segments.length) {
        const real = realBase ? realFolder(folder) : undefined;
        if (!real || isUnderRoots(real, [realBase!])) result.push(folder);
        return;
      }
      const segment = segments[index];
      if (segment === '**') {
        const real = realFolder(folder) ?? folder;
        const key = `${real}\u0000${index}`;
        if (walked.has(key)) return;
        walked.add(key);
        visit(folder, index + 1, depth);
        for (const entry of this.entries(folder)) {
          if (entry.isDirectory && !skippedFolders.has(entry.name)) visit(path.join(folder, entry.name), index, depth + 1);
        }
        return;
      }
      if (!/[*?]/.test(segment)) {
        visit(path.join(folder, segment), index + 1, depth + 1);
        return;
      }
      const matcher = globSegment(segment);
      for (const entry of this.entries(folder)) {
        if (entry.isDirectory && matcher.test(entry.name)) visit(path.join(folder, entry.name), index + 1, depth + 1);
      }
    };
    visit(parsed.root || '.', 0, 0);
  }

  private findFile(folder: string, name: string): string | undefined {
    const slash = name.lastIndexOf('/');
    let base = folder;
    let fileName = name;
    if (slash >= 0) {
      const resolved = path.resolve(folder, name.slice(0, slash));
      base = resolved;
      fileName = name.slice(slash + 1);
    }
    for (const extension of copybookExtensions) {
      const found = this.findEntry(base, fileName + extension, false);
      if (found) return found;
    }
    return undefined;
  }

  /** A case-insensitive lookup of one entry in a folder. */
  private findEntry(folder: string, name: string, wantFolder: boolean): string | undefined {
    const listing = this.listing(folder);
    const entry = listing?.get(name.toUpperCase());
    if (!entry || entry.isDirectory !== wantFolder) return undefined;
    return path.join(folder, entry.name);
  }

  private listing(folder: string): Map<string, DirectoryEntry> | null {
    let listing = this.listings.get(folder);
    if (listing === undefined) {
      const entries = this.fileSystem.readDirectory(folder);
      if (entries) {
        listing = new Map();
        // An exact-case file wins over others that differ only in case.
        for (const entry of entries) {
          const key = entry.name.toUpperCase();
          if (!listing.has(key)) listing.set(key, entry);
        }
      } else listing = null;
      this.listings.set(folder, listing);
    }
    return listing;
  }

  private entries(folder: string): DirectoryEntry[] {
    const listing = this.listing(folder);
    return listing ? [...listing.values()] : [];
  }
}

function globSegment(segment: string): RegExp {
  const source = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`, 'i');
}
