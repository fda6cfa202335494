/**
 * The model downloader against a real HTTP server on 127.0.0.1 serving a real
 * GGUF: complete, interrupted then resumed (HTTP Range), corrupted (sha256
 * mismatch: deleted), 404, cancelled (the .part is kept and resumed later),
 * and a server that ignores Range.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadProgress, downloadModel } from '../../../extension/modelDownload';
import { writeTinyGguf } from '../model-host/tinyGguf';

const dir = mkdtempSync(join(tmpdir(), 'model-download-'));
const source = join(dir, 'served.gguf');
writeTinyGguf(source);
const model = readFileSync(source);
const sha256 = createHash('sha256').update(model).digest('hex');

/** How the server behaves for the next requests (set per test). */
let behaviour: { cutAfter?: number; ignoreRange?: boolean; slow?: boolean; body?: Buffer } = {};
const requests: { range: string | undefined }[] = [];
let server: Server;
let base = '';

function serve(request: IncomingMessage, response: ServerResponse): void {
  requests.push({ range: request.headers.range });
  if (request.url === '/moved.gguf') {
    response.writeHead(302, { location: '/model.gguf' }).end();
    return;
  }
  if (request.url !== '/model.gguf') {
    response.writeHead(404).end('not found');
    return;
  }
  const body = behaviour.body ?? model;
  const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = range && !behaviour.ignoreRange ? Number(range[1]) : 0;
  if (start >= body.length) {
    response.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
    return;
  }
  const headers: Record<string, string | number> = { 'content-length': body.length - start, 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' };
  if (start > 0) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
  response.writeHead(start > 0 ? 206 : 200, headers);
  const cut = behaviour.cutAfter;
  if (cut !== undefined && cut > start) {
    behaviour.cutAfter = undefined; // only the first response is cut
    response.write(body.subarray(start, cut), () => response.socket?.destroy());
    return;
  }
  if (behaviour.slow) {
    let at = start;
    const timer = setInterval(() => {
      if (response.destroyed || at >= body.length) {
        clearInterval(timer);
        response.end();
        return;
      }
      response.write(body.subarray(at, at + 4096));
      at += 4096;
    }, 20);
    response.on('close', () => clearInterval(timer));
    return;
  }
  response.end(body.subarray(start));
}

beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  behaviour = {};
  requests.length = 0;
});

let n = 0;
const destination = () => join(dir, `out-${++n}`, 'model.gguf');

describe('downloadModel', () => {
  it('downloads, verifies the sha256, reports progress and leaves no .part', async () => {
    const target = destination();
    const progress: DownloadProgress[] = [];
    const result = await downloadModel({ url: `${base}/model.gguf`, destination: target, sha256, bytes: model.length }, { onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ path: target, sha256, bytes: model.length, resumed: false });
    expect(readFileSync(target).equals(model)).toBe(true);
    expect(existsSync(`${target}.part`)).toBe(false);
    expect(progress.at(-1)).toEqual({ receivedBytes: model.length, totalBytes: model.length });
  });

  it('follows redirects (Hugging Face resolve URLs redirect to a CDN)', async () => {
    const result = await downloadModel({ url: `${base}/moved.gguf`, destination: destination(), sha256 });
    expect(result.sha256).toBe(sha256);
  });

  it('resumes an interrupted download with a Range request', async () => {
    behaviour.cutAfter = 100_000;
    const target = destination();
    const result = await downloadModel({ url: `${base}/model.gguf`, destination: target, sha256 }, { retryDelayMs: 10 });
    expect(result.resumed).toBe(true);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.range).toBeUndefined();
    // The second request asks for the rest: from what arrived (at most the 100,000 bytes sent).
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(requests[1]!.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(100_000);
    expect(readFileSync(target).equals(model)).toBe(true);
  });

  it('keeps the .part when retries run out, and the next run resumes it', async () => {
    behaviour.cutAfter = 50_000;
    const target = destination();
    await expect(downloadModel({ url: `${base}/model.gguf`, destination: target, sha256 }, { retries: 0 })).rejects.toMatchObject({ code: 'interrupted' });
    const kept = statSync(`${target}.part`).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(50_000);
    const result = await downloadModel({ url: `${base}/model.gguf`, destination: target, sha256 });
    expect(result).toMatchObject({ resumed: true, sha256 });
    expect(requests.at(-1)?.range).toBe(`bytes=${kept}-`);
  });

  it('restarts from zero when the server ignores Range', async () => {
    behaviour.cutAfter = 30_000;
    const target = destination();
    await expect(downloadModel({ url: `${base}/model.gguf`, destination: target, sha256 }, { retries: 0 })).rejects.toMatchObject({ code: 'interrupted' });
    behaviour.ignoreRange = true;
    const result = await downloadModel({ url: `${base}/model.gguf`, destination: target, sha256 });
    expect(result.resumed).toBe(false);
    expect(readFileSync(target).equals(model)).toBe(true);
  });

  it('deletes a corrupt download (sha256 mismatch) and says so', async () => {
    const corrupt = Buffer.from(model);
    corrupt[corrupt.length - 10] ^= 0xff;
    behaviour.body = corrupt;
    const target = destination();
    const error = await downloadModel({ url: `${base}/model.gguf`, destination: target, sha256 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'DownloadError', code: 'checksum' });
    expect((error as Error).message).toMatch(/corrupt.*deleted/s);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(`${target}.part`)).toBe(false);
  });

  it('rejects a file that is not GGUF even without a known sha256', async () => {
    behaviour.body = Buffer.from('<html>Sign in to download</html>');
    const target = destination();
    await expect(downloadModel({ url: `${base}/model.gguf`, destination: target, sha256: null })).rejects.toMatchObject({ code: 'notGguf' });
    expect(existsSync(`${target}.part`)).toBe(false);
  });

  it('accepts any GGUF of the right size when the sha256 is unknown, and returns its hash', async () => {
    const result = await downloadModel({ url: `${base}/model.gguf`, destination: destination(), sha256: null, bytes: model.length });
    expect(result.sha256).toBe(sha256);
  });

  it('reports 404 as notFound', async () => {
    const target = destination();
    await expect(downloadModel({ url: `${base}/missing.gguf`, destination: target, sha256 })).rejects.toMatchObject({ code: 'notFound', message: expect.stringContaining('404') });
    expect(existsSync(`${target}.part`)).toBe(false);
  });

  it('reports an unreachable host as network', async () => {
    await expect(downloadModel({ url: 'http://127.0.0.1:1/model.gguf', destination: destination(), sha256 })).rejects.toMatchObject({ code: 'network' });
  });

  it('stops at once when cancelled, keeps the .part, and resumes on the next run', async () => {
    behaviour.slow = true;
    const target = destination();
    const controller = new AbortController();
    const pending = downloadModel({ url: `${base}/model.gguf`, destination: target, sha256 }, {
      signal: controller.signal,
      onProgress: (p) => { if (p.receivedBytes >= 40_000) controller.abort(); },
    });
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    const kept = statSync(`${target}.part`).size;
    expect(kept).toBeGreaterThanOrEqual(40_000);
    expect(kept).toBeLessThan(model.length);
    behaviour.slow = false;
    const result = await downloadModel({ url: `${base}/model.gguf`, destination: target, sha256 });
    expect(result).toMatchObject({ resumed: true, sha256 });
  });

  it('replaces nothing when a previous file is in the way of a failed download', async () => {
    const target = destination();
    await downloadModel({ url: `${base}/model.gguf`, destination: target, sha256 });
    writeFileSync(`${target}.part`, Buffer.alloc(10));
    behaviour.body = Buffer.from('not a model at all, but long enough');
    await expect(downloadModel({ url: `${base}/model.gguf`, destination: target, sha256 })).rejects.toBeTruthy();
    expect(readFileSync(target).equals(model)).toBe(true);
  });
});
