/**
 * The agent across time: a plan whose files change between approval and
 * execution asks again; a log cut short (VS Code closed mid-task) lists the
 * task as interrupted; a server shutdown stops the running task; preference
 * notes are kept, edited, deleted and reach the planner.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActivityLog } from '../../../server/agent/activityLog';
import { AgentEngine } from '../../../server/agent/engine';
import type { AgentEvent } from '../../../server/agent/events';
import { planningPrompt } from '../../../server/agent/planner';
import { Preferences } from '../../../server/agent/preferences';
import { isState, testHost } from './engineHost';
import { copyWorkspace, sharedWorkspaceAt, temporaryFolder } from './workspaceCopy';

const renameGoal = { kind: 'rename' as const, file: 'copybooks/INTPARM.cpy', name: 'IN-DAYS-OVERDUE', newName: 'IN-DAYS-LATE' };

describe('agent lifecycle', () => {
  it('asks again when a step reaches a file the approved plan did not list', async () => {
    const root = copyWorkspace();
    const shared = await sharedWorkspaceAt(root);
    const host = testHost(shared);
    const task = new AgentEngine(host).start(renameGoal);
    await host.next(isState('awaitingApproval'));
    // Meanwhile someone adds a program that copies the copybook and uses the name.
    const added = path.join(root, 'LATEFEE.cbl');
    fs.writeFileSync(added, [
      '       IDENTIFICATION DIVISION.',
      '       PROGRAM-ID. LATEFEE.',
      '       DATA DIVISION.',
      '       WORKING-STORAGE SECTION.',
      '           COPY INTPARM.',
      '       PROCEDURE DIVISION.',
      '           MOVE 5 TO IN-DAYS-OVERDUE',
      '           GOBACK.',
      '',
    ].join('\n'));
    shared.filesChanged([{ id: added, deleted: false }]);
    await shared.indexIdle();
    task.decide('approve');
    const revised = await host.next((event) => event.type === 'plan' && event.plan.revision === 1);
    expect((revised as Extract<AgentEvent, { type: 'plan' }>).plan.files).toContain('LATEFEE.cbl');
    expect(host.events.some((event) => event.type === 'question' && /LATEFEE\.cbl/.test(event.text))).toBe(true);
    expect(host.applied).toEqual([]);
    await host.next((event) => isState('awaitingApproval')(event) && event.seq > revised.seq);
    task.decide('approve');
    await task.finished;
    expect(task.state).toBe('done');
    expect(fs.readFileSync(added, 'utf8')).toContain('IN-DAYS-LATE');
  }, 60_000);

  it('lists a task whose log ends without a final state as interrupted, and ignores a torn last line', () => {
    const storage = temporaryFolder('agent-log-');
    const log = new ActivityLog(storage);
    const time = new Date().toISOString();
    log.append('t1', { taskId: 't1', seq: 0, time, type: 'goal', text: 'Rename X', goal: { kind: 'rename', file: 'A.cbl', name: 'X', newName: 'Y' } });
    log.append('t1', { taskId: 't1', seq: 1, time, type: 'state', state: 'executing' });
    fs.appendFileSync(log.file('t1'), '{"taskId":"t1","seq":2,"ty');
    expect(log.list()).toEqual([{ taskId: 't1', goal: 'Rename X', startedAt: time, state: 'interrupted', events: 2 }]);
    expect(() => log.file('../escape')).toThrow(/not a task id/);
  });

  it('stops the running task when the server shuts down, and logs why', async () => {
    const host = testHost(await sharedWorkspaceAt(copyWorkspace()));
    const engine = new AgentEngine(host);
    const task = engine.start(renameGoal);
    await host.next(isState('awaitingApproval'));
    engine.stopAll('The language server shut down mid-task.');
    await task.finished;
    expect(host.log.read(task.taskId).pop()).toMatchObject({ type: 'state', state: 'stopped', message: 'The language server shut down mid-task.' });
  });

  it('keeps preference notes, edits and deletes them, and gives them to the planner', () => {
    const storage = temporaryFolder('agent-prefs-');
    const preferences = new Preferences(storage);
    const [note] = preferences.add('Keep paragraph names in our NNNN-VERB style');
    preferences.add('Never touch the copybooks under legacy/');
    expect(new Preferences(storage).list().map((item) => item.text)).toHaveLength(2);
    preferences.edit(note.id, 'Keep paragraph names as NNNN-VERB-NOUN');
    preferences.remove(preferences.list()[1].id);
    expect(preferences.list().map((item) => item.text)).toEqual(['Keep paragraph names as NNNN-VERB-NOUN']);
    expect(() => preferences.add('  \u0000 ')).toThrow(/needs some text/);
    const prompt = planningPrompt({ goal: 'Tidy', files: ['A.cbl'], preferences: preferences.list().map((item) => item.text) });
    expect(prompt.user).toContain('- Keep paragraph names as NNNN-VERB-NOUN');
  });
});
