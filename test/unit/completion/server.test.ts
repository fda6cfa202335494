/**
 * `cobolAssist/inlineCompletion` through the bundled language server
 * (dist/server.js) over stdio, with the bundled model: a suggestion with its
 * id and stage timings, silence in a comment, an answer (not an error) while
 * no model is on, a request cancelled midway, and the statistics counting
 * the suggestions and an acceptance.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CancellationTokenSource, DidChangeConfigurationNotification } from 'vscode-languageserver-protocol/node';
import { completionEventNotification, completionStatisticsRequest, inlineCompletionRequest, modelStatusRequest } from '../../../server/protocol';
import { buildServerBundle, projectRoot, ServerProcess } from '../../integration/serverProcess';

const file = join(projectRoot, 'test/fixtures/workspace/CUSTRPT.cbl');
const uri = pathToFileURL(file).href;
const text = readFileSync(file, 'utf8');
const lines = text.split('\n');
let server: ServerProcess;
let section: Record<string, unknown> = {};

/** The zero-based position right after `marker` on the line starting with it. */
function after(marker: string) {
  const line = lines.findIndex((candidate) => candidate.startsWith(marker));
  expect(line).toBeGreaterThanOrEqual(0);
  return { line, character: marker.length };
}

beforeAll(async () => {
  buildServerBundle();
  server = await ServerProcess.start();
  server.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => section));
  await server.open(uri, text);
  for (let i = 0; i < 200 && (await server.connection.sendRequest(modelStatusRequest)).state !== 'ready'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect((await server.connection.sendRequest(modelStatusRequest)).state).toBe('ready');
}, 120_000);

afterAll(() => server?.kill());

it('answers a suggestion with its id, model and stage timings, and silence in a comment', async () => {
  const answer = await server.connection.sendRequest(inlineCompletionRequest, { textDocument: { uri }, position: after('007200     PERFORM 2'), trigger: 'manual' });
  expect(answer).toMatchObject({ model: 'cobol-slm-small', source: 'model' });
  expect(answer.text.length).toBeGreaterThan(0);
  expect(answer.id).not.toBe('');
  expect(answer.stages.generationMs).toBeGreaterThan(0);
  const comment = lines.findIndex((line) => line[6] === '*');
  const silent = await server.connection.sendRequest(inlineCompletionRequest, { textDocument: { uri }, position: { line: comment, character: 20 }, trigger: 'automatic' });
  expect(silent).toMatchObject({ text: '', reason: 'comment line' });
  server.connection.sendNotification(completionEventNotification, { id: answer.id, kind: 'accepted', characters: answer.text.length });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const statistics = await server.connection.sendRequest(completionStatisticsRequest);
  expect(statistics).toMatchObject({ suggestions: 1, accepted: 1, acceptedCharacters: answer.text.length });
  expect(statistics.noSuggestionReasons['comment line']).toBe(1);
}, 60_000);

it('completes after the item selected in the suggest widget, as if it were inserted', async () => {
  const cutUri = pathToFileURL(join(projectRoot, 'test/fixtures/workspace/CUTLINE.cbl')).href;
  const line = lines.findIndex((candidate) => candidate.startsWith('006800     MOVE CUST-ID TO '));
  const cut = lines.map((candidate, index) => (index === line ? '006800     MOVE CUST-ID TO R' : candidate)).join('\n');
  await server.open(cutUri, cut);
  const answer = await server.connection.sendRequest(inlineCompletionRequest, {
    textDocument: { uri: cutUri },
    position: { line, character: '006800     MOVE CUST-ID TO R'.length },
    trigger: 'automatic',
    selectedCompletion: { text: 'RPT-CUST-ID', replaceFromCharacter: '006800     MOVE CUST-ID TO '.length },
  });
  expect(answer.reason ?? '').not.toMatch(/error|failed/);
  if (answer.text) expect(answer.text).not.toMatch(/^[A-Z0-9-]/); // it continues after the whole name
}, 60_000);

it('ends a request cancelled midway without an error', async () => {
  const source = new CancellationTokenSource();
  const pending = server.connection.sendRequest(inlineCompletionRequest, { textDocument: { uri }, position: after('005000     '), trigger: 'manual' }, source.token);
  setTimeout(() => source.cancel(), 1);
  const outcome = await pending.then((answer) => ({ answer }), (error: Error) => ({ error }));
  // Either the client gave up on it or the server answered with no suggestion: never an exception in the server.
  if ('answer' in outcome) expect(outcome.answer.text === '' || outcome.answer.source !== 'none').toBe(true);
  expect(server.alive).toBe(true);
  const next = await server.connection.sendRequest(inlineCompletionRequest, { textDocument: { uri }, position: after('003900     PERFORM 2'), trigger: 'manual' });
  expect(next.source).toBe('model');
}, 60_000);

it('answers "model off", not an error, when the model is disabled', async () => {
  section = { model: { enabled: false } };
  await server.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  for (let i = 0; i < 100 && (await server.connection.sendRequest(modelStatusRequest)).state !== 'off'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const answer = await server.connection.sendRequest(inlineCompletionRequest, { textDocument: { uri }, position: after('005900     MOVE CUST-BALANCE TO '), trigger: 'manual' });
  expect(answer).toMatchObject({ text: '', source: 'none', reason: expect.stringMatching(/^model off/) });
}, 60_000);
