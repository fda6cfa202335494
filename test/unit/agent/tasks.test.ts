/**
 * The built-in refactorings and the agent's confinement, on copies of the
 * sample workspace: what each proposes (as data), what it lists as
 * undecided, and what it refuses with the reason.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../server/agent/proposedChange';
import { proposeExtract } from '../../../server/agent/tasks/extractTask';
import { proposeRename } from '../../../server/agent/tasks/renameTask';
import { proposeWiden } from '../../../server/agent/tasks/widenTask';
import { makeShadow, readSamples } from '../../../server/agent/cobolToolchain';
import { copyWorkspace, temporaryFolder, workspaceAt } from './workspaceCopy';

const applied = (change: ReturnType<typeof proposeRename>, file: string) => {
  const entry = change.files.find((candidate) => candidate.file === file)!;
  return applyEdits(fs.readFileSync(entry.absolute, 'utf8'), entry.edits);
};

describe('rename', () => {
  it('covers the copybook and both programs that use it, keeping columns', async () => {
    const workspace = await workspaceAt(copyWorkspace());
    const change = proposeRename(workspace, { file: 'CUSTRPT.cbl', name: 'in-days-overdue', newName: 'IN-DAYS-LATE' });
    expect(change.files.map((file) => file.file)).toEqual(['CUSTRPT.cbl', 'INTCALC.cbl', 'copybooks/INTPARM.cpy']);
    const after = applied(change, 'INTCALC.cbl');
    expect(after).not.toMatch(/IN-DAYS-OVERDUE/);
    const before = fs.readFileSync(change.files.find((file) => file.file === 'INTCALC.cbl')!.absolute, 'utf8');
    expect(after.split('\n').map((line) => line.length)).toEqual(before.split('\n').map((line) => line.length));
  });

  it.each([
    [{ file: 'CUSTRPT.cbl', name: 'NO-SUCH-NAME', newName: 'X' }, /not declared/],
    [{ file: 'CUSTRPT.cbl', name: 'TOT-CUSTOMERS', newName: 'TOT-BALANCE' }, /already names/],
    [{ file: 'CUSTRPT.cbl', name: 'TOT-CUSTOMERS', newName: 'bad name!' }, /not a COBOL name/],
    [{ file: '../outside.cbl', name: 'X', newName: 'Y' }, /climbs out/],
    [{ file: '/etc/passwd', name: 'X', newName: 'Y' }, /absolute/],
  ])('refuses %j', async (args, reason) => {
    const workspace = await workspaceAt(copyWorkspace());
    expect(() => proposeRename(workspace, args)).toThrow(reason);
  });

  it('refuses a symbolic link that leaves the workspace', async () => {
    const root = copyWorkspace();
    const outside = temporaryFolder('outside-');
    fs.writeFileSync(path.join(outside, 'SECRET.cbl'), '       IDENTIFICATION DIVISION.\n       PROGRAM-ID. SECRET.\n');
    fs.symlinkSync(path.join(outside, 'SECRET.cbl'), path.join(root, 'LINKED.cbl'));
    const workspace = await workspaceAt(root);
    expect(() => workspace.files.resolve('LINKED.cbl')).toThrow(/link to a place outside/);
    expect(workspace.files.cobolFiles().map((file) => file.relative)).not.toContain('LINKED.cbl');
  });
});

describe('widen', () => {
  it('follows group lengths, the file record and a truncating MOVE', async () => {
    const workspace = await workspaceAt(copyWorkspace());
    const change = proposeWiden(workspace, { file: 'copybooks/CUSTREC.cpy', name: 'CUST-ID', picture: '9(10)' });
    expect(change.summary).toMatch(/6 → 10 bytes.*CUSTOMER-RECORD grows 80 → 84/);
    expect(change.undecided.join('\n')).toMatch(/record of file CUSTOMER-FILE/);
    expect(change.undecided.join('\n')).toMatch(/MOVE CUST-ID TO RPT-CUST-ID truncates/);
    expect(applied(change, 'copybooks/CUSTREC.cpy')).toMatch(/CUST-ID +PIC 9\(10\)\./);
  });

  it('knows a CALL … USING stays consistent when caller and callee copy the same copybook', async () => {
    const workspace = await workspaceAt(copyWorkspace());
    const change = proposeWiden(workspace, { file: 'copybooks/INTPARM.cpy', name: 'IN-DAYS-OVERDUE', picture: '9(5)' });
    expect(change.summary).toMatch(/CALL 'INTCALC' stays consistent/);
    expect(change.affectedPrograms).toEqual(['CUSTRPT.cbl', 'INTCALC.cbl']);
  });

  it.each([
    [{ name: 'CUST-ID', picture: 'X(10)' }, /Widening keeps the category/],
    [{ name: 'CUST-ID', picture: '9(4)' }, /not more than/],
    [{ name: 'CUST-BALANCE', picture: 'S9(9)V9' }, /moves the decimal point/],
    [{ name: 'CUST-LAST-ORDER', picture: '9(10)' }, /no PICTURE/],
    [{ name: 'CUST-ID', picture: '9(((' }, /not a valid PICTURE/],
  ])('refuses %j', async (args, reason) => {
    const workspace = await workspaceAt(copyWorkspace());
    expect(() => proposeWiden(workspace, { file: 'copybooks/CUSTREC.cpy', ...args })).toThrow(reason);
  });
});

describe('extract', () => {
  it('moves whole statements into a paragraph after the last one and PERFORMs it; the program still compiles and prints the same', async () => {
    const workspace = await workspaceAt(copyWorkspace());
    const change = proposeExtract(workspace, { file: 'CUSTRPT.cbl', fromLine: 68, toLine: 71, paragraph: '2200-FILL-DETAIL' });
    const after = applied(change, 'CUSTRPT.cbl');
    expect(after).toMatch(/^ {11}PERFORM 2200-FILL-DETAIL$/m);
    expect(after).toMatch(/^ {7}2200-FILL-DETAIL\.$/m);
    const [sample] = readSamples(workspace);
    const controller = new AbortController();
    const before = makeShadow(workspace, undefined, [sample]);
    const edited = makeShadow(workspace, change, [sample]);
    try {
      expect(await edited.compile('CUSTRPT.cbl', controller.signal)).toMatchObject({ ok: true });
      const [a, b] = [await before.runSample(sample, controller.signal), await edited.runSample(sample, controller.signal)];
      expect(a.stdout).toContain('CUSTOMERS READ');
      expect(b).toEqual(a);
    } finally {
      before.dispose();
      edited.dispose();
    }
  }, 30_000);

  it('refuses a sample input that is a FIFO at once, instead of blocking on the copy', async () => {
    const root = copyWorkspace();
    const [declared] = readSamples(await workspaceAt(root));
    const input = Object.values(declared.inputs)[0];
    fs.rmSync(path.join(root, input));
    execFileSync('mkfifo', [path.join(root, input)]);
    const workspace = await workspaceAt(root);
    const [sample] = readSamples(workspace);
    const started = performance.now();
    expect(() => makeShadow(workspace, undefined, [sample])).toThrow(/Sample input .* not a regular file/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each([
    [{ fromLine: 69, toLine: 69, paragraph: '2000-PROCESS-CUSTOMER' }, /already names/],
    [{ fromLine: 63, toLine: 64, paragraph: 'X-PART' }, /does not end a statement|does not start/],
    [{ fromLine: 40, toLine: 41, paragraph: 'X-STOP' }, /STOP/],
    [{ fromLine: 10, toLine: 12, paragraph: 'X-DATA' }, /not inside one paragraph/],
    [{ fromLine: 68, toLine: 71, paragraph: 'PERFORM' }, /reserved word/],
  ])('refuses %j', async (args, reason) => {
    const workspace = await workspaceAt(copyWorkspace());
    expect(() => proposeExtract(workspace, { file: 'CUSTRPT.cbl', ...args })).toThrow(reason);
  });
});
