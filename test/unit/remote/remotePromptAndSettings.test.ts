/**
 * Pure parts of the remote client: prompts cut to a character budget at line
 * boundaries, chat answers cleaned to the text to insert, and the remote and
 * router settings parsed with bad values falling back to defaults.
 */
import { describe, expect, it } from 'vitest';
import { buildChatMessages, cleanChatAnswer, cursorMarker, prefixTail, suffixHead } from '../../../server/remote/remotePrompt';
import { defaultRemoteSettings, defaultRouterSettings, parseRemoteSettings, parseRouterSettings } from '../../../server/remote/remoteSettings';
import { takeRemoteApiKey } from '../../../server/remote/remoteApiKey';
import { remoteApiKeyEnvironmentVariable } from '../../../server/protocol';

describe('remote prompts', () => {
  const lines = Array.from({ length: 100 }, (_, i) => `LINE-${String(i).padStart(3, '0')}`).join('\n');

  it('the prefix keeps its end, from a line start; the suffix its start, to a line end', () => {
    const tail = prefixTail(lines, 50);
    expect(tail.length).toBeLessThanOrEqual(50);
    expect(tail.startsWith('LINE-')).toBe(true);
    expect(lines.endsWith(tail)).toBe(true);
    const head = suffixHead(lines, 50);
    expect(head.endsWith('\n')).toBe(true);
    expect(lines.startsWith(head)).toBe(true);
    expect(prefixTail('short', 50)).toBe('short');
  });

  it('chat: the code with a cursor marker, and an instruction for the line only', () => {
    const [system, user] = buildChatMessages('           MOVE A', ' TO B\n', true);
    expect(system!.content).toMatch(/rest of the line/);
    expect(user!.content).toBe(`           MOVE A${cursorMarker} TO B\n`);
  });

  it.each([
    ['plain', 'UN.', '           STOP R', 'UN.'],
    ['fenced', '```cobol\nUN.\n```', '           STOP R', 'UN.'],
    ['repeats the whole line', '           STOP RUN.', '           STOP R', 'UN.'],
    ['repeats the typed words', 'STOP RUN.', '           STOP R', 'UN.'],
    ['echoes the marker', `UN.${cursorMarker}`, '           STOP R', 'UN.'],
  ])('cleans a chat answer: %s', (_, answer, prefix, expected) => {
    expect(cleanChatAnswer(answer, prefix)).toBe(expected);
  });
});

describe('remote and router settings', () => {
  it('defaults when absent or wrong', () => {
    expect(parseRemoteSettings(undefined)).toEqual(defaultRemoteSettings);
    expect(parseRemoteSettings({ remote: { endpoint: 'ftp://x', timeoutMs: -5, concurrency: 0.5, api: 'soap', pricePer1kTokens: -1 } })).toEqual(defaultRemoteSettings);
    expect(parseRouterSettings({ router: { mode: 'sometimes', targetRemoteShare: 2, costBudgetPer1kRequests: -3 } })).toEqual(defaultRouterSettings);
  });

  it('takes good values; an endpoint loses its trailing slash', () => {
    expect(parseRemoteSettings({ remote: { endpoint: 'http://127.0.0.1:8012/v1/', model: 'm', api: 'chat', timeoutMs: 900, concurrency: 4, pricePer1kTokens: 0.002 } }))
      .toEqual({ endpoint: 'http://127.0.0.1:8012/v1', model: 'm', api: 'chat', timeoutMs: 900, concurrency: 4, pricePer1kTokens: 0.002 });
    expect(parseRouterSettings({ router: { mode: 'remote', targetRemoteShare: 0.3, costBudgetPer1kRequests: 5 } })).toEqual({ mode: 'remote', targetRemoteShare: 0.3, costBudgetPer1kRequests: 5 });
  });

  it('the API key is taken out of the environment (no child process inherits it)', () => {
    const environment: NodeJS.ProcessEnv = { [remoteApiKeyEnvironmentVariable]: ' sk-abc ', PATH: '/bin' };
    expect(takeRemoteApiKey(environment)).toBe('sk-abc');
    expect(environment).toEqual({ PATH: '/bin' });
    expect(takeRemoteApiKey({})).toBe('');
  });
});
