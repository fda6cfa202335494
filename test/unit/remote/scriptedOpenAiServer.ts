/**
 * MOCK AT THE BOUNDARY: a real HTTP server on 127.0.0.1 that answers each
 * request with the next scripted behaviour (an error status, a slow answer,
 * broken JSON...). It stands in for a misbehaving remote endpoint, which
 * cannot be provoked on demand from a real serving engine; the good path is
 * tested against the real `serve:model` server (modelServer.test.ts).
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour =
  | { kind: 'completion'; text: string; delayMs?: number }
  | { kind: 'chat'; content: string }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'raw'; body: string; contentType?: string }
  | { kind: 'hang' };

export interface SeenRequest {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}

export interface ScriptedServer {
  url: string;
  seen: SeenRequest[];
  /** Behaviours used in order; the last one repeats. */
  script(...behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

export async function startScriptedOpenAiServer(): Promise<ScriptedServer> {
  let queue: Behaviour[] = [{ kind: 'completion', text: ' OK' }];
  const seen: SeenRequest[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch { /* recorded as empty */ }
      seen.push({ path: request.url ?? '', authorization: request.headers.authorization, body });
      const behaviour = queue.length > 1 ? queue.shift()! : queue[0]!;
      const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        response.end(JSON.stringify(value));
      };
      switch (behaviour.kind) {
        case 'completion':
          setTimeout(() => json(200, { id: 'x', object: 'text_completion', model: body.model, choices: [{ index: 0, text: behaviour.text, finish_reason: 'stop', logprobs: null }], usage: { prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 } }), behaviour.delayMs ?? 0);
          return;
        case 'chat':
          json(200, { id: 'y', object: 'chat.completion', model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: behaviour.content }, finish_reason: 'stop' }], usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 } });
          return;
        case 'status':
          json(behaviour.status, behaviour.body ?? { error: { message: `status ${behaviour.status}`, type: 'error' } }, behaviour.headers);
          return;
        case 'raw':
          response.writeHead(200, { 'Content-Type': behaviour.contentType ?? 'application/json' });
          response.end(behaviour.body);
          return;
        case 'hang':
          return; // never answers; the client must give up on its own
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    script: (...behaviours) => {
      queue = behaviours;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
