/**
 * The agent through the real language server (dist/server.js over stdio), as
 * the extension drives it: start a rename with the long-running task
 * messages, a second start refused while it runs, events streamed in order,
 * Approve, the server's apply request answered by this client (which writes
 * the files, as VS Code's refactor preview would), the task listed as done,
 * restore through a second apply request, and a shutdown mid-task logged as
 * stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createProtocolConnection,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  type ProtocolConnection,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../../server/agent/proposedChange';
import { type AgentEvent, agentApplyEditRequest, agentRestoreRequest, agentTask, agentTasksRequest } from '../../server/agentProtocol';
import { copyWorkspace, temporaryFolder } from '../unit/agent/workspaceCopy';
import { buildServerBundle, projectRoot } from './serverProcess';

let child: ChildProcess;
let connection: ProtocolConnection;
let root: string;
let storage: string;
const events: AgentEvent[] = [];
const applyRequests: string[][] = [];

const until = async (predicate: () => boolean, what: string, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${events.map((event) => event.type === 'state' ? event.state : event.type).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const stateOf = (taskId: string) => [...events].reverse().find((event) => event.taskId === taskId && event.type === 'state');

beforeAll(async () => {
  buildServerBundle();
  root = copyWorkspace();
  storage = temporaryFolder('agent-server-storage-');
  child = spawn(process.execPath, ['dist/server.js', '--stdio'], { cwd: projectRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
    params.items.map((item) => (item.section === 'cobolAssist' ? { copybookPaths: ['copybooks'] } : {})));
  connection.onNotification(agentTask.event, (event: AgentEvent) => {
    events.push(event);
    if (process.env.AGENT_DEBUG) console.log(JSON.stringify(event).slice(0, 300));
  });
  connection.onRequest(agentApplyEditRequest, ({ files }) => {
    applyRequests.push(files.map((file) => file.file));
    for (const file of files) {
      const absolute = fileURLToPath(file.uri);
      fs.writeFileSync(absolute, applyEdits(fs.readFileSync(absolute, 'utf8'), file.edits));
    }
    return { applied: true };
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'workspace' }],
    initializationOptions: { agentStorage: storage },
    capabilities: { workspace: { configuration: true } },
  });
  await connection.sendNotification(InitializedNotification.type, {});
}, 120_000);

afterAll(() => {
  connection?.dispose();
  child?.kill();
});

it('runs a rename through the server, refuses a second start, applies through the client and restores', async () => {
  const before = fs.readFileSync(path.join(root, 'INTCALC.cbl'), 'utf8');
  const goal = { kind: 'rename' as const, file: 'copybooks/INTPARM.cpy', name: 'IN-DAYS-OVERDUE', newName: 'IN-DAYS-LATE' };
  const { taskId } = await connection.sendRequest(agentTask.start, { goal });
  await expect(connection.sendRequest(agentTask.start, { goal })).rejects.toThrow(/already running/);
  await expect(connection.sendRequest(agentTask.start, { goal: { kind: 'deleteEverything' } as never })).rejects.toThrow(/Unknown agent goal/);
  await until(() => (stateOf(taskId) as { state?: string } | undefined)?.state === 'awaitingApproval', 'the plan');
  const plan = events.find((event) => event.type === 'plan');
  expect(plan?.type === 'plan' && plan.plan.files).toEqual(['CUSTRPT.cbl', 'INTCALC.cbl', 'copybooks/INTPARM.cpy']);
  expect(await connection.sendRequest(agentTask.decide, { taskId: 'no-such-task', decision: 'approve' })).toMatchObject({ accepted: false });
  expect(await connection.sendRequest(agentTask.decide, { taskId, decision: 'approve' })).toEqual({ accepted: true });
  await until(() => stateOf(taskId)?.type === 'state' && ['done', 'failed', 'stopped'].includes((stateOf(taskId) as { state: string }).state), 'the task to end');
  expect(stateOf(taskId)).toMatchObject({ state: 'done' });
  const seqs = events.filter((event) => event.taskId === taskId).map((event) => event.seq);
  expect(seqs).toEqual(seqs.map((_, i) => i)); // streamed in order, none lost
  expect(applyRequests[0]).toEqual(['CUSTRPT.cbl', 'INTCALC.cbl', 'copybooks/INTPARM.cpy']);
  expect(fs.readFileSync(path.join(root, 'INTCALC.cbl'), 'utf8')).toContain('IN-DAYS-LATE');
  const { tasks, events: logged } = await connection.sendRequest(agentTasksRequest, { taskId });
  expect(tasks[0]).toMatchObject({ taskId, state: 'done' });
  expect(logged.length).toBe(seqs.length);
  const restored = await connection.sendRequest(agentRestoreRequest, { taskId });
  expect(restored.restored.sort()).toEqual(['CUSTRPT.cbl', 'INTCALC.cbl', 'copybooks/INTPARM.cpy']);
  expect(fs.readFileSync(path.join(root, 'INTCALC.cbl'), 'utf8')).toBe(before);
}, 60_000);

it('a shutdown mid-task stops the task and the log says so', async () => {
  const { taskId } = await connection.sendRequest(agentTask.start, { goal: { kind: 'rename', file: 'CUSTRPT.cbl', name: 'TOT-CUSTOMERS', newName: 'TOT-CLIENTS' } });
  await until(() => stateOf(taskId)?.type === 'state' && (stateOf(taskId) as { state: string }).state === 'awaitingApproval', 'the plan');
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  const lines = fs.readFileSync(path.join(storage, 'agent', 'tasks', `${taskId}.jsonl`), 'utf8').trim().split('\n');
  expect(JSON.parse(lines[lines.length - 1])).toMatchObject({ type: 'state', state: 'stopped', message: expect.stringMatching(/shut down/) });
}, 60_000);
