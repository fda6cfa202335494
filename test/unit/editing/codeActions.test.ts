/**
 * Quick fixes: did-you-mean for undefined names (kept in the fixed-format
 * columns), a copybook folder found in the workspace added to the settings,
 * code moved out of the sequence area; and each missing copybook named with
 * the names it would define.
 */
import { describe, expect, it } from 'vitest';
import { type Analysis, summarise, WorkspaceIndex } from '../../../server/cobol';
import { codeActions, editDistance, explainMissingCopybooks, nearestNames } from '../../../server/lsp/codeActions';
import { toLspDiagnostic } from '../../../server/lsp/convert';
import { analyse, fixed, memoryResolver } from '../cobol/helpers';
import { analyseProgram } from '../../../server/cobol';

const uri = 'file:///src/PROGRAM.cbl';
const tagged = (code: string) => `       ${code}`.padEnd(72, ' ') + 'PROGRAM ';

const source = [
  tagged('IDENTIFICATION DIVISION.'),
  tagged('PROGRAM-ID. PROGRAM.'),
  tagged('DATA DIVISION.'),
  tagged('WORKING-STORAGE SECTION.'),
  tagged('01  WS-DAYS-OVERDUE PIC 9(3).'),
  tagged('01  WS-TOTAL PIC 9(5).'),
  tagged('PROCEDURE DIVISION.'),
  tagged('0000-MAIN.'),
  tagged('    MOVE WS-DAYS-OVERDEU TO WS-TOTAL'),
  tagged('    PERFORM 1000-REPROT'),
  tagged('    STOP RUN.'),
  tagged('1000-REPORT.'),
  tagged('    EXIT.'),
].join('\n');

function actionsFor(text: string, analysis: Analysis, index = new WorkspaceIndex(), roots: string[] = ['/src'], copybookPaths: string[] = []) {
  const diagnostics = analysis.diagnostics.filter((d) => d.file === analysis.id).map(toLspDiagnostic);
  return codeActions({ analysis, uri, text, format: 'auto', index, roots, copybookPaths }, diagnostics);
}

describe('did you mean', () => {
  it('offers the nearest data name and paragraph, keeping column 73 in place', () => {
    const analysis = analyse(source);
    const actions = actionsFor(source, analysis);
    expect(actions.map((a) => a.title)).toEqual(["Change to 'WS-DAYS-OVERDUE'", "Change to '1000-REPORT'"]);
    const [edit] = actions[0].edit!.changes![uri];
    const lines = source.split('\n');
    const line = lines[edit.range.start.line];
    const fixedLine = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
    expect(fixedLine).toBe(tagged('    MOVE WS-DAYS-OVERDUE TO WS-TOTAL'));
  });

  it('measures edit distance with swaps counting one, and stays quiet far from every name', () => {
    expect(editDistance('OVERDEU', 'OVERDUE')).toBe(1);
    expect(editDistance('ABC', 'XYZ')).toBe(3);
    expect(nearestNames('WS-TOTL', ['WS-TOTAL', 'WS-TITLE', 'CUST-ID'])).toEqual(['WS-TOTAL', 'WS-TITLE']);
    expect(nearestNames('ZZZZZZ', ['WS-TOTAL'])).toEqual([]);
  });
});

describe('missing copybooks', () => {
  const program = fixed('IDENTIFICATION DIVISION.', 'PROGRAM-ID. P.', 'DATA DIVISION.', 'WORKING-STORAGE SECTION.', 'COPY CUSTREC.', 'COPY ACCTREC.', 'PROCEDURE DIVISION.', '    MOVE CUST-ID TO ACCT-ID.', '    STOP RUN.');
  const copybook = fixed('01  CUSTOMER.', '    05  CUST-ID PIC 9(6).', '    05  CUST-NAME PIC X(30).');
  const index = new WorkspaceIndex();
  index.update(summarise(analyseProgram({ id: '/ws/legacy/copy/CUSTREC.cpy', text: copybook, resolver: memoryResolver({}) })));

  it('adds the folder where the workspace holds the copybook to cobolAssist.copybookPaths', () => {
    const analysis = analyseProgram({ id: '/ws/src/P.cbl', text: program, resolver: memoryResolver({}) });
    const actions = actionsFor(program, analysis, index, ['/ws']);
    const add = actions.find((a) => a.command?.command === 'cobolAssist.addCopybookPath')!;
    expect(add.title).toBe("Add 'legacy/copy' to cobolAssist.copybookPaths (CUSTREC.cpy is there)");
    expect(add.command!.arguments).toEqual([uri, 'legacy/copy']);
    expect(actionsFor(program, analysis, index, ['/ws'], ['legacy/copy']).filter((a) => a.command)).toEqual([]);
    expect(actionsFor(program, analysis, index, ['/elsewhere']).filter((a) => a.command)).toEqual([]);
  });

  it('names every missing copybook, and what each would define', () => {
    const analysis = analyseProgram({ id: '/ws/src/P.cbl', text: program, resolver: memoryResolver({}) });
    const note = analysis.diagnostics.find((d) => d.code === 'semantic/undefined-withheld')!;
    expect(note.message).toContain('copybooks CUSTREC and ACCTREC are missing');
    const diagnostics = analysis.diagnostics.map(toLspDiagnostic);
    explainMissingCopybooks(analysis, diagnostics, uri, index, (id) => `file://${id}`);
    const related = diagnostics.find((d) => d.code === 'semantic/undefined-withheld')!.relatedInformation!.map((r) => r.message);
    expect(related).toEqual(['CUSTREC (CUSTREC.cpy, not on the copybook path) would define CUST-ID.', 'ACCTREC: no file of that name in the workspace.']);
  });
});

describe('code in the sequence area', () => {
  it('moves it to Area B', () => {
    const numbered = source.split('\n').map((line, i) => `${String(i + 1).padStart(6, '0')}${line.slice(6)}`);
    numbered[8] = 'MOVE WS-TOTAL TO WS-DAYS-OVERDUE.';
    const text = numbered.join('\n');
    const action = actionsFor(text, analyse(text)).find((a) => a.title.startsWith('Move the code'))!;
    expect(action.edit!.changes![uri][0].newText).toBe('           MOVE WS-TOTAL TO WS-DAYS-OVERDUE.');
  });
});
