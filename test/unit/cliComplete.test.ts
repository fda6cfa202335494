/**
 * `cobol-assist complete`: argument parsing, and one run in-process on the
 * demo workspace with the bundled model (the JSON the editor would show).
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../server/cli/args';
import { runComplete } from '../../server/cli/complete';

const root = resolve(__dirname, '../..');
const cwd = resolve(root, 'test/fixtures/workspace');

describe('cobol-assist complete', () => {
  it('parses FILE --line --column with copybook paths and switches, and explains mistakes', () => {
    expect(parseArgs(['complete', 'A.cbl', '--line', '3', '--column', '12', '-I', 'copy', '--no-context'])).toMatchObject({ kind: 'complete', file: 'A.cbl', line: 3, column: 12, copybookPaths: ['copy'], context: false, names: true });
    expect(parseArgs(['complete', 'A.cbl', '--line', '0', '--column', '1'])).toMatchObject({ kind: 'usage-error', message: expect.stringContaining('1-based') });
    expect(parseArgs(['complete', 'A.cbl'])).toMatchObject({ kind: 'usage-error', message: expect.stringContaining('--line and --column') });
    expect(parseArgs(['complete', '--help'])).toEqual({ kind: 'help', command: 'complete' });
  });

  it('prints the suggestion, model, latency and stage timings as JSON', async () => {
    let out = '';
    let err = '';
    const io = { cwd, stdout: (text: string) => void (out += text), stderr: (text: string) => void (err += text) };
    const code = await runComplete({ kind: 'complete', file: 'CUSTRPT.cbl', line: 39, column: 21, copybookPaths: ['copybooks'], format: 'auto', context: true, names: true, modelPath: '' }, io, root);
    expect(err).toBe('');
    expect(code).toBe(0);
    const printed = JSON.parse(out);
    expect(printed).toMatchObject({ model: 'cobol-slm-small', source: 'model', text: expect.stringMatching(/^000-PROCESS-CUSTOMER/) });
    expect(printed.latencyMs).toBeGreaterThan(0);
    expect(printed.stages).toHaveProperty('generationMs');
  });

  it('refuses a position outside the file with exit status 2', async () => {
    let err = '';
    const io = { cwd, stdout: () => {}, stderr: (text: string) => void (err += text) };
    const code = await runComplete({ kind: 'complete', file: 'CUSTRPT.cbl', line: 5000, column: 1, copybookPaths: [], format: 'auto', context: true, names: true, modelPath: '' }, io, root);
    expect(code).toBe(2);
    expect(err).toMatch(/outside the file/);
  });
});
