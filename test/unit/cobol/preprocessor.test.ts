import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { FileSystemCopybookResolver } from '../../../server/cobol';
import { preprocess } from '../../../server/cobol/preprocessor';
import { analyse, baseName, diagnosticsOf, fixed, memoryResolver, programId } from './helpers';

/** The expanded program text (words joined by spaces) between PROCEDURE DIVISION and the end. */
function expanded(text: string, copybooks: Record<string, string> = {}): string {
  return analyse(text, copybooks).tokens.map((t) => t.text).join(' ');
}

const program = (...body: string[]) => fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', ...body);

describe('preprocessor', () => {
  it('expands COPY and keeps each token at its place in the copybook', () => {
    const analysis = analyse(program('COPY CUSTREC.', '01 AFTER-COPY PIC X.'), { CUSTREC: fixed('01 CUST-REC.', '   05 CUST-ID PIC 9(5).') });
    const id = analysis.tokens.find((t) => t.text === 'CUST-ID')!;
    expect([baseName(analysis.files[id.file].id), id.line, id.col]).toEqual(['CUSTREC.cpy', 1, 13]);
    expect(analysis.files[id.file].copyRange?.start).toEqual({ line: 4, character: 7 });
    expect(analysis.diagnostics).toEqual([]);
  });

  it('applies REPLACING with pseudo-text, words, LEADING/TRAILING and :TAG: placeholders', () => {
    const copybook = fixed('01 :PFX:-REC.', '   05 :PFX:-ID PIC 9(5).', '   05 OLD-NAME PIC X(10).', '   05 AMT-TOTAL PIC 9(3) VALUE LIMIT.');
    const text = program('COPY REC REPLACING ==:PFX:== BY ==CUST== OLD-NAME BY NEW-NAME', '    LEADING ==AMT== BY ==SUM== ==LIMIT== BY ==100==.');
    expect(expanded(text, { REC: copybook })).toContain('01 CUST-REC . 05 CUST-ID PIC 9(5) . 05 NEW-NAME PIC X(10) . 05 SUM-TOTAL PIC 9(3) VALUE 100 .');
  });

  it('does not replace again what a nested COPY … REPLACING replaced (as cobc -E shows: X X X, not nine)', () => {
    const copybooks = { L0: fixed('01 X PIC 9.'), L1: fixed('COPY L0 REPLACING ==X== BY ==X X X==.'), L2: fixed('COPY L1 REPLACING ==X== BY ==X X X==.') };
    expect(expanded(program('COPY L2.'), copybooks)).toContain('01 X X X PIC 9 .');
    // Text the inner COPY did not replace is still the outer rule's to replace.
    const mixed = { IN: fixed('05 PREFIX-ID PIC 9.', '05 ENTITY-CODE PIC 9.'), OUT: fixed('COPY IN REPLACING LEADING ==PREFIX== BY ==ENTITY-ITEM==.') };
    expect(expanded(program('01 R.', 'COPY OUT REPLACING LEADING ==ENTITY== BY ==LK-ENTITY==.'), mixed)).toContain('05 ENTITY-ITEM-ID PIC 9 . 05 LK-ENTITY-CODE PIC 9 .');
  });

  it('matches :tag: placeholders in any case', () => {
    const text = program('copy emprec replacing ==:x:== by ==in==.');
    expect(expanded(text, { EMPREC: fixed('01 :x:-emp-rec.', '   10 :X:-emp-no pic 9.') })).toContain('01 in-emp-rec . 10 in-emp-no pic 9 .');
  });

  it('takes CICS-supplied copybooks such as DFHAID as given', () => {
    const text = fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', 'COPY DFHAID.', 'PROCEDURE DIVISION.',
      '    EXEC CICS RECEIVE MAP("M") END-EXEC', '    IF EIBAID = DFHENTER CONTINUE END-IF', '    GOBACK.');
    expect(analyse(text).diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['information copybook/system']);
  });

  it('applies TRAILING to a partial word written as pseudo-text', () => {
    const text = program('COPY MONEY REPLACING TRAILING ==-AMT== BY ==-YTD==.');
    expect(expanded(text, { MONEY: fixed('01 WS-NET-AMT PIC 9.') })).toContain('01 WS-NET-YTD PIC 9 .');
  });

  it('applies REPLACE until REPLACE OFF, including to copied text', () => {
    const text = program('REPLACE ==MONEY-PIC== BY ==PIC S9(7)V99 COMP-3==.', '01 A MONEY-PIC.', 'COPY B.', 'REPLACE OFF.', '01 C MONEY-PIC.');
    const result = expanded(text, { B: fixed('01 B1 MONEY-PIC.') });
    expect(result).toContain('01 A PIC S9(7)V99 COMP-3 . 01 B1 PIC S9(7)V99 COMP-3 . 01 C MONEY-PIC .');
    expect(result).not.toContain('REPLACE');
  });

  it('expands nested copybooks and reports a cycle on the COPY that closes it, without hanging', () => {
    const analysis = analyse(program('COPY A.'), { A: fixed('01 A1 PIC X.', 'COPY B.'), B: fixed('01 B1 PIC X.', 'COPY A.') });
    expect(diagnosticsOf(analysis)).toEqual(['B.cpy:2 copybook/cycle', 'PROGRAM.cbl:5 copybook/errors']);
    expect(analysis.tokens.filter((t) => t.text === 'A1')).toHaveLength(1);
  });

  it('reports a missing copybook on its name and goes on', () => {
    const analysis = analyse(program('COPY NOSUCH.', '01 X PIC X.'));
    expect(analysis.diagnostics.map((d) => [d.code, d.range.start])).toEqual([['copybook/missing', { line: 4, character: 12 }]]);
    expect(analysis.tokens.some((t) => t.text === 'X')).toBe(true);
  });

  it('stops at the depth limit of 32 nested copybooks', () => {
    const copybooks: Record<string, string> = {};
    for (let i = 0; i < 60; i++) copybooks[`C${i}`] = fixed(`01 F${i} PIC X.`, `COPY C${i + 1}.`);
    copybooks.C60 = fixed('01 LAST PIC X.');
    expect(diagnosticsOf(analyse(program('COPY C0.'), copybooks))).toEqual(['C31.cpy:2 copybook/depth', 'PROGRAM.cbl:5 copybook/errors']);
  });

  it('caps a copybook bomb (each of 40 copybooks copies the next twice) at 1,000 inclusions, quickly, with the error on the COPY where it hit', () => {
    const copybooks: Record<string, string> = {};
    for (let i = 0; i < 40; i++) copybooks[`B${i}`] = fixed(`05 F${i} PIC X.`, `COPY B${i + 1}.`, `COPY B${i + 1}.`);
    copybooks.B40 = fixed('05 LAST PIC X.');
    const started = performance.now();
    const analysis = analyse(program('01 ROOT.', 'COPY B0.'), copybooks);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(analysis.files).toHaveLength(1 + 1000);
    const capped = analysis.diagnostics.filter((d) => d.code === 'copybook/too-many');
    expect(capped).toHaveLength(1);
    expect(capped[0].message).toMatch(/More than 1000 copybook inclusions .*COPY B\d+ and every later COPY are not expanded/);
    // On a COPY statement of the copybook that was being expanded.
    const line = copybooks[baseName(capped[0].file).replace('.cpy', '')].split('\n')[capped[0].range.start.line];
    expect(line.slice(capped[0].range.start.character)).toMatch(/^COPY B\d+\.$/);
    expect(analysis.diagnostics.map((d) => d.code)).toContain('copybook/errors');
  });

  it('caps the tokens copybooks bring in, with the error on the COPY that would exceed it', () => {
    // Nine tokens a line, 100 lines: 900 tokens per copy; a cap of 10,000 admits 11 copies.
    const copybook = fixed(...Array.from({ length: 100 }, (_, i) => `05 G${i} PIC X(10) VALUE 'ABCDEFGHIJ' USAGE DISPLAY.`));
    const text = program('01 ROOT.', ...Array.from({ length: 20 }, (_, i) => `COPY BIG REPLACING ==G== BY ==H${i}==.`));
    const result = preprocess({ id: programId, text, format: 'fixed', resolver: memoryResolver({ BIG: copybook }), maxCopiedTokens: 10_000 });
    const capped = result.diagnostics.filter((d) => d.code.startsWith('copybook/'));
    expect(capped.map((d) => [d.code, d.file, d.range.start.line])).toEqual([['copybook/too-large', 0, 5 + 11]]);
    expect(capped[0].message).toBe('Copybooks would bring more than 10,000 tokens into this source: COPY BIG and every later COPY are not expanded.');
    expect(result.files).toHaveLength(1 + 11);
  });

  it('resolves OF library as a folder, case-insensitively, with the known extensions', () => {
    const files: Record<string, string> = {
      '/ws/src/PROG.cbl': '',
      '/ws/lib/CUSTLIB/custrec.CPY': fixed('01 CUST PIC X.'),
      '/ws/copy/Plain': fixed('01 PLAIN PIC X.'),
      '/ws/src/LOCAL.cob': fixed('01 LOCAL-ITEM PIC X.'),
    };
    const fileSystem = {
      readFile: (p: string) => files[p],
      readDirectory: (folder: string) => {
        const prefix = folder.endsWith('/') ? folder : `${folder}/`;
        const names = new Map<string, boolean>();
        for (const file of Object.keys(files)) {
          if (!file.startsWith(prefix)) continue;
          const rest = file.slice(prefix.length).split('/');
          names.set(rest[0], rest.length > 1);
        }
        return names.size > 0 ? [...names].map(([name, isDirectory]) => ({ name, isDirectory })) : undefined;
      },
    };
    const resolver = new FileSystemCopybookResolver(fileSystem, { workspaceRoot: '/ws', searchPaths: ['l*', 'copy'] });
    const request = (name: string, library?: string) => resolver.resolve({ name, library, fromFile: '/ws/src/PROG.cbl', programFile: '/ws/src/PROG.cbl' })?.file;
    expect(request('CUSTREC', 'custlib')).toBe('/ws/lib/CUSTLIB/custrec.CPY');
    expect(request('PLAIN')).toBe('/ws/copy/Plain');
    expect(request('local')).toBe('/ws/src/LOCAL.cob');
    expect(request('CUSTREC')).toBeUndefined();
  });
});
