/**
 * MOCK at the remote-model boundary: a scripted OpenAI-compatible server on
 * 127.0.0.1 that answers each chat completion with the next recorded answer
 * (test/fixtures/agent-plans), records the requests it got, and can hold an
 * answer back (to test Stop mid model call). A capable planning model cannot
 * run on this machine; everything on our side of the HTTP boundary is real.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockPlannerServer {
  baseURL: string;
  requests: { body: Record<string, unknown>; authorization: string | undefined }[];
  close(): Promise<void>;
}

export async function startMockPlannerServer(answers: string[], options: { delayMs?: number; status?: number } = {}): Promise<MockPlannerServer> {
  const requests: MockPlannerServer['requests'] = [];
  let next = 0;
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    requests.push({ body, authorization: request.headers.authorization });
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    if (response.destroyed) return;
    if (options.status && options.status !== 200) {
      response.writeHead(options.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    }
    const content = answers[Math.min(next++, answers.length - 1)];
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({
      id: `chatcmpl-mock-${next}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: 'mock-planner',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
      usage: { prompt_tokens: 900, completion_tokens: 120, total_tokens: 1020 },
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
