/**
 * What the agent's tools and tasks read the workspace through: confined
 * files, the text of each (an open editor's unsaved text first, then the
 * disk), analyses with copybooks expanded by the same front end and copybook
 * search as the language features, and a workspace index of summaries.
 * LSP-free, so the engine runs the same in the server, the tests and the
 * benchmark. (Issue 8's shared workspace layer is meant to replace the
 * analysis part; the contract here stays.)
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type Analysis,
  analyseProgram,
  type CopybookFileSystem,
  FileSystemCopybookResolver,
  nodeFileSystem,
  summarise,
  WorkspaceIndex,
} from '../cobol';
import { type ConfinedFile, isCopybookPath, WorkspaceFiles } from './workspaceFiles';

export interface AgentWorkspaceSettings {
  sourceFormat: 'auto' | 'fixed' | 'free';
  copybookPaths: readonly string[];
  /** GnuCOBOL command for compile checks and runs. */
  cobcPath: string;
}

export class AgentWorkspace {
  readonly files: WorkspaceFiles;
  private indexCache: WorkspaceIndex | undefined;
  private readonly resolver: FileSystemCopybookResolver;

  constructor(
    roots: readonly string[],
    readonly settings: AgentWorkspaceSettings,
    /** Unsaved text of an open editor for an absolute path, if any. */
    private readonly openText: (absolute: string) => string | undefined = () => undefined,
  ) {
    this.files = new WorkspaceFiles(roots);
    const confinedFileSystem: CopybookFileSystem = {
      readFile: (filePath) => (this.files.confine(filePath) ? this.textOfAbsolute(filePath) : undefined),
      readDirectory: (folder) => (this.files.confine(folder) ? nodeFileSystem.readDirectory(folder) : undefined),
    };
    this.resolver = new FileSystemCopybookResolver(confinedFileSystem, { workspaceRoot: this.files.roots[0], searchPaths: settings.copybookPaths });
  }

  textOfAbsolute(absolute: string): string | undefined {
    return this.openText(absolute) ?? nodeFileSystem.readFile(absolute);
  }

  /** The current text of a workspace file (relative path), or throws `PathRefused`. */
  text(relative: string): string {
    const file = this.files.resolve(relative);
    return this.openText(file.absolute) ?? this.files.read(relative);
  }

  analyse(file: ConfinedFile): Analysis {
    const text = this.textOfAbsolute(file.absolute) ?? '';
    return analyseProgram({ id: file.absolute, text, settings: { sourceFormat: this.settings.sourceFormat }, resolver: this.resolver });
  }

  /** Summaries of every COBOL file, built once per task (files are not written while a task plans). */
  index(): WorkspaceIndex {
    if (!this.indexCache) {
      const index = new WorkspaceIndex();
      for (const file of this.files.cobolFiles()) {
        const text = this.textOfAbsolute(file.absolute);
        if (text === undefined) continue;
        index.update(summarise(analyseProgram({ id: file.absolute, text, settings: { sourceFormat: this.settings.sourceFormat } })));
      }
      this.indexCache = index;
    }
    return this.indexCache;
  }

  /** Programs (not copybooks) that copy the copybook at `absolute`. */
  programsCopying(absolute: string): ConfinedFile[] {
    const name = path.basename(absolute).replace(/\.(cpy|cbl|cob|cobol|copy)$/i, '');
    return this.index()
      .filesCopying(name)
      .filter((id) => !isCopybookPath(id))
      .map((id) => this.files.confine(id))
      .filter((file): file is ConfinedFile => file !== undefined);
  }

  /** Copybook search folders for cobc's -I, absolute and inside the workspace. */
  copybookFolders(): string[] {
    return [...new Set(this.resolver.configuredSearchFolders())].filter((folder) => this.files.confine(folder));
  }

  relativeOf(absolute: string): string {
    return this.files.confine(absolute)?.relative ?? absolute;
  }

  uriOf(absolute: string): string {
    return pathToFileURL(absolute).href;
  }

  /** A file changed on disk or in an editor: summaries are rebuilt on next use. */
  invalidate(): void {
    this.indexCache = undefined;
    this.resolver.invalidate();
  }
}
