/**
 * Garbage input cannot flood the editor: a run of unexpected characters is
 * one diagnostic, control characters are named (U+0000), not written raw,
 * and a file reports at most 1,000 diagnostics (errors first) plus one note
 * counting the rest.
 */
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { analyse, fixed } from './helpers';

const procedure = (...lines: string[]) => fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'PROCEDURE DIVISION.', ...lines, '    STOP RUN.');
const unexpected = (text: string, format: 'auto' | 'fixed' | 'free' = 'auto') =>
  analyse(text, {}, format).diagnostics.filter((d) => d.code === 'syntax/unexpected-character');

describe('unexpected characters', () => {
  it.each([
    ['@', "Unexpected character '@'."],
    ['\u0000', 'Unexpected character U+0000.'],
    ['@@@', "Unexpected character '@', 3 times in a row."],
    ['@ @\t@', "Unexpected character '@', 3 times."],
    ['@#\u0000$', "Unexpected characters '@#<U+0000>$' (4)."],
    ['\u00a0\u00a0', 'Unexpected character U+00A0, 2 times in a row.'],
  ])('%j is one diagnostic: %s', (garbage, message) => {
    const found = unexpected(procedure(`    DISPLAY ${garbage}`));
    expect(found.map((d) => d.message)).toEqual([message]);
    expect(found[0].range.end.character - found[0].range.start.character).toBe(garbage.length);
  });

  it('keeps runs apart when a word stands between them', () => {
    expect(unexpected(procedure('    DISPLAY @@ X ##'))).toHaveLength(2);
  });

  it.each([
    ['@', "Unexpected character '@', 1,048,576 times in a row."],
    ['\u0000', 'Unexpected character U+0000, 1,048,576 times in a row.'],
  ])('a 1 MB line of %j is one diagnostic, quickly', (character, message) => {
    const started = performance.now();
    const analysis = analyse(character.repeat(1 << 20), {}, 'free');
    // Generous for a shared 2-core machine; it takes well under 100 ms alone.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(analysis.diagnostics.filter((d) => d.code === 'syntax/unexpected-character').map((d) => d.message)).toEqual([message]);
    expect(analysis.diagnostics.length).toBeLessThanOrEqual(3);
  });

  it('never writes a control character into any message', () => {
    const analysis = analyse(procedure("    DISPLAY '\u0001\u0002' \u0000 X\u0007Y"), {}, 'fixed');
    expect(analysis.diagnostics.length).toBeGreaterThan(0);
    for (const d of analysis.diagnostics) expect(d.message).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
});

describe('diagnostics per file', () => {
  it('reports at most 1,000 and then one note with the count of the rest', () => {
    const analysis = analyse(procedure(...Array.from({ length: 3000 }, (_, i) => `    MOVE @ TO UNDEFINED-${i}`)));
    expect(analysis.diagnostics).toHaveLength(1001);
    const note = analysis.diagnostics[1000];
    expect(note).toMatchObject({ severity: 'information', code: 'diagnostics/truncated' });
    expect(note.message).toMatch(/^5,000 more problems in this file not shown: at most 1,000 are reported per file, errors first\.$/);
  });

  it('keeps errors before warnings', () => {
    const tabs = Array.from({ length: 1500 }, () => '|           CONTINUE\t');
    const analysis = analyse(procedure(...tabs, ...Array.from({ length: 10 }, () => '    DISPLAY @')), {}, 'fixed');
    const codes = analysis.diagnostics.map((d) => d.code);
    expect(codes.filter((code) => code === 'syntax/unexpected-character')).toHaveLength(10);
    expect(codes.filter((code) => code === 'fixed-format/tab')).toHaveLength(990);
    expect(codes.at(-1)).toBe('diagnostics/truncated');
  });

  it('leaves a file under the limit untouched', () => {
    const analysis = analyse(procedure(...Array.from({ length: 999 }, () => '    DISPLAY @')));
    expect(analysis.diagnostics.filter((d) => d.code === 'syntax/unexpected-character')).toHaveLength(999);
    expect(analysis.diagnostics.map((d) => d.code)).not.toContain('diagnostics/truncated');
  });
});
