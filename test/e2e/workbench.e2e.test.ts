/**
 * End to end, in a real VS Code (code-server) driven in Chromium: a fresh copy
 * of the sample workspace, the packaged VSIX, default user settings. Opens a
 * COBOL program and checks what a user sees: the COBOL language mode,
 * highlighted tokens, a language-server diagnostic (squiggle and Problems row)
 * and a command run from the palette. Writes its figures to bench-results/e2e.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { launchCodeServer, projectRoot, type E2eCodeServer } from './codeServer';
import { StepRecorder } from './steps';
import {
  goToLineColumn,
  languageModeItem,
  notificationText,
  openFileFromExplorer,
  openWorkbench,
  poll,
  problemRows,
  runCommand,
  squiggleCount,
  statusBarItem,
  timeouts,
  tokenClassOf,
} from './workbench';

const program = 'CUSTRPT.cbl';
/** Line 7 of CUSTRPT.cbl is `000700 IDENTIFICATION DIVISION.`: column 7 is its indicator. */
const editedLine = 7;
const keyword = 'IDENTIFICATION';
const commentText = 'customer balance report';
/** VS Code's token colour class for the default foreground: text the grammar left unscoped. */
const defaultForeground = 'mtk1';

it('a user opens a COBOL program and sees highlighting, diagnostics and the status command', async () => {
  const started = Date.now();
  let server: E2eCodeServer | undefined;
  let browser: Browser | undefined;
  let passed = false;
  let activationMs = Number.NaN;
  const steps = new StepRecorder(() => browser?.page, join(projectRoot, 'test-results', 'e2e'));
  try {
    server = await steps.step('start code-server with the packaged VSIX', () => launchCodeServer());
    browser = await steps.step('launch Chromium', () => launchBrowser(server!.run.dir));
    const { page } = browser;

    await steps.step('open the workbench', () => openWorkbench(page, server!.url));

    await steps.step(`open ${program} from the explorer`, () => openFileFromExplorer(page, program, keyword));

    await steps.step('language mode is COBOL', async () => {
      await poll(
        async () => (await languageModeItem(page).innerText({ timeout: timeouts.ui })).trim(),
        (mode) => mode === 'COBOL',
        (mode) => `the language mode status item says "${mode}", not "COBOL"`,
      );
    });

    await steps.step('keywords and comments are highlighted differently', async () => {
      const classes = await poll(
        async () => ({ keyword: await tokenClassOf(page, keyword), comment: await tokenClassOf(page, commentText) }),
        (found) =>
          found.keyword !== undefined && found.comment !== undefined &&
          found.keyword !== defaultForeground && found.comment !== defaultForeground &&
          found.keyword !== found.comment,
        (found) => `keyword "${keyword}" has class ${found?.keyword} and comment "${commentText}" has ${found?.comment}: ` +
          `expected two different classes, neither the default foreground (${defaultForeground})`,
      );
      console.log(`token classes: keyword ${classes.keyword}, comment ${classes.comment}`);
    });

    await steps.step('COBOL Assist: Show Status reports a ready server', async () => {
      await runCommand(page, 'COBOL Assist: Show Status');
      const text = await notificationText(page, /COBOL Assist: server/);
      const match = /server ready \((\d+) ms\)/.exec(text);
      if (!match) throw new Error(`the status notification does not report a ready server: "${text}"`);
      activationMs = Number(match[1]);
      console.log(`status notification: ${text}`);
      const item = statusBarItem(page);
      if (!(await item.locator('.codicon-check').count())) {
        throw new Error(`the COBOL Assist status bar item does not show the ready icon: "${await item.innerText()}"`);
      }
    });

    await steps.step('the pristine program has no error squiggles', async () => {
      await page.waitForTimeout(1000); // the server published this document's diagnostics long before it said ready
      const errors = await squiggleCount(page, 'error');
      if (errors > 0) throw new Error(`${errors} error squiggle(s) in the unedited ${program}, which cobc compiles`);
    });

    await steps.step('an invalid indicator in column 7 shows an error squiggle', async () => {
      await goToLineColumn(page, editedLine, 7);
      await page.keyboard.type('X');
      await poll(
        () => squiggleCount(page, 'error'),
        (count) => count > 0,
        () => `no .squiggly-error after typing X into column 7 of line ${editedLine}`,
        timeouts.server,
      );
    });

    await steps.step('the Problems panel names the diagnostic', async () => {
      const rows = await problemRows(page);
      const row = rows.filter({ hasText: /not a valid indicator in column 7/ }).first();
      await row.waitFor({ timeout: timeouts.server }).catch(async () => {
        const seen = await rows.allInnerTexts();
        throw new Error(`no Problems row about the indicator in column 7; rows: ${JSON.stringify(seen)}`);
      });
      console.log(`problem: ${(await row.innerText()).replace(/\s+/g, ' ')}`);
    });

    await steps.step('undoing the edit clears the diagnostic', async () => {
      await page.locator('.editor-instance .monaco-editor .view-lines').click({ timeout: timeouts.ui });
      await page.keyboard.press('Control+Z');
      await poll(
        () => squiggleCount(page, 'error'),
        (count) => count === 0,
        (count) => `${count} error squiggle(s) remain after undoing the edit`,
        timeouts.server,
      );
    });

    passed = true;
  } finally {
    await browser?.close();
    await server?.dispose({ keepRunFolder: !passed });
  }

  const e2eWallMs = Date.now() - started;
  expect(activationMs).toBeGreaterThanOrEqual(0);
  mkdirSync(join(projectRoot, 'bench-results'), { recursive: true });
  const figures = { activationMs, e2eWallMs, steps: steps.timings, measuredAt: new Date().toISOString() };
  writeFileSync(join(projectRoot, 'bench-results', 'e2e.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`e2e figures: activation ${activationMs} ms (extension activate -> server ready), wall time ${e2eWallMs} ms`);
});
