/**
 * A COPY that is not expanded (missing copybook, too deep, past a cap)
 * leaves its program incomplete: the names the copybook would declare are
 * not reported one by one as undefined, but counted in one information note
 * on that COPY, whose error says so. Programs that do not depend on the
 * COPY keep their undefined-name errors.
 */
import { describe, expect, it } from 'vitest';
import { analyse, diagnosticsOf, fixed } from './helpers';

const program = (name: string, data: string[], procedure: string[], end = false) => [
  'IDENTIFICATION DIVISION.', `PROGRAM-ID. ${name}.`, 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', ...data,
  'PROCEDURE DIVISION.', 'MAIN-PARA.', ...procedure, '    GOBACK.', ...(end ? [`END PROGRAM ${name}.`] : []),
];

const uses = ['    MOVE NB-NAME TO WS-NAME', '    ADD NB-COUNT TO WS-COUNT', '    DISPLAY NB-NAME NB-REGION', '    PERFORM NB-PARA'];
const declarations = ['01 WS-NAME PIC X(20).', '01 WS-COUNT PIC 9(4).'];

describe('a program missing a copybook', () => {
  it('gets one note on the COPY for the names it does not define, and no undefined-name errors', () => {
    const analysis = analyse(fixed(...program('MISS', [...declarations, 'COPY NOSUCH.'], uses)));
    expect(diagnosticsOf(analysis)).toEqual(['PROGRAM.cbl:7 copybook/missing', 'PROGRAM.cbl:7 semantic/undefined-withheld']);
    const [error, note] = analysis.diagnostics;
    expect(error.message).toMatch(/not found .*Meanwhile undefined names in MISS are summarised in one note on this COPY instead of being reported one by one\.$/);
    expect(note.severity).toBe('information');
    expect(note.range).toEqual(error.range);
    expect(note.message).toBe('4 names used in MISS are not defined, probably because copybook NOSUCH is missing: NB-NAME, NB-COUNT, NB-REGION, NB-PARA. They are not reported one by one until it is found.');
  });

  it('keeps the plain error when the program uses no undefined name', () => {
    const analysis = analyse(fixed(...program('MISS', [...declarations, 'COPY NOSUCH.'], ['    MOVE SPACES TO WS-NAME'])));
    expect(diagnosticsOf(analysis)).toEqual(['PROGRAM.cbl:7 copybook/missing']);
    expect(analysis.diagnostics[0].message).not.toMatch(/note/);
  });

  it('shortens a long list of names', () => {
    const many = Array.from({ length: 25 }, (_, i) => `    MOVE NB-F${i} TO WS-NAME`);
    const note = analyse(fixed(...program('MISS', [...declarations, 'COPY NOSUCH.'], many))).diagnostics[1];
    expect(note.message).toMatch(/^25 names used in MISS .*: NB-F0, NB-F1, .*, NB-F9, …\. They are/);
  });

  it('withholds undefined SQL host variables too', () => {
    const analysis = analyse(fixed(...program('MISS', [...declarations, 'COPY NOSUCH.'], ['    EXEC SQL SELECT NAME INTO :NB-NAME FROM T END-EXEC'])));
    expect(diagnosticsOf(analysis)).toEqual(['PROGRAM.cbl:7 copybook/missing', 'PROGRAM.cbl:7 semantic/undefined-withheld']);
  });

  it('affects only the nested program holding the COPY (and its own nested programs), not its siblings', () => {
    const text = fixed(
      ...program('OUTER', declarations, ['    CALL "INNER1"']),
      ...program('INNER1', [], ['    DISPLAY NB-NAME'], true),
      ...program('INNER2', ['COPY NOSUCH.'], ['    DISPLAY NB-NAME'], true),
      'END PROGRAM OUTER.',
    );
    const found = diagnosticsOf(analyse(text));
    expect(found.filter((d) => d.includes('syntax/'))).toEqual([]);
    expect(found).toContain('PROGRAM.cbl:24 copybook/missing');
    expect(found).toContain('PROGRAM.cbl:24 semantic/undefined-withheld');
    // INNER1 does not copy NOSUCH: its undefined name is an error as before.
    expect(found.filter((d) => d.endsWith('semantic/undefined'))).toEqual(['PROGRAM.cbl:17 semantic/undefined']);
  });

  it('makes the nested programs of the program holding the COPY incomplete too (they may use its GLOBAL names)', () => {
    const text = fixed(
      ...program('OUTER', [...declarations, 'COPY NOSUCH.'], ['    CALL "INNER1"']),
      ...program('INNER1', [], ['    DISPLAY NB-NAME'], true),
      'END PROGRAM OUTER.',
    );
    expect(diagnosticsOf(analyse(text))).toEqual(['PROGRAM.cbl:7 copybook/missing', 'PROGRAM.cbl:7 semantic/undefined-withheld']);
  });

  it('counts a COPY missing inside a copybook against the program copying that copybook', () => {
    const analysis = analyse(fixed(...program('MISS', [...declarations, 'COPY OUTERBK.'], uses)), { OUTERBK: fixed('01 OB-FIELD PIC X.', 'COPY NOSUCH.') });
    expect(diagnosticsOf(analysis)).toEqual(['OUTERBK.cpy:2 copybook/missing', 'OUTERBK.cpy:2 semantic/undefined-withheld', 'PROGRAM.cbl:7 copybook/errors']);
  });

  it('does not withhold names when the COPY only closes a cycle (its text is already there)', () => {
    const analysis = analyse(fixed(...program('CYC', [...declarations, 'COPY CYCA.'], ['    MOVE NB-NAME TO WS-NAME'])), { CYCA: fixed('01 CA PIC X.', 'COPY CYCA.') });
    expect(diagnosticsOf(analysis)).toContain('PROGRAM.cbl:10 semantic/undefined');
  });
});
