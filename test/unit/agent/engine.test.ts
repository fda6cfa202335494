import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentEngine } from '../../../server/agent/engine';
import { restoreChange } from '../../../server/agent/restore';
import type { AgentEvent } from '../../../server/agent/events';
import { copyWorkspace, sharedWorkspaceAt } from './workspaceCopy';
import { isState, testHost } from './engineHost';

const renameGoal = { kind: 'rename' as const, file: 'copybooks/INTPARM.cpy', name: 'IN-DAYS-OVERDUE', newName: 'IN-DAYS-LATE' };
const snapshot = (root: string) => Object.fromEntries(['CUSTRPT.cbl', 'INTCALC.cbl', 'copybooks/INTPARM.cpy', 'copybooks/CUSTREC.cpy'].map((file) => [file, fs.readFileSync(path.join(root, file), 'utf8')]));

async function setup(options: Parameters<typeof testHost>[1] = {}) {
  const root = copyWorkspace();
  const host = testHost(await sharedWorkspaceAt(root), options);
  return { root, host, engine: new AgentEngine(host), before: snapshot(root) };
}

describe('agent engine', () => {
  it('plans a rename across two programs and a copybook, waits for approval, verifies with cobc and the sample, then applies', async () => {
    const { root, host, engine, before } = await setup();
    const task = engine.start(renameGoal);
    const plan = (await host.next((event) => event.type === 'plan')) as Extract<AgentEvent, { type: 'plan' }>;
    expect(plan.plan.files).toEqual(['CUSTRPT.cbl', 'INTCALC.cbl', 'copybooks/INTPARM.cpy']);
    expect(plan.plan.steps.map((step) => step.tool)).toEqual(['references', 'proposeRename', 'compileCheck', 'runSample']);
    await host.next(isState('awaitingApproval'));
    expect(snapshot(root)).toEqual(before); // nothing written before approval
    expect(host.events.some((event) => event.type === 'toolCall')).toBe(false); // no tool dispatched before approval
    expect(task.decide('approve')).toBe(true);
    await task.finished;
    expect(task.state).toBe('done');
    const result = host.events.find((event) => event.type === 'result') as Extract<AgentEvent, { type: 'result' }>;
    expect(result.filesTouched.sort()).toEqual(['CUSTRPT.cbl', 'INTCALC.cbl', 'copybooks/INTPARM.cpy']);
    expect(result.compiles).toBe(true);
    expect(result.outputSame).toBe(true);
    const after = snapshot(root);
    expect(after['copybooks/INTPARM.cpy']).toContain('IN-DAYS-LATE');
    expect(after['INTCALC.cbl']).not.toContain('IN-DAYS-OVERDUE');
    expect(after['copybooks/CUSTREC.cpy']).toBe(before['copybooks/CUSTREC.cpy']);
    // Every line keeps its length (fixed-format columns).
    expect(after['CUSTRPT.cbl'].split('\n').map((line) => line.length)).toEqual(before['CUSTRPT.cbl'].split('\n').map((line) => line.length));
    // The log holds every step, and the snapshot exactly the listed files.
    const logged = host.log.read(task.taskId).map((event) => event.type);
    expect(logged).toEqual(expect.arrayContaining(['goal', 'plan', 'decision', 'toolCall', 'toolResult', 'snapshot', 'edit', 'result']));
    const snapshotEvent = host.events.find((event) => event.type === 'snapshot') as Extract<AgentEvent, { type: 'snapshot' }>;
    expect(fs.readFileSync(path.join(snapshotEvent.folder, 'copybooks/INTPARM.cpy'), 'utf8')).toBe(before['copybooks/INTPARM.cpy']);
    expect(host.log.list()[0]).toMatchObject({ taskId: task.taskId, state: 'done' });
    // Restore puts back exactly the three files, and touches nothing else (a file made since stays).
    fs.writeFileSync(path.join(root, 'NOTES.cbl'), '      * not the agent\'s\n');
    const restore = restoreChange(host.log, await host.workspace(), task.taskId);
    expect(restore.files.map((file) => file.file).sort()).toEqual(['CUSTRPT.cbl', 'INTCALC.cbl', 'copybooks/INTPARM.cpy']);
    await host.applyEdit(restore, restore.summary);
    expect(snapshot(root)).toEqual(before);
    expect(fs.readFileSync(path.join(root, 'NOTES.cbl'), 'utf8')).toBe('      * not the agent\'s\n');
  }, 60_000);

  it('writes nothing when the plan is rejected', async () => {
    const { root, host, engine, before } = await setup();
    const task = engine.start(renameGoal);
    await host.next(isState('awaitingApproval'));
    task.decide('reject');
    await task.finished;
    expect(task.state).toBe('rejected');
    expect(host.applied).toEqual([]);
    expect(snapshot(root)).toEqual(before);
  });

  it('stops mid-way within a second and writes nothing', async () => {
    const { root, host, engine, before } = await setup();
    const task = engine.start(renameGoal);
    await host.next(isState('awaitingApproval'));
    task.decide('approve');
    await host.next((event) => event.type === 'toolCall' && event.tool === 'compileCheck');
    const asked = Date.now();
    task.decide('stop');
    await task.finished;
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(task.state).toBe('stopped');
    expect(host.applied).toEqual([]);
    expect(snapshot(root)).toEqual(before);
  }, 30_000);

  it('refuses a second task while one runs, and a change the preview discards writes nothing', async () => {
    const { root, host, engine, before } = await setup({ applies: false });
    const task = engine.start(renameGoal);
    expect(() => engine.start(renameGoal)).toThrow(/already running/);
    await host.next(isState('awaitingApproval'));
    task.decide('approve');
    await task.finished;
    expect(task.state).toBe('rejected');
    expect(snapshot(root)).toEqual(before);
  }, 60_000);

  it('refuses approvals the task is not waiting for, and decisions of the wrong kind', async () => {
    const { host, engine } = await setup();
    const task = engine.start(renameGoal);
    expect(task.decide('continue')).toBe(false);
    await host.next(isState('awaitingApproval'));
    expect(task.decide('continue')).toBe(false);
    task.decide('stop');
    await task.finished;
    expect(task.decide('approve')).toBe(false);
  });

  it('fails with the reason when a built-in task cannot be done, before asking anything', async () => {
    const { host, engine } = await setup();
    const task = engine.start({ kind: 'rename', file: 'CUSTRPT.cbl', name: 'WS-DAYS-OVERDUE', newName: 'MOVE' });
    await task.finished;
    expect(task.state).toBe('failed');
    expect(host.events.find((event) => event.type === 'error')).toMatchObject({ message: expect.stringMatching(/reserved word/) });
    const escaping = engine.start({ kind: 'rename', file: '../../etc/passwd', name: 'X', newName: 'Y' });
    await escaping.finished;
    expect(host.events.filter((event) => event.type === 'error').pop()).toMatchObject({ message: expect.stringMatching(/climbs out/) });
  });

  it('stops a step budget before dispatching past it', async () => {
    const { host, engine } = await setup({ budgets: { maxSteps: 1 } });
    const task = engine.start(renameGoal);
    await host.next(isState('awaitingApproval'));
    task.decide('approve');
    await task.finished;
    expect(task.state).toBe('failed');
    expect(host.events.find((event) => event.type === 'error')).toMatchObject({ message: expect.stringMatching(/Budget reached before step 2: 1 steps/) });
  });
});
