/**
 * Downloads a model file over HTTP(S): resumable, verified, cancellable.
 * Plain Node (no vscode import), so it is tested against a local server.
 *
 * - Bytes go to `<destination>.part`; an interrupted download resumes from
 *   its length with an HTTP Range request (a server that ignores Range
 *   restarts it from zero). Interruptions are retried a few times, then the
 *   `.part` stays for the next attempt.
 * - The finished file must start with the GGUF magic, match the announced
 *   size and, when the catalogue knows one, the sha256. A file that fails is
 *   deleted, with a message saying why; only a verified file is renamed to
 *   `destination`.
 * - Cancelling (AbortSignal) stops at once and keeps the `.part` for resuming.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { get as httpGet, IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { dirname } from 'node:path';

export type DownloadErrorCode = 'notFound' | 'http' | 'network' | 'interrupted' | 'checksum' | 'notGguf' | 'size' | 'cancelled';

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(readonly code: DownloadErrorCode, message: string) {
    super(message);
  }
}

export interface DownloadRequest {
  url: string;
  destination: string;
  /** Expected sha256 (lower-case hex); null to accept any GGUF of the announced size. */
  sha256: string | null;
  /** Expected size in bytes, when known in advance. */
  bytes?: number | null;
  /** The most bytes accepted when `bytes` is unknown (default `defaultMaxDownloadBytes`). */
  maxBytes?: number;
}

/** A download of unknown size stops here at the latest: an endless stream must not fill the disk. */
export const defaultMaxDownloadBytes = 20 * 1024 * 1024 * 1024;

export interface DownloadProgress {
  receivedBytes: number;
  totalBytes: number | undefined;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Extra attempts after an interruption, each resuming where the last stopped. */
  retries?: number;
  /** Wait before a retry (ms). */
  retryDelayMs?: number;
}

export interface DownloadResult {
  path: string;
  sha256: string;
  bytes: number;
  /** True when some bytes came from an earlier, interrupted attempt. */
  resumed: boolean;
}

const maxRedirects = 5;

export async function downloadModel(request: DownloadRequest, options: DownloadOptions = {}): Promise<DownloadResult> {
  const part = `${request.destination}.part`;
  await mkdir(dirname(request.destination), { recursive: true });
  const retries = options.retries ?? 3;
  let resumed = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const outcome = await fetchToPart(request, part, options);
      resumed ||= outcome.resumedFrom > 0;
      break;
    } catch (error) {
      if (!(error instanceof DownloadError) || error.code !== 'interrupted' || attempt >= retries) throw error;
      resumed = true;
      await delay(options.retryDelayMs ?? 1000, options.signal);
    }
  }
  const verified = await verify(part, request);
  await rename(part, request.destination);
  return { path: request.destination, ...verified, resumed };
}

async function fetchToPart(request: DownloadRequest, part: string, options: DownloadOptions): Promise<{ resumedFrom: number }> {
  throwIfCancelled(options.signal);
  let offset = await sizeOf(part);
  if (request.bytes && offset > request.bytes) {
    await rm(part, { force: true });
    offset = 0;
  }
  const response = await requestWithRedirects(request.url, offset, options.signal);
  const status = response.statusCode ?? 0;
  if (status === 416 && offset > 0) {
    // The .part already holds every byte the server has: verification decides.
    response.resume();
    return { resumedFrom: offset };
  }
  if (status === 404 || status === 410) {
    response.resume();
    throw new DownloadError('notFound', `The model is not at ${request.url} (HTTP ${status}). The catalogue entry may be out of date.`);
  }
  if (status !== 200 && status !== 206) {
    response.resume();
    throw new DownloadError('http', `Downloading ${request.url} failed: HTTP ${status} ${response.statusMessage ?? ''}`.trim());
  }
  const append = status === 206 && offset > 0 && contentRangeStart(response) === offset;
  const limit = request.bytes ?? request.maxBytes ?? defaultMaxDownloadBytes;
  if (!append) offset = 0; // the server sent the whole file
  const length = Number(response.headers['content-length']);
  const totalBytes = Number.isFinite(length) ? offset + length : request.bytes ?? undefined;
  if (request.bytes && totalBytes !== undefined && totalBytes !== request.bytes) {
    response.resume();
    throw new DownloadError('size', `The server offers ${totalBytes} bytes for ${request.url}, the catalogue expects ${request.bytes}.`);
  }
  if (totalBytes !== undefined && totalBytes > limit) {
    response.resume();
    throw new DownloadError('size', `The server offers ${totalBytes} bytes for ${request.url}, more than the ${limit} expected.`);
  }
  let received = append ? offset : 0;
  options.onProgress?.({ receivedBytes: received, totalBytes });
  const file = createWriteStream(part, { flags: append ? 'a' : 'w' });
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error, discard = false) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      file.end(() => {
        if (!error) resolve();
        else if (discard) void rm(part, { force: true }).then(() => reject(error), () => reject(error));
        else reject(error);
      });
    };
    const onAbort = () => {
      // Settled before the response is destroyed, whose 'aborted' event would otherwise say "interrupted".
      finish(new DownloadError('cancelled', 'The download was cancelled; running it again resumes it.'));
      response.destroy();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    response.on('data', (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (received > limit) {
        // Settle first: destroying the response emits 'aborted' at once, which would report an interruption.
        finish(new DownloadError('size', `The download from ${request.url} passed ${limit} bytes, more than the model can be; it was stopped and deleted.`), true);
        response.destroy();
        return;
      }
      if (!file.write(chunk)) {
        response.pause();
        file.once('drain', () => response.resume());
      }
      options.onProgress?.({ receivedBytes: received, totalBytes });
    });
    // Whatever event the abort shows up as first (close, aborted, error), a cancel is reported as cancelled.
    const cancelled = () => (options.signal?.aborted ? (onAbort(), true) : false);
    response.on('end', () => {
      if (cancelled()) return;
      if (totalBytes !== undefined && received < totalBytes) {
        finish(new DownloadError('interrupted', `The download stopped at ${received} of ${totalBytes} bytes.`));
      } else {
        finish();
      }
    });
    response.on('close', () => {
      if (cancelled()) return;
      if (totalBytes !== undefined && received < totalBytes) finish(new DownloadError('interrupted', `The connection closed at ${received} of ${totalBytes} bytes.`));
    });
    response.on('aborted', () => cancelled() || finish(new DownloadError('interrupted', `The connection closed at ${received} of ${totalBytes ?? '?'} bytes.`)));
    response.on('error', (error) => cancelled() || finish(new DownloadError('interrupted', `The connection failed at ${received} bytes: ${error.message}`)));
    file.on('error', (error) => {
      response.destroy();
      finish(new DownloadError('network', `Writing ${part} failed: ${error.message}`));
    });
  });
  return { resumedFrom: append ? offset : 0 };
}

/** Checks the finished `.part`; deletes it and throws when it is not the expected model. */
async function verify(part: string, request: DownloadRequest): Promise<{ sha256: string; bytes: number }> {
  const bytes = await sizeOf(part);
  const fail = async (code: DownloadErrorCode, message: string): Promise<never> => {
    await rm(part, { force: true });
    throw new DownloadError(code, `${message} The damaged file was deleted; download it again.`);
  };
  if (request.bytes && bytes !== request.bytes) await fail('size', `The downloaded file has ${bytes} bytes, not ${request.bytes}.`);
  const head = Buffer.alloc(4);
  const handle = await open(part, 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (head.toString('latin1') !== 'GGUF') await fail('notGguf', `The downloaded file from ${request.url} is not a GGUF model.`);
  const sha256 = await hashFile(part);
  if (request.sha256 && sha256 !== request.sha256) {
    await fail('checksum', `The downloaded model is corrupt: its sha256 is ${sha256}, the catalogue expects ${request.sha256}.`);
  }
  return { sha256, bytes };
}

function requestWithRedirects(url: string, offset: number, signal: AbortSignal | undefined, redirects = 0): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new DownloadError('http', `Not a valid URL: ${url}`));
      return;
    }
    const get = parsed.protocol === 'https:' ? httpsGet : parsed.protocol === 'http:' ? httpGet : undefined;
    if (!get) {
      reject(new DownloadError('http', `Unsupported URL scheme in ${url}`));
      return;
    }
    const headers: Record<string, string> = { 'user-agent': 'cobol-assist' };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    const req = get(parsed, { headers, signal }, (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        if (redirects >= maxRedirects) {
          reject(new DownloadError('http', `Too many redirects from ${url}`));
          return;
        }
        const next = new URL(location, parsed);
        // An https download stays https: a redirect to plain http could be read or changed on the way.
        if (parsed.protocol === 'https:' && next.protocol !== 'https:') {
          reject(new DownloadError('http', `${parsed.host} redirected the download to ${next.protocol}//${next.host}, which is not https; refused.`));
          return;
        }
        requestWithRedirects(next.toString(), offset, signal, redirects + 1).then(resolve, reject);
        return;
      }
      resolve(response);
    });
    req.on('error', (error) => {
      if (signal?.aborted || (error as NodeJS.ErrnoException).name === 'AbortError') reject(new DownloadError('cancelled', 'The download was cancelled; running it again resumes it.'));
      else reject(new DownloadError('network', `Cannot reach ${parsed.host}: ${error.message}`));
    });
  });
}

function contentRangeStart(response: IncomingMessage): number | undefined {
  const match = /^bytes (\d+)-/.exec(String(response.headers['content-range'] ?? ''));
  return match ? Number(match[1]) : undefined;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DownloadError('cancelled', 'The download was cancelled; running it again resumes it.');
}

function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new DownloadError('cancelled', 'The download was cancelled; running it again resumes it.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
