/**
 * The pieces behind issue 14's defences, one by one: the file-access gate,
 * the GGUF header reader, the cobc command lookup and the model-settings
 * clamp. The end-to-end cases are in test/security/.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readGated } from '../../../server/cobol/fileGate';
import { lex } from '../../../server/cobol/lexer';
import { applyReplacing, parseReplacingRules } from '../../../server/cobol/replacing';
import { resolveCommand } from '../../../server/lsp/cobcCheck';
import { readGgufHeader } from '../../../server/model/ggufHeader';
import { fitModelSettings } from '../../../server/model/threads';
import { writeTinyGguf } from '../model-host/tinyGguf';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gates-')));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = join(dir, 'root');
mkdirSync(root);
const policy = { roots: [root], maxBytes: 1024 };

describe('file-access gate', () => {
  it('reads a regular file under a root', () => {
    writeFileSync(join(root, 'A.cpy'), 'hello');
    expect(readGated(join(root, 'A.cpy'), policy)).toEqual({ text: 'hello', realPath: join(root, 'A.cpy') });
  });

  it('refuses a file outside the roots, also through a link, without reading it', () => {
    writeFileSync(join(dir, 'secret.txt'), 'SECRET');
    symlinkSync('../secret.txt', join(root, 'LINK.cpy'));
    for (const path of [join(dir, 'secret.txt'), join(root, 'LINK.cpy'), join(root, '..', 'secret.txt')]) {
      const result = readGated(path, policy);
      expect(result).toMatchObject({ problem: 'outside' });
      expect(JSON.stringify(result)).not.toContain('SECRET"');
    }
  });

  it('refuses a FIFO at once, a device, a folder and a file over the size limit', () => {
    expect(spawnSync('mkfifo', [join(root, 'PIPE.cpy')]).status).toBe(0);
    expect(readGated(join(root, 'PIPE.cpy'), policy)).toMatchObject({ problem: 'notRegular' });
    expect(readGated('/dev/zero', { maxBytes: 1024 })).toMatchObject({ problem: 'notRegular' });
    expect(readGated(root, { maxBytes: 1024 })).toMatchObject({ problem: 'notRegular' });
    const big = join(root, 'BIG.cpy');
    writeFileSync(big, '');
    const fd = openSync(big, 'r+');
    ftruncateSync(fd, 4096);
    closeSync(fd);
    expect(readGated(big, policy)).toMatchObject({ problem: 'tooLarge', reason: expect.stringContaining('the limit is 1 KB') });
  });

  it('refuses network paths before touching them, and tells missing from unreadable', () => {
    expect(readGated('\\\\host\\share\\X', policy)).toMatchObject({ problem: 'network' });
    expect(readGated('//host/share/X', policy)).toMatchObject({ problem: 'network' });
    expect(readGated(join(root, 'NONE.cpy'), policy)).toMatchObject({ problem: 'missing' });
    symlinkSync('LOOP.cpy', join(root, 'LOOP.cpy'));
    expect(readGated(join(root, 'LOOP.cpy'), policy)).toMatchObject({ problem: 'unreadable', reason: expect.stringContaining('too many symbolic links') });
  });
});

describe('GGUF header reader', () => {
  const u64 = (value: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(value);
    return b;
  };
  const u32 = (value: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    return b;
  };

  it('reads a good file: architecture, tensors, data offset', () => {
    const path = join(dir, 'good.gguf');
    writeTinyGguf(path);
    const header = readGgufHeader(path);
    expect(header.metadata.get('general.architecture')).toBe('llama');
    expect(header.tensors.length).toBeGreaterThan(0);
    expect(header.dataOffset % 32).toBe(0);
  });

  it('refuses counts the file cannot hold, without allocating them', () => {
    const tensors = join(dir, 'tensors.gguf');
    writeFileSync(tensors, Buffer.concat([Buffer.from('GGUF'), u32(3), u64(2n ** 62n), u64(0n), Buffer.alloc(64)]));
    expect(() => readGgufHeader(tensors)).toThrow(/tensor count 4611686018427387904 exceeds/);
    const array = join(dir, 'array.gguf');
    const key = Buffer.concat([u64(1n), Buffer.from('a')]);
    writeFileSync(array, Buffer.concat([Buffer.from('GGUF'), u32(3), u64(0n), u64(1n), key, u32(9), u32(0), u64(2n ** 33n), Buffer.alloc(64)]));
    expect(() => readGgufHeader(array)).toThrow(/array length 8589934592 exceeds/);
    const text = join(dir, 'string.gguf');
    writeFileSync(text, Buffer.concat([Buffer.from('GGUF'), u32(3), u64(0n), u64(1n), u64(2n ** 40n), Buffer.alloc(64)]));
    expect(() => readGgufHeader(text)).toThrow(/metadata key of 1099511627776 bytes/);
  });

  it.each([
    ['llama.block_count', 100_000, /block_count is 100000/],
    ['llama.attention.head_count', 0, /head_count is 0/],
    ['llama.embedding_length', 0, /embedding_length is 0/],
  ])('refuses %s = %d', (key, value, message) => {
    const path = join(dir, `${key}-${value}.gguf`);
    writeTinyGguf(path);
    const bytes = readFileSync(path);
    const at = bytes.indexOf(Buffer.concat([u64(BigInt(key.length)), Buffer.from(key), u32(4)]));
    bytes.writeUInt32LE(value, at + 8 + key.length + 4);
    writeFileSync(path, bytes);
    expect(() => readGgufHeader(path)).toThrow(message);
  });
});

describe('cobc command lookup', () => {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'mycobc'), '#!/bin/sh\n');
  chmodSync(join(bin, 'mycobc'), 0o755);

  it('refuses relative paths and finds names only in absolute PATH folders', () => {
    expect(resolveCommand('./evil.sh')).toMatchObject({ refused: expect.stringContaining('relative path') });
    expect(resolveCommand('bin/cobc')).toMatchObject({ refused: expect.stringContaining('relative path') });
    expect(resolveCommand('mycobc', { PATH: ['.', 'bin', '', bin].join(':') })).toEqual({ path: join(bin, 'mycobc') });
    expect(resolveCommand('mycobc', { PATH: ['.', 'bin', ''].join(':') })).toMatchObject({ refused: expect.stringContaining('not found') });
    expect(resolveCommand(join(bin, 'mycobc'))).toEqual({ path: join(bin, 'mycobc') });
  });
});

describe('model settings fitted to the machine and the model', () => {
  it('lowers threads past the cores and a context past the trained one, with a sentence each', () => {
    const fitted = fitModelSettings({ threads: 256, contextSize: 131_072 }, { cores: 4, parameters: 5e6, trainContextSize: 512 });
    expect(fitted).toMatchObject({ threads: 4, contextSize: 512 });
    expect(fitted.adjustments).toEqual([
      "cobolAssist.model.threads 256 is more than this machine's 4 cores; using 4.",
      'cobolAssist.model.contextSize 131072 is more than the 512 tokens the model was trained with; using 512.',
    ]);
    expect(fitModelSettings({ threads: 0, contextSize: 0 }, { cores: 4, parameters: 5e6, trainContextSize: 512 })).toEqual({ threads: 1, contextSize: 512, adjustments: [] });
  });
});

describe('REPLACING through the rule index', () => {
  const replaceWith = (ruleCount: number, text: string) => {
    const rulesText = Array.from({ length: ruleCount }, (_, i) => `LEADING ==${i === 0 ? 'WS' : `T${i}`}-== BY ==T${i + 1}-==`).join(' ');
    const ruleTokens = lex(rulesText, 0, 'free').tokens;
    const { rules, error } = parseReplacingRules(ruleTokens, 0);
    expect(error).toBeUndefined();
    return applyReplacing(lex(text, 0, 'free').tokens, rules).map((token) => token.text).join(' ');
  };

  it('applies partial rules in order, each to what the earlier left, with few rules (scanned) and many (indexed)', () => {
    expect(replaceWith(3, 'WS-NAME OTHER')).toBe('T3-NAME OTHER');
    expect(replaceWith(12, 'WS-NAME OTHER')).toBe('T12-NAME OTHER');
  });

  it('refuses growth past the limit before building anything', () => {
    const ruleTokens = lex('==X== BY ==X X X X X X X X X X==', 0, 'free').tokens;
    const { rules } = parseReplacingRules(ruleTokens, 0);
    const tokens = lex('X X X X X X X X X X', 0, 'free').tokens;
    expect(applyReplacing(tokens, rules, 99)).toBeUndefined();
    expect(applyReplacing(tokens, rules, 100)).toHaveLength(100);
  });
});
