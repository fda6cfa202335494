/**
 * Corpus generators: deterministic per seed, varied in shape and layout, and
 * their programs pass `cobc -fsyntax-only` (EXEC programs through the EXEC
 * check's compilable twin). Also the EXEC check's own rules.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExec, DFHAID_STUB } from '../../../models/pipeline/corpus/exec-check';
import { generateProgram } from '../../../models/pipeline/corpus/generate';
import { codeLineSpans } from '../../../models/pipeline/samples';

import { cobcMissingMessage, cobcVersion, runCobcSync } from '../../../server/cli/cobc';

describe('corpus generators', () => {
  it('are deterministic for a seed', () => {
    expect(generateProgram(77).text).toBe(generateProgram(77).text);
    expect(generateProgram(77).text).not.toBe(generateProgram(78).text);
  });

  it('vary archetypes, layouts and letter case', () => {
    const gens = Array.from({ length: 80 }, (_, i) => generateProgram(3000 + i));
    expect(new Set(gens.map((g) => g.archetype)).size).toBeGreaterThanOrEqual(7);
    expect(gens.some((g) => g.free)).toBe(true);
    expect(gens.some((g) => /^\d{6}/m.test(g.text))).toBe(true);
    expect(gens.some((g) => /^ {7}\S/m.test(g.text) && !/^\d{6}/m.test(g.text))).toBe(true);
    expect(gens.some((g) => /\bprocedure division\b/.test(g.text))).toBe(true);
    expect(gens.some((g) => /^.{72}\S/m.test(g.text))).toBe(true); // columns 73-80 filled
    for (const feature of [/SEARCH ALL/, /UNSTRING/, /INSPECT/, /COMPUTE .* ROUNDED/, /ON SIZE ERROR/, /EXEC SQL/, /EXEC CICS/, /LINKAGE SECTION/, /COPY \S+ REPLACING/, /EVALUATE/, /PERFORM VARYING/, /END PROGRAM/, /FILE STATUS/]) {
      expect(gens.some((g) => feature.test(g.text.toUpperCase())), String(feature)).toBe(true);
    }
  });

  it('produce programs cobc accepts (most of them; the corpus stage drops the rest)', () => {
    expect(cobcVersion(), cobcMissingMessage).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'corpus-test-'));
    try {
      let ok = 0;
      const n = 24;
      for (let i = 0; i < n; i++) {
        const g = generateProgram(7000 + i);
        for (const [name, text] of g.copybooks) writeFileSync(join(dir, `${name}.cpy`), text);
        writeFileSync(join(dir, 'DFHAID.cpy'), DFHAID_STUB);
        const text = g.hasExec ? checkExec(g.text, g.free, [...g.copybooks.values()].join('\n')).compilable : g.text;
        writeFileSync(join(dir, 'p.cbl'), text);
        if (runCobcSync(join(dir, 'p.cbl'), { free: g.free, includeFolders: [dir] }).ok) ok++;
      }
      expect(ok / n).toBeGreaterThan(0.8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('EXEC check', () => {
  const prog = (body: string, ws = '       01  WS-ID PIC X(8).') =>
    ['       IDENTIFICATION DIVISION.', '       PROGRAM-ID. T.', '       DATA DIVISION.', '       WORKING-STORAGE SECTION.', ws, '       PROCEDURE DIVISION.', body, '           GOBACK.'].join('\n') + '\n';

  it('replaces EXEC blocks by CONTINUE and adds the SQLCA / EIB stubs', () => {
    const r = checkExec(prog('           EXEC SQL\n             SELECT 1 INTO :WS-ID FROM T\n           END-EXEC'), false);
    expect(r.ok).toBe(true);
    expect(r.compilable).toMatch(/^ {11}CONTINUE$/m);
    expect(r.compilable).toMatch(/SQLCODE/);
    expect(r.compilable).not.toMatch(/EXEC SQL/);
  });

  it('rejects an unclosed block and an undeclared host variable', () => {
    expect(checkExec(prog('           EXEC SQL SELECT 1 FROM T'), false).problems[0]).toMatch(/without END-EXEC/);
    expect(checkExec(prog('           EXEC SQL SELECT 1 INTO :WS-NOPE FROM T END-EXEC'), false).problems[0]).toMatch(/WS-NOPE/);
  });

  it('turns EXEC SQL INCLUDE member into COPY member', () => {
    const r = checkExec(prog('           CONTINUE', '           EXEC SQL INCLUDE DCLCUST END-EXEC.'), false);
    expect(r.compilable).toMatch(/COPY DCLCUST\./);
  });
});

describe('cut points for samples', () => {
  it('skips comments and blank lines, and starts code after the indicator in fixed format', () => {
    const text = '000100* COMMENT\n000200     MOVE A TO B.\n\n       DISPLAY X.\n';
    const spans = codeLineSpans(text);
    expect(spans.map((s) => text.slice(s.codeStart, s.end))).toEqual(['MOVE A TO B.', 'DISPLAY X.']);
  });
});
