/**
 * The local planner end to end with the bundled model, for the mechanics: the
 * planning call goes through the model scheduler's background lane with the
 * plan's JSON-schema grammar, its tokens and time are logged, and the small FIM
 * model's answer (grammar-shaped, but no usable plan) is rejected with the
 * reason before anything runs.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AgentEngine } from '../../../server/agent/engine';
import type { AgentEvent } from '../../../server/agent/events';
import { LocalPlanner } from '../../../server/agent/planner';
import { LocalModelBackend } from '../../../server/model/localBackend';
import { ModelScheduler } from '../../../server/model/scheduler';
import { testHost } from './engineHost';
import { copyWorkspace, sharedWorkspaceAt } from './workspaceCopy';

const modelPath = fileURLToPath(new URL('../../../models/bundled/cobol-slm-small.gguf', import.meta.url));
let backend: LocalModelBackend;
beforeAll(async () => {
  backend = await LocalModelBackend.load({ id: 'cobol-slm-small', path: modelPath, threads: 1, contextSize: 0, gpu: 'off', temperature: 0, tokenHealing: true });
}, 60_000);
afterAll(async () => {
  await backend?.dispose();
});

it('plans on the background lane with the bundled model and rejects its answer with the reason', async () => {
  const scheduler = new ModelScheduler(() => backend);
  const planner = new LocalPlanner('cobol-slm-small', (request) => scheduler.run(request));
  const host = testHost(await sharedWorkspaceAt(copyWorkspace()), { planner });
  const task = new AgentEngine(host).start({ kind: 'freeform', text: 'Rename IN-DAYS-OVERDUE to IN-DAYS-LATE' });
  await task.finished;
  expect(scheduler.counters.started).toEqual({ inline: 0, background: 1 });
  const call = host.events.find((event) => event.type === 'modelCall') as Extract<AgentEvent, { type: 'modelCall' }>;
  expect(call).toMatchObject({ model: 'cobol-slm-small', purpose: 'plan', ok: true, costUsd: 0 });
  expect(call.promptTokens).toBeGreaterThan(0);
  expect(task.state).toBe('failed');
  // The grammar holds the answer to the plan schema's shape: it opens as the plan object does.
  expect((host.events.find((event) => event.type === 'error') as Extract<AgentEvent, { type: 'error' }>).message).toMatch(/The model's plan was rejected: .*'\{\s*"goal":/);
  expect(host.events.some((event) => event.type === 'toolCall')).toBe(false);
}, 60_000);
