/**
 * End to end for the COBOL language features (issue 3), in a real VS Code
 * (code-server) driven in Chromium, on a fresh copy of the sample workspace:
 * the Outline shows divisions and paragraphs; go to definition on a data name
 * in the PROCEDURE DIVISION opens its copybook at the declaration; hover shows
 * the PIC and the size; rename changes the program and the copybook and
 * keeps the fixed-format columns in place.
 * Positions are read from the fixture files, not hard-coded, so the spec
 * follows the sample workspace as it evolves. The workspace's own settings
 * put copybooks/ on the copybook path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { launchCodeServer, projectRoot, type E2eCodeServer } from './codeServer';
import { StepRecorder } from './steps';
import { goToLineColumn, openFileFromExplorer, openWorkbench, poll, runCommand, squiggleCount, timeouts } from './workbench';

const workspaceFixture = join(projectRoot, 'test', 'fixtures', 'workspace');
const program = 'CUSTRPT.cbl';
const copybook = 'CUSTREC.cpy';
/** Defined in CUSTREC.cpy as PIC S9(7)V99 COMP-3: nine digits packed in 5 bytes. */
const hoverName = 'CUST-BALANCE';
const hoverPicture = 'S9(7)V99';
const hoverBytes = 5;
const renamed = { from: 'CUST-CREDIT-LIMIT', to: 'CUST-CREDIT-MAX' };
const paragraphs = ['0000-MAIN', '1000-INITIALIZE', '2000-PROCESS-CUSTOMER'];

/** One-based line and column of the first use of `name` after PROCEDURE DIVISION in `text`. */
function procedureUse(text: string, name: string): { line: number; column: number } {
  const lines = text.split(/\r?\n/);
  const procedure = lines.findIndex((line) => /PROCEDURE\s+DIVISION/i.test(line.slice(6, 72)));
  const pattern = new RegExp(`(?<![A-Z0-9-])${name}(?![A-Z0-9-])`, 'i');
  for (let i = Math.max(procedure, 0); i < lines.length; i++) {
    const match = pattern.exec(lines[i].slice(0, 72));
    if (match) return { line: i + 1, column: match.index + 2 }; // +1 one-based, +1 inside the word
  }
  throw new Error(`${name} is not used after PROCEDURE DIVISION in ${program}: the fixture changed`);
}

/** One-based line of `name`'s declaration (a level number before it) in a copybook. */
function declarationLine(text: string, name: string): number {
  const index = text.split(/\r?\n/).findIndex((line) => new RegExp(`^.{6} +\\d\\d +${name}(?![A-Z0-9-])`, 'i').test(line));
  if (index < 0) throw new Error(`${name} is not declared in ${copybook}: the fixture changed`);
  return index + 1;
}

const editorLines = '.editor-instance .monaco-editor .view-lines';

it('outline, go to definition into a copybook, hover and rename work in VS Code', async () => {
  const programText = readFileSync(join(workspaceFixture, program), 'utf8');
  const copybookText = readFileSync(join(workspaceFixture, 'copybooks', copybook), 'utf8');
  const definitionUse = procedureUse(programText, hoverName);
  const declaredAt = declarationLine(copybookText, hoverName);
  const renameUse = procedureUse(programText, renamed.from);

  let server: E2eCodeServer | undefined;
  let browser: Browser | undefined;
  let passed = false;
  const steps = new StepRecorder(() => browser?.page, join(projectRoot, 'test-results', 'e2e-language-features'));
  try {
    server = await steps.step('start code-server with the packaged VSIX', () => launchCodeServer());
    browser = await steps.step('launch Chromium', () => launchBrowser(server!.run.dir));
    const { page } = browser;
    const activeTab = () => page.locator('.tabs-container .tab.active');
    const cursorStatus = () => page.locator('[id="status.editor.selection"]').innerText({ timeout: timeouts.ui });

    await steps.step('open the workbench', () => openWorkbench(page, server!.url));
    await steps.step(`open ${program}`, () => openFileFromExplorer(page, program, 'IDENTIFICATION'));

    await steps.step('the Outline shows the divisions and the paragraphs', async () => {
      await runCommand(page, 'Focus on Outline View');
      const rows = page.locator('.outline-pane .monaco-list-row');
      const expected = ['PROCEDURE DIVISION', 'DATA DIVISION', ...paragraphs];
      // The tree renders only the rows in view: scroll through it, collecting what it shows.
      const seen = new Set<string>();
      const tree = page.locator('.outline-pane .monaco-list');
      await tree.first().waitFor({ timeout: timeouts.server });
      await poll(
        async () => {
          for (const text of await rows.allInnerTexts()) seen.add(text.replace(/\s+/g, ' ').trim().toUpperCase());
          await tree.first().hover();
          await page.mouse.wheel(0, 120);
          return [...seen];
        },
        (texts) => expected.every((name) => texts.some((text) => text.includes(name))),
        (texts) => `the Outline lacks ${expected.filter((name) => !texts?.some((t) => t.includes(name))).join(', ')}; rows seen: ${JSON.stringify(texts)}`,
        timeouts.server,
      );
    });

    await steps.step(`go to definition on ${hoverName} opens ${copybook} at its declaration`, async () => {
      await page.locator('.tabs-container .tab').filter({ hasText: program }).click({ timeout: timeouts.ui });
      await goToLineColumn(page, definitionUse.line, definitionUse.column);
      await page.keyboard.press('F12');
      await poll(
        async () => ({ tab: (await activeTab().innerText({ timeout: timeouts.ui })).trim(), cursor: await cursorStatus() }),
        (seen) => seen.tab.includes(copybook) && new RegExp(`Ln ${declaredAt},`).test(seen.cursor),
        (seen) => `after F12 on ${hoverName} (${program}:${definitionUse.line}:${definitionUse.column}) the active tab is ` +
          `"${seen?.tab}" at "${seen?.cursor}", not ${copybook} at Ln ${declaredAt}`,
        timeouts.server,
      );
    });

    await steps.step(`hover on ${hoverName} shows its PIC and size`, async () => {
      await page.locator('.tabs-container .tab').filter({ hasText: program }).click({ timeout: timeouts.ui });
      await goToLineColumn(page, definitionUse.line, definitionUse.column);
      const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: hoverName }).first();
      await poll(
        async () => {
          // Show Hover (Ctrl+K Ctrl+I), again until the server has answered.
          await page.keyboard.press('Control+K');
          await page.keyboard.press('Control+I');
          await page.waitForTimeout(500);
          return (await hover.isVisible()) ? (await hover.innerText()).replace(/\s+/g, ' ') : '';
        },
        (text) => text.includes(hoverPicture) && new RegExp(`\\b${hoverBytes}\\b[^.]*byte`, 'i').test(text),
        (text) => `the hover on ${hoverName} shows "${text}": expected PIC ${hoverPicture} and a size of ${hoverBytes} bytes`,
        timeouts.server,
      );
    });

    await steps.step(`rename ${renamed.from} to ${renamed.to} changes ${program} and ${copybook}`, async () => {
      await page.keyboard.press('Escape');
      await goToLineColumn(page, renameUse.line, renameUse.column);
      await page.keyboard.press('F2');
      const input = page.locator('.rename-box input');
      await input.waitFor({ state: 'visible', timeout: timeouts.server }).catch(() => {
        throw new Error(`F2 on ${renamed.from} opened no rename box: the server offers no rename there`);
      });
      await input.fill(renamed.to);
      await page.keyboard.press('Enter');
      await page.locator(editorLines).filter({ hasText: renamed.to }).waitFor({ timeout: timeouts.server }).catch(() => {
        throw new Error(`${program} does not show ${renamed.to} after the rename`);
      });
      await runCommand(page, 'File: Save All');
      const onDisk = (file: string) => readFileSync(join(server!.run.workspace, file), 'utf8');
      await poll(
        async () => ({ program: onDisk(program), copybook: onDisk(join('copybooks', copybook)) }),
        (files) => [files.program, files.copybook].every((text) => text.includes(renamed.to) && !text.includes(renamed.from)),
        (files) => `after rename and Save All: ${program} ${files?.program.includes(renamed.to) ? 'has' : 'lacks'} ${renamed.to}, ` +
          `${copybook} ${files?.copybook.includes(renamed.to) ? 'has' : 'lacks'} it; ` +
          `old name left in ${[files?.program.includes(renamed.from) ? program : '', files?.copybook.includes(renamed.from) ? copybook : ''].filter(Boolean).join(' and ') || 'neither'}`,
        timeouts.server,
      );
    });

    await steps.step('the rename keeps columns 73-80 in place and leaves no error', async () => {
      // Fixed format: a name of another length must not shift the identification
      // area (columns 73-80) into the code area, or the program stops compiling.
      const before = programText.split(/\r?\n/);
      const after = readFileSync(join(server!.run.workspace, program), 'utf8').split(/\r?\n/);
      const shifted = after
        .map((line, index) => ({ line: index + 1, was: before[index]?.slice(72) ?? '', now: line.slice(72) }))
        .filter((entry) => entry.was.trim() !== '' && entry.now !== entry.was);
      if (shifted.length > 0) {
        throw new Error(`the rename moved columns 73-80 on ${shifted.length} line(s), e.g. line ${shifted[0].line}: ` +
          `"${shifted[0].was}" is now "${shifted[0].now}" (the replacement must keep each line's layout)`);
      }
      await page.waitForTimeout(1500);
      const errors = await squiggleCount(page, 'error');
      if (errors > 0) throw new Error(`${errors} error squiggle(s) after the rename`);
    });

    passed = true;
  } finally {
    await browser?.close();
    await server?.dispose({ keepRunFolder: !passed });
  }
});
