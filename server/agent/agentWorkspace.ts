/**
 * What the agent's tools and tasks read the workspace through: the shared
 * workspace layer (`server/workspace/`: open documents before the disk, the
 * same analyses, copybook search and index as the language features) behind
 * the agent's confinement (`WorkspaceFiles`): every path a plan names, and
 * every file a change would touch, must lie inside a workspace root.
 * Settings are taken once per task, so a task sees one consistent view.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Analysis, summarise, type WorkspaceIndex } from '../cobol';
import type { Settings } from '../settings';
import type { Workspace } from '../workspace';
import { type ConfinedFile, isCopybookPath, WorkspaceFiles } from './workspaceFiles';

export class AgentWorkspace {
  readonly files: WorkspaceFiles;

  private constructor(
    private readonly workspace: Workspace,
    readonly settings: Settings,
  ) {
    this.files = new WorkspaceFiles(workspace.roots);
  }

  /**
   * Waits for the background index, then takes the settings of the first root for this task. A file the
   * index has not reached yet (a task started right after the window opened) is summarised here, so a plan
   * never misses a program that copies a copybook.
   */
  static async open(workspace: Workspace): Promise<AgentWorkspace> {
    if (workspace.roots.length === 0) throw new Error('The agent needs an open workspace folder.');
    await workspace.indexIdle();
    const agent = new AgentWorkspace(workspace, await workspace.settingsFor(workspace.roots[0]));
    for (const file of agent.files.cobolFiles()) {
      if (workspace.index.get(file.absolute)) continue;
      const text = workspace.text(file.absolute);
      if (text !== undefined) workspace.index.update(summarise(workspace.analyseText(file.absolute, text, { ...agent.settings, copybookPaths: [] }, false)));
    }
    return agent;
  }

  textOfAbsolute(absolute: string): string | undefined {
    return this.workspace.text(absolute);
  }

  /** The current text of a workspace file (relative path), or throws `PathRefused`. */
  text(relative: string): string {
    const file = this.files.resolve(relative);
    return this.workspace.text(file.absolute) ?? this.files.read(relative);
  }

  analyse(file: ConfinedFile): Analysis {
    return this.workspace.analyseText(file.absolute, this.workspace.text(file.absolute) ?? '', this.settings);
  }

  index(): WorkspaceIndex {
    return this.workspace.index;
  }

  /** Programs (not copybooks) inside the workspace that copy the copybook at `absolute`. */
  programsCopying(absolute: string): ConfinedFile[] {
    const name = path.basename(absolute).replace(/\.(cpy|cbl|cob|cobol|copy)$/i, '');
    return this.index()
      .filesCopying(name)
      .filter((id) => !isCopybookPath(id))
      .map((id) => this.files.confine(id))
      .filter((file): file is ConfinedFile => file !== undefined)
      .sort((a, b) => a.relative.localeCompare(b.relative));
  }

  /** Configured copybook folders inside the workspace, absolute (cobc's -I). */
  copybookFolders(): string[] {
    const folders = this.files.roots.flatMap((root) => this.workspace.copybookFolders(path.join(root, '.agent'), this.settings).filter((folder) => folder !== root));
    return [...new Set(folders)].filter((folder) => this.files.confine(folder));
  }

  relativeOf(absolute: string): string {
    return this.files.confine(absolute)?.relative ?? absolute;
  }

  uriOf(absolute: string): string {
    return pathToFileURL(absolute).href;
  }
}
