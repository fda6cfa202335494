import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cobcMissingMessage, cobcVersion } from '../../../server/cli/cobc';
import { parseCobcOutput, runCobc } from '../../../server/lsp/cobcCheck';

const corpus = path.resolve(__dirname, '../../fixtures/corpus');

describe('cobc on save', () => {
  it('parses cobc messages into files, zero-based lines and severities', () => {
    const output = [
      "prog.cbl: in paragraph 'MAIN':",
      'prog.cbl:12: error: syntax error, unexpected Identifier',
      '/abs/COPY.cpy:3: warning: line not terminated by a separator',
      'cobc: error: something general',
    ].join('\n');
    expect(parseCobcOutput(output, '/work')).toEqual([
      { file: '/work/prog.cbl', line: 11, severity: 'error', message: 'syntax error, unexpected Identifier' },
      { file: '/abs/COPY.cpy', line: 2, severity: 'warning', message: 'line not terminated by a separator' },
    ]);
  });

  it('says clearly when cobc is missing', async () => {
    const result = await runCobc({ command: 'no-such-cobc-here', file: path.join(corpus, 'programs/PAYROLL1.cbl'), includeFolders: [], free: false, timeoutMs: 5000 });
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('was not found') });
  });

  // Needs cobc (scripts/setup.sh installs it): without it this fails, it does not skip.
  it('runs the real cobc: a valid program gives nothing, an undefined name gives an error on its line', async () => {
    expect(cobcVersion(), cobcMissingMessage).toBeDefined();
    const include = [path.join(corpus, 'copybooks')];
    const valid = await runCobc({ command: 'cobc', file: path.join(corpus, 'programs/PAYROLL1.cbl'), includeFolders: include, free: false, timeoutMs: 20_000 });
    expect(valid).toEqual({ ok: true, messages: [] });
    const invalid = await runCobc({ command: 'cobc', file: path.join(corpus, 'invalid/undefined-name.cbl'), includeFolders: include, free: false, timeoutMs: 20_000 });
    expect(invalid.ok && invalid.messages.some((m) => m.severity === 'error' && m.line === 18)).toBe(true);
  });
});
