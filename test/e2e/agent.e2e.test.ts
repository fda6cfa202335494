/**
 * End to end for the agent panel (issue 10), in a real VS Code (code-server)
 * in Chromium, on a fresh copy of the sample workspace:
 * 1. from the command palette, rename IN-DAYS-OVERDUE (declared in the
 *    INTPARM copybook, used by CUSTRPT and INTCALC): the plan appears in the
 *    panel with the three files; Approve (with the keyboard); the refactor
 *    preview lists the three files, each needing confirmation; confirm; Apply; the files change on disk; the
 *    log shows every step (tools, snapshot, edit, result);
 * 2. a second rename is approved and stopped mid-way: nothing is written;
 * 3. a third is rejected: nothing is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import type { FrameLocator, Page } from 'playwright-core';
import { launchBrowser, type Browser } from './browser';
import { launchCodeServer, projectRoot, type E2eCodeServer } from './codeServer';
import { StepRecorder } from './steps';
import { goToLineColumn, openFileFromExplorer, openWorkbench, poll, runCommand, timeouts } from './workbench';

const program = 'CUSTRPT.cbl';
const files = ['CUSTRPT.cbl', 'INTCALC.cbl', 'copybooks/INTPARM.cpy'];
const names = { original: 'IN-DAYS-OVERDUE', first: 'IN-DAYS-LATE', second: 'IN-DAYS-PAST', third: 'IN-DAYS-DUE' };
const fixture = join(projectRoot, 'test', 'fixtures', 'workspace');

/** One-based line and column inside the first use of `name` after PROCEDURE DIVISION. */
function procedureUse(text: string, name: string): { line: number; column: number } {
  const lines = text.split(/\r?\n/);
  const procedure = lines.findIndex((line) => /PROCEDURE\s+DIVISION/i.test(line.slice(6, 72)));
  const pattern = new RegExp(`(?<![A-Z0-9-])${name}(?![A-Z0-9-])`, 'i');
  for (let i = Math.max(procedure, 0); i < lines.length; i++) {
    const match = pattern.exec(lines[i].slice(0, 72));
    if (match) return { line: i + 1, column: match.index + 2 };
  }
  throw new Error(`${name} is not used after PROCEDURE DIVISION in ${program}: the fixture changed`);
}

function panel(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

async function panelState(page: Page): Promise<string> {
  return ((await panel(page).locator('#state').textContent({ timeout: timeouts.ui }).catch(() => '')) ?? '').trim();
}

async function waitForState(page: Page, state: string | RegExp, timeoutMs: number = timeouts.server): Promise<void> {
  const wanted = typeof state === 'string' ? new RegExp(`^${state}$`) : state;
  await poll(() => panelState(page), (seen) => wanted.test(seen), (seen) => `the agent panel shows state "${seen}", not ${wanted}`, timeoutMs);
}

async function startRename(page: Page, from: string, to: string, workspace: string): Promise<void> {
  await page.locator('.tabs-container .tab').filter({ hasText: program }).click({ timeout: timeouts.ui });
  const use = procedureUse(readFileSync(join(workspace, program), 'utf8'), from);
  await goToLineColumn(page, use.line, use.column);
  await runCommand(page, 'COBOL Assist: Agent: Rename Everywhere');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: timeouts.ui });
  await page.locator('.quick-input-widget').filter({ hasText: `Rename ${from}` }).waitFor({ timeout: timeouts.ui }).catch(() => {
    throw new Error(`the rename input does not name ${from}: the cursor is not on it`);
  });
  await input.fill(to);
  await page.keyboard.press('Enter');
}

it('the agent renames across two programs and a copybook with approval; Stop and Reject write nothing', async () => {
  let server: E2eCodeServer | undefined;
  let browser: Browser | undefined;
  let passed = false;
  const steps = new StepRecorder(() => browser?.page, join(projectRoot, 'test-results', 'e2e-agent'));
  try {
    server = await steps.step('start code-server with the packaged VSIX', () => launchCodeServer());
    browser = await steps.step('launch Chromium', () => launchBrowser(server!.run.dir));
    const { page } = browser;
    const workspace = server.run.workspace;
    const onDisk = () => Object.fromEntries(files.map((file) => [file, readFileSync(join(workspace, file), 'utf8')]));
    const pristine = files.map((file) => readFileSync(join(fixture, file), 'utf8'));

    await steps.step('open the workbench', () => openWorkbench(page, server!.url));
    await steps.step(`open ${program}`, () => openFileFromExplorer(page, program, 'IDENTIFICATION'));

    await steps.step(`start "rename ${names.original}" from the command palette: the plan appears in the panel`, async () => {
      await startRename(page, names.original, names.first, workspace);
      await waitForState(page, 'awaitingApproval');
      const listed = (await panel(page).locator('#plan-files').textContent({ timeout: timeouts.ui })) ?? '';
      for (const file of files) if (!listed.includes(file)) throw new Error(`the plan's files "${listed}" lack ${file}`);
      const rows = await panel(page).locator('.plan-step').allTextContents();
      for (const tool of ['references', 'proposeRename', 'compileCheck', 'runSample']) {
        if (!rows.some((row) => row.includes(tool))) throw new Error(`the plan lacks a ${tool} step: ${JSON.stringify(rows)}`);
      }
      if (JSON.stringify(Object.values(onDisk())) !== JSON.stringify(pristine)) throw new Error('a file changed before approval');
    });

    await steps.step('Approve with the keyboard: the refactor preview lists the three files', async () => {
      await panel(page).locator('#approve').focus({ timeout: timeouts.ui });
      await page.keyboard.press('Enter');
      const preview = page.locator('.bulk-edit-panel');
      await preview.waitFor({ timeout: timeouts.server }).catch(() => {
        throw new Error('no refactor preview opened after Approve');
      });
      await poll(
        async () => (await preview.locator('.monaco-list-row').allInnerTexts()).join(' | '),
        (text) => ['CUSTRPT.cbl', 'INTCALC.cbl', 'INTPARM.cpy'].every((name) => text.includes(name)),
        (text) => `the refactor preview shows "${text}", not the three files`,
      );
      const shown = (await preview.locator('.monaco-list-row').allInnerTexts()).join(' ');
      for (const other of ['CUSTREC.cpy', 'RPTLINE.cpy']) if (shown.includes(other)) throw new Error(`the preview also lists ${other}`);
    });

    await steps.step('Apply in the preview: the three files change on disk', async () => {
      // Every entry needs confirmation, so the preview shows them unchecked: confirm each file, as a user would.
      const fileBoxes = page.locator('.bulk-edit-panel .monaco-list-row[aria-level="1"] .edit-checkbox');
      const count = await fileBoxes.count();
      if (count !== 3) throw new Error(`the refactor preview has ${count} file rows to confirm, not 3`);
      for (let i = 0; i < count; i++) await fileBoxes.nth(i).click({ timeout: timeouts.ui });
      await page.locator('.bulk-edit-panel .buttons .monaco-button').filter({ hasText: /^Apply$/ }).first().click({ timeout: timeouts.ui });
      await poll(
        async () => onDisk(),
        (texts) => Object.values(texts).every((text) => text.includes(names.first) && !new RegExp(`(?<![A-Z0-9-])${names.original}(?![A-Z0-9-])`).test(text)),
        (texts) => `on disk after Apply: ${Object.entries(texts ?? {}).map(([file, text]) => `${file} ${text.includes(names.first) ? 'renamed' : 'unchanged'}`).join(', ')}`,
        timeouts.server,
      );
      await waitForState(page, 'done');
    });

    await steps.step('the activity log shows every step', async () => {
      const log = (await panel(page).locator('#log li').allTextContents()).join('\n');
      for (const expected of ['Goal:', 'Plan', 'Decision: approve', 'references', 'proposeRename', 'compileCheck', 'runSample', 'output identical', 'Snapshot of', 'Edit applied', 'Result:', 'State: done']) {
        if (!log.includes(expected)) throw new Error(`the activity log lacks "${expected}":\n${log}`);
      }
    });

    await steps.step('the panel, closed and reopened, shows the same task and log', async () => {
      const tab = page.locator('.tabs-container .tab').filter({ hasText: 'COBOL Assist Agent' });
      await tab.hover({ timeout: timeouts.ui });
      await tab.locator('.codicon-close').click({ timeout: timeouts.ui });
      await tab.waitFor({ state: 'detached', timeout: timeouts.ui });
      await runCommand(page, 'COBOL Assist: Agent: Show Panel');
      await waitForState(page, 'done');
      const log = (await panel(page).locator('#log li').allTextContents()).join('\n');
      if (!log.includes('Edit applied')) throw new Error(`the reopened panel lost its log:\n${log}`);
    });

    const afterFirst = onDisk();
    await steps.step('a second rename, approved and stopped mid-way, writes nothing', async () => {
      await startRename(page, names.first, names.second, workspace);
      await waitForState(page, 'awaitingApproval');
      await panel(page).locator('#approve').click({ timeout: timeouts.ui });
      await waitForState(page, /^(executing|applying|done)$/, timeouts.ui);
      await panel(page).locator('#stop').click({ timeout: timeouts.ui });
      await waitForState(page, 'stopped', timeouts.ui);
      await page.waitForTimeout(2000);
      if (await page.locator('.bulk-edit-panel .monaco-list-row').filter({ hasText: names.second }).count()) throw new Error('a refactor preview for the stopped task opened');
      if (JSON.stringify(onDisk()) !== JSON.stringify(afterFirst)) throw new Error('the stopped task changed files');
    });

    await steps.step('a third rename, rejected, writes nothing', async () => {
      await startRename(page, names.first, names.third, workspace);
      await waitForState(page, 'awaitingApproval');
      await panel(page).locator('#reject').click({ timeout: timeouts.ui });
      await waitForState(page, 'rejected');
      if (JSON.stringify(onDisk()) !== JSON.stringify(afterFirst)) throw new Error('the rejected task changed files');
    });

    passed = true;
  } finally {
    await browser?.close();
    await server?.dispose({ keepRunFolder: !passed });
  }
});
