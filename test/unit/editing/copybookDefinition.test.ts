/** Go to definition inside a copybook of PROCEDURE DIVISION code: names it uses are declared by the programs that copy it. */
import { describe, expect, it } from 'vitest';
import { summarise, WorkspaceIndex } from '../../../server/cobol';
import { definitionFromPrograms } from '../../../server/lsp/copybookReferences';
import { analyse, fixed, positionOf, programId } from '../cobol/helpers';

const procedures = fixed('1000-CHECK.', '    IF WS-COUNT > 10', '        PERFORM 2000-RESET', '    END-IF.', '2000-RESET.', '    MOVE ZERO TO WS-COUNT.');
const program = fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', '01  WS-COUNT PIC 99.', 'PROCEDURE DIVISION.', '0000-MAIN.', '    PERFORM 1000-CHECK', '    STOP RUN.', 'COPY PROCS.');

describe('definition from a copybook of procedures', () => {
  it('finds the data item in the program that copies it', () => {
    const analysis = analyse(program, { PROCS: procedures });
    const index = new WorkspaceIndex();
    index.update(summarise(analysis));
    const [location] = definitionFromPrograms('/copy/PROCS.cpy', positionOf(procedures, 'WS-COUNT', 1, 2), index, () => analysis, (id) => id);
    expect(location).toEqual({ uri: programId, range: { start: positionOf(program, 'WS-COUNT'), end: positionOf(program, 'WS-COUNT', 0, 8) } });
  });
});
