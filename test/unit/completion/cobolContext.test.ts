/**
 * The COBOL-aware context: where the cursor is (PROCEDURE DIVISION, inside an
 * EXEC block) and the declarations it offers the model.
 */
import { describe, expect, it } from 'vitest';
import { buildCobolContext } from '../../../server/completion/cobolContext';
import { analyse, fixed } from '../cobol/helpers';

const text = fixed(
  'IDENTIFICATION DIVISION.',
  'PROGRAM-ID. CTX.',
  'DATA DIVISION.',
  'WORKING-STORAGE SECTION.',
  '01  WS-CUST-NAME        PIC X(30).',
  '01  WS-COUNT            PIC 9(4) COMP.',
  'PROCEDURE DIVISION.',
  '    EXEC SQL',
  '        SELECT NAME INTO :WS-CUST-NAME',
  '        FROM CUSTOMER',
  '    END-EXEC',
  '    ADD 1 TO WS-COUNT',
  '    EXEC CICS RETURN END-EXEC',
  '    MOVE SPACES TO WS-CUST-NAME',
  '    GOBACK.',
);
const analysis = analyse(text);
const at = (line: number) => buildCobolContext(analysis, { line, character: 11, partialWord: '', visibleFromLine: line - 2, fixed: true, lowerCase: false, maxLines: 12 });

describe('COBOL-aware context', () => {
  it('knows the cursor is inside an EXEC block only between EXEC and END-EXEC, however many blocks came before', () => {
    expect(at(4)).toMatchObject({ inProcedure: false, inExec: false });
    expect(at(8)).toMatchObject({ inProcedure: true, inExec: true });
    expect(at(10).inExec).toBe(true);
    expect(at(11).inExec).toBe(false);
    expect(at(12).inExec).toBe(true);
    expect(at(13).inExec).toBe(false);
  });

  it('offers the declarations of the items used near the cursor that the prompt no longer shows', () => {
    const context = at(13);
    expect(context.items).toEqual(expect.arrayContaining(['WS-CUST-NAME', 'WS-COUNT']));
    expect(context.text).toContain('01  WS-CUST-NAME PIC X(30).');
    expect(context.names.has('WS-COUNT')).toBe(true);
  });
});
