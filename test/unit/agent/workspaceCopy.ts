/** A fresh copy of a fixture workspace in a temporary folder, for agent tests that must not touch the fixture. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentWorkspace } from '../../../server/agent/agentWorkspace';
import { defaultSettings, type Settings } from '../../../server/settings';
import { MemoryDocuments, Workspace } from '../../../server/workspace';

/** The sample workspace (bundled benchmarks pass their own path: `import.meta.url` is then the bundle's). */
export const sampleWorkspace = fileURLToPath(new URL('../../fixtures/workspace', import.meta.url));

const made: string[] = [];
process.on('exit', () => {
  for (const folder of made) fs.rmSync(folder, { recursive: true, force: true });
});

/** A temporary folder removed when the process exits. */
export function temporaryFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(folder);
  return folder;
}

export function copyWorkspace(source = sampleWorkspace): string {
  const target = temporaryFolder('agent-ws-');
  fs.cpSync(source, target, { recursive: true });
  return fs.realpathSync(target);
}

export const sampleSettings: Settings = { ...defaultSettings, copybookPaths: ['copybooks'] };

/** The shared workspace layer over `root`, indexed, as the language server would hold it. */
export async function sharedWorkspaceAt(root: string, settings: Settings = sampleSettings): Promise<Workspace> {
  const workspace = new Workspace({ documents: new MemoryDocuments(), settingsFor: async () => settings, summaryDelayMs: 0 });
  workspace.setRoots([root]);
  await workspace.startIndexing();
  await workspace.indexIdle();
  return workspace;
}

export async function workspaceAt(root: string, settings: Settings = sampleSettings): Promise<AgentWorkspace> {
  return AgentWorkspace.open(await sharedWorkspaceAt(root, settings));
}
