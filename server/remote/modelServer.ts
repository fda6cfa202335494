/**
 * An OpenAI-compatible HTTP server over one `ModelBackend` (in practice a
 * GGUF in node-llama-cpp): `POST /v1/completions` with `suffix` (fill in the
 * middle in the model's own FIM order) and `GET /v1/models`. It plays the
 * remote large model over real HTTP in tests and benchmarks, and lets a team
 * host a model on one GPU box (`npm run serve:model`).
 *
 * Invariants:
 * - Binds 127.0.0.1 unless told otherwise; with `apiKey` set, every request
 *   needs `Authorization: Bearer <key>` (401 otherwise) and the key is never
 *   echoed.
 * - The backend serves one request at a time; at most `maxQueue` more wait,
 *   further ones get 429 with Retry-After (what a serving engine under load says).
 * - A request body is at most 1 MiB; bad JSON or fields get 400 with an
 *   OpenAI-style error body; a client that disconnects cancels its generation.
 * - Sampling is the backend's (greedy for the project's models); `temperature` is accepted and ignored.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ModelBackend } from '../model/backend';
import { messageOf } from '../model/errors';

export interface ModelServerOptions {
  backend: ModelBackend;
  /** The model id clients send and `/v1/models` lists. */
  modelName: string;
  host?: string;
  /** 0: any free port. */
  port?: number;
  apiKey?: string;
  /** Requests waiting behind the one being served before 429. */
  maxQueue?: number;
  /** Longest generation per request. */
  requestBudgetMs?: number;
  /** One line per request (method, path, status, ms); never headers or bodies. */
  log?: (line: string) => void;
}

export interface RunningModelServer {
  /** `http://host:port/v1`, the base URL clients use. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const maxBodyBytes = 1 << 20;
const defaultMaxTokens = 16;
const maxTokensCap = 2048;

export async function startModelServer(options: ModelServerOptions): Promise<RunningModelServer> {
  const host = options.host ?? '127.0.0.1';
  const maxQueue = options.maxQueue ?? 8;
  let waiting = 0;
  let counter = 0;
  const server: Server = createServer((request, response) => {
    const started = performance.now();
    response.on('finish', () => options.log?.(`${request.method} ${request.url} ${response.statusCode} ${Math.round(performance.now() - started)} ms`));
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, `internal error: ${messageOf(error)}`, 'server_error');
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0]!.replace(/\/+$/, '');
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(response, 401, 'Incorrect or missing API key.', 'invalid_request_error', 'invalid_api_key');
    }
    if (request.method === 'GET' && path === '/v1/models') {
      return sendJson(response, 200, { object: 'list', data: [{ id: options.modelName, object: 'model', created: 0, owned_by: 'cobol-assist' }] });
    }
    if (path === '/v1/completions') {
      if (request.method !== 'POST') return sendError(response, 405, 'Use POST.', 'invalid_request_error');
      const body = await readJson(request);
      if ('error' in body) return sendError(response, body.status, body.error, 'invalid_request_error');
      const parsed = parseCompletionBody(body.value);
      if (typeof parsed === 'string') return sendError(response, 400, parsed, 'invalid_request_error');
      if (waiting >= maxQueue) {
        response.setHeader('Retry-After', '1');
        return sendError(response, 429, `The server is busy (${waiting} requests waiting).`, 'rate_limit_error');
      }
      const cancel = new AbortController();
      response.on('close', () => {
        if (!response.writableFinished) cancel.abort();
      });
      waiting++;
      let result;
      try {
        result = await options.backend.complete({
          prefix: parsed.prompt,
          suffix: parsed.suffix,
          maxTokens: parsed.maxTokens,
          timeBudgetMs: options.requestBudgetMs ?? 30_000,
          stop: parsed.stop,
          signal: cancel.signal,
        });
      } finally {
        waiting--;
      }
      if (cancel.signal.aborted) return;
      const tokens = result.tokenProbabilities.length;
      return sendJson(response, 200, {
        id: `cmpl-${++counter}`,
        object: 'text_completion',
        created: Math.floor(Date.now() / 1000),
        model: options.modelName,
        choices: [{
          index: 0,
          text: result.text,
          logprobs: parsed.logprobs ? { token_logprobs: result.tokenProbabilities.map((p) => Math.log(Math.max(p, 1e-12))) } : null,
          finish_reason: result.stopReason === 'maxTokens' ? 'length' : 'stop',
        }],
        usage: { prompt_tokens: result.timings.promptTokens, completion_tokens: tokens, total_tokens: result.timings.promptTokens + tokens },
      });
    }
    return sendError(response, 404, `No route ${request.method} ${path}; this server offers GET /v1/models and POST /v1/completions.`, 'invalid_request_error');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/v1`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface CompletionBody {
  prompt: string;
  suffix: string;
  maxTokens: number;
  stop: string[];
  logprobs: boolean;
}

/** The fields this server uses from an OpenAI completions body, or what is wrong with it. */
export function parseCompletionBody(value: unknown): CompletionBody | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'The body must be a JSON object.';
  const body = value as Record<string, unknown>;
  const prompt = Array.isArray(body.prompt) && body.prompt.length === 1 ? body.prompt[0] : body.prompt;
  if (typeof prompt !== 'string') return '`prompt` must be a string.';
  if (body.suffix !== undefined && body.suffix !== null && typeof body.suffix !== 'string') return '`suffix` must be a string.';
  const maxTokens = body.max_tokens ?? defaultMaxTokens;
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) return '`max_tokens` must be a positive integer.';
  const stop = body.stop === undefined || body.stop === null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (!Array.isArray(stop) || stop.some((s) => typeof s !== 'string') || stop.length > 4) return '`stop` must be a string or up to 4 strings.';
  return { prompt, suffix: typeof body.suffix === 'string' ? body.suffix : '', maxTokens: Math.min(maxTokens, maxTokensCap), stop: stop as string[], logprobs: typeof body.logprobs === 'number' && body.logprobs >= 0 };
}

async function readJson(request: IncomingMessage): Promise<{ value: unknown } | { error: string; status: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return { error: 'The body is larger than 1 MiB.', status: 413 };
    chunks.push(chunk as Buffer);
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { error: 'The body is not valid JSON.', status: 400 };
  }
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

function sendError(response: ServerResponse, status: number, message: string, type: string, code: string | null = null): void {
  sendJson(response, status, { error: { message, type, param: null, code } });
}
