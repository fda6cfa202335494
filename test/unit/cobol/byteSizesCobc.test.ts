/**
 * Byte sizes checked against GnuCOBOL: a program declaring a range of items
 * is compiled with `cobc -std=ibm` (IBM sizes: binary 2/4/8 bytes) and run;
 * it prints FUNCTION BYTE-LENGTH of each item, which must equal the size our
 * semantic model computes. Needs cobc (scripts/setup.sh installs it): without
 * it the test fails rather than skips.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse, fixed } from './helpers';

import { cobcMissingMessage, cobcVersion } from '../../../server/cli/cobc';

const data = [
  '01 A PIC X(10).', '01 B PIC S9(5)V99.', '01 C PIC S9(3) SIGN LEADING SEPARATE.', '01 D PIC ZZ,ZZ9.99-.', '01 E PIC $$$,$$9.99CR.',
  '01 B1 PIC S9(4) COMP.', '01 B2 PIC 9(5) BINARY.', '01 B3 PIC S9(10) COMP-5.', '01 B4 PIC 9(18) COMP-4.', '01 B5 PIC 9(2) COMP.',
  '01 P1 PIC S9(7)V99 COMP-3.', '01 P2 PIC 9(4) PACKED-DECIMAL.', '01 P3 PIC S9(18) COMP-3.', '01 F1 COMP-1.', '01 F2 COMP-2.',
  '01 REC.', '   05 HEAD PIC X(4).', '   05 TBL OCCURS 3 TIMES.', '      10 T-CODE PIC X(2).', '      10 T-AMT PIC S9(5) COMP-3.',
  '   05 ALT PIC X(15).', '   05 NUMS COMP.', '      10 N-1 PIC 9(4).', '      10 N-2 PIC 9(9).', '   05 PACKED-GROUP.', '      10 PG-1 PIC 9(3) COMP-3.',
  '      10 PG-2 PIC X(3).', '   05 ALT2 REDEFINES PACKED-GROUP PIC X(2).', '   05 TAIL PIC X.',
  '01 TABLE-2.', '   05 ROW OCCURS 4.', '      10 COL-A PIC 9 OCCURS 5.', '      10 COL-B PIC X(2).',
];

describe('byte sizes agree with cobc -std=ibm', () => {
  it('for elementary items of every usage, groups, tables and REDEFINES', () => {
    expect(cobcVersion(), cobcMissingMessage).toBeDefined();
    const names = data.map((line) => /^\s*\d+\s+([A-Z0-9-]+)/.exec(line)?.[1]).filter((name): name is string => !!name);
    const subscripts: Record<string, string> = { TBL: '(1)', 'T-CODE': '(1)', 'T-AMT': '(1)', ROW: '(1)', 'COL-A': '(1 1)', 'COL-B': '(1)' };
    const procedure = names.map((name) => `    DISPLAY '${name} ' FUNCTION BYTE-LENGTH(${name}${subscripts[name] ?? ''})`);
    const text = fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. SIZES.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', ...data, 'PROCEDURE DIVISION.', ...procedure, '    STOP RUN.');
    const folder = mkdtempSync(path.join(tmpdir(), 'cobol-assist-sizes-'));
    try {
      writeFileSync(path.join(folder, 'sizes.cbl'), text);
      const compiled = spawnSync('cobc', ['-std=ibm', '-x', '-o', path.join(folder, 'sizes'), path.join(folder, 'sizes.cbl')], { encoding: 'utf8', timeout: 120_000 });
      expect(compiled.status, compiled.stderr).toBe(0);
      const run = spawnSync(path.join(folder, 'sizes'), { encoding: 'utf8', timeout: 30_000 });
      const cobcSizes = Object.fromEntries(run.stdout.trim().split('\n').map((line) => { const [name, size] = line.trim().split(/\s+/); return [name, Number(size)]; }));
      const model = analyse(text).model.programs[0];
      const ours = Object.fromEntries(names.map((name) => [name, model.byName.get(name)?.[0].data?.size]));
      expect(ours).toEqual(cobcSizes);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 180_000);
});
