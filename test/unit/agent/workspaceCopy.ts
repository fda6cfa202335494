/** A fresh copy of a fixture workspace in a temporary folder, for agent tests that must not touch the fixture. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AgentWorkspace } from '../../../server/agent/agentWorkspace';

export const sampleWorkspace = path.resolve(__dirname, '../../fixtures/workspace');

export function copyWorkspace(source = sampleWorkspace): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-ws-'));
  fs.cpSync(source, target, { recursive: true });
  return fs.realpathSync(target);
}

export function workspaceAt(root: string): AgentWorkspace {
  return new AgentWorkspace([root], { sourceFormat: 'auto', copybookPaths: ['copybooks'], cobcPath: 'cobc' });
}
