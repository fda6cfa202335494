/**
 * End to end for issue 13, editing COBOL as a mainframe developer expects, in
 * a real VS Code (code-server) on a fresh copy of the sample workspace: one
 * check per item the issue saw going wrong, each typing the keys and reading
 * the resulting line back from the saved file. One code-server launch for all
 * of them, to keep CI time down.
 *
 * 1. completion replaces the whole hyphenated name, and Enter after a fully
 *    typed name is a new line; 2. Enter, typing and deleting in a numbered
 *    fixed-format line keep columns 73-80, and code typed from column 1 gets
 *    one "code in the sequence area" error; 3. Ctrl+/ writes `*` in column 7;
 *    4. hovers have paragraphs and name an 88's parent once; 5. the Outline
 *    lists a copied record in declaration order; 6. quick fixes: did you
 *    mean, add a copybook folder, move code out of the sequence area; 7. the
 *    Show Status toast fits, no rulers in free format, REMARKS continuation
 *    coloured as commentary, go to definition from a copybook of procedures,
 *    a "ready" log line after a restart, and the Getting Started walkthrough.
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { launchCodeServer, projectRoot, type E2eCodeServer } from './codeServer';
import { StepRecorder } from './steps';
import { goToLineColumn, openFileFromExplorer, openWorkbench, poll, problemRows, runCommand, squiggleCount, timeouts, tokenClassOf } from './workbench';

const program = 'CUSTRPT.cbl';
const tag = 'CUSTRPT ';
const tagged = (sequence: string, code: string, id: string) => `${sequence} ${code}`.padEnd(72, ' ') + id;

/** Files the checks need beside the sample workspace, written into the run's copy only. */
const extraFiles: Record<string, string> = {
  'legacy/ACCTREC.cpy': ['       01  ACCOUNT-RECORD.', '           05  ACCT-ID                 PIC 9(8).', '           05  ACCT-LIMIT              PIC 9(7)V99.'].join('\n'),
  'copybooks/PROCS.cpy': ['       9100-RESET-COUNT.', '           MOVE ZERO TO WS-COUNT.'].join('\n'),
  'ACCTUPD.cbl': [
    tagged('000100', 'IDENTIFICATION DIVISION.', 'ACCTUPD '),
    tagged('000200', 'PROGRAM-ID. ACCTUPD.', 'ACCTUPD '),
    tagged('000300', 'REMARKS. UPDATES THE ACCOUNT MASTER', 'ACCTUPD '),
    tagged('000400', '    CONTINUED REMARK TEXT', 'ACCTUPD '),
    '000500* A COMMENT LINE',
    tagged('000600', 'DATA DIVISION.', 'ACCTUPD '),
    tagged('000700', 'WORKING-STORAGE SECTION.', 'ACCTUPD '),
    tagged('000800', '01  WS-COUNT PIC 99.', 'ACCTUPD '),
    tagged('000900', 'COPY ACCTREC.', 'ACCTUPD '),
    tagged('001000', 'COPY CUSTADDR.', 'ACCTUPD '),
    tagged('001100', 'PROCEDURE DIVISION.', 'ACCTUPD '),
    tagged('001200', '0000-MAIN.', 'ACCTUPD '),
    tagged('001300', '    MOVE 1 TO ACCT-ID', 'ACCTUPD '),
    tagged('001400', '    MOVE 2 TO ADDR-ZIP', 'ACCTUPD '),
    tagged('001500', '    PERFORM 9100-RESET-COUNT', 'ACCTUPD '),
    tagged('001600', '    STOP RUN.', 'ACCTUPD '),
    tagged('001700', 'COPY PROCS.', 'ACCTUPD '),
  ].join('\n'),
  'FREEFMT.cbl': ['>>SOURCE FORMAT FREE', 'IDENTIFICATION DIVISION.', 'PROGRAM-ID. FREEFMT.', 'PROCEDURE DIVISION.', '    DISPLAY "FREE FORMAT".', '    STOP RUN.'].join('\n'),
};

const editorLines = '.editor-instance .monaco-editor .view-lines';

it('editing COBOL: completion, fixed-format typing, comments, hovers, Outline, quick fixes and the smaller points', async () => {
  let server: E2eCodeServer | undefined;
  let browser: Browser | undefined;
  let passed = false;
  const steps = new StepRecorder(() => browser?.page, join(projectRoot, 'test-results', 'e2e-editing'));
  try {
    server = await steps.step('start code-server with the packaged VSIX', () => launchCodeServer());
    const workspace = server.run.workspace;
    for (const [file, text] of Object.entries(extraFiles)) {
      mkdirSync(join(workspace, file, '..'), { recursive: true });
      writeFileSync(join(workspace, file), `${text}\n`);
    }
    const original = readFileSync(join(workspace, program), 'utf8').split('\n');
    browser = await steps.step('launch Chromium', () => launchBrowser(server!.run.dir));
    const { page } = browser;
    const cursor = () => page.locator('[id="status.editor.selection"]').innerText({ timeout: timeouts.ui });
    const type = (text: string) => page.keyboard.type(text, { delay: 40 });
    /** The file's lines once saved and matching `accept` (the layout edits follow a keystroke by a round trip). */
    const savedLines = async (file: string, accept: (lines: string[]) => boolean, describe: (lines: string[] | undefined) => string) =>
      poll(
        async () => {
          await page.keyboard.press('Control+S');
          await page.waitForTimeout(300);
          return readFileSync(join(workspace, file), 'utf8').split('\n');
        },
        accept,
        describe,
        timeouts.server,
      );
    const show = (lines: string[] | undefined, from: number, to: number) => JSON.stringify(lines?.slice(from - 1, to));
    /** One-based line of the saved program that contains `text` (the steps before may have moved it). */
    const lineWith = (text: string) => {
      const index = readFileSync(join(workspace, program), 'utf8').split('\n').findIndex((line) => line.slice(0, 72).includes(text));
      if (index < 0) throw new Error(`no line of ${program} holds "${text}"`);
      return index + 1;
    };
    const savedLine = (line: number) => readFileSync(join(workspace, program), 'utf8').split('\n')[line - 1];
    const openTab = (name: string) => page.locator('.tabs-container .tab').filter({ hasText: name }).click({ timeout: timeouts.ui });

    await steps.step('open the workbench', () => openWorkbench(page, server!.url));
    await steps.step(`open ${program}`, () => openFileFromExplorer(page, program, 'IDENTIFICATION'));
    await steps.step('the language server is ready', async () => {
      // Hover answers once the server has analysed the program.
      await goToLineColumn(page, 39, 50);
      const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'WS-CUST-EOF' }).first();
      await poll(
        async () => {
          await page.keyboard.press('Control+K');
          await page.keyboard.press('Control+I');
          await page.waitForTimeout(500);
          return hover.isVisible();
        },
        (visible) => visible,
        () => 'no hover on WS-CUST-EOF: the language server did not answer',
        timeouts.server,
      );
      await page.keyboard.press('Escape');
    });

    // 2. Enter in a numbered fixed-format line.
    await steps.step('2 Enter mid-line keeps the tag on its line and continues in Area B with a new sequence number', async () => {
      const line = lineWith('ADD CUST-BALANCE TO TOT-BALANCE'); // 005800
      const next = savedLine(line + 1);
      await goToLineColumn(page, line, savedLine(line).indexOf(' TO TOT-BALANCE') + 1);
      await page.keyboard.press('Enter');
      await savedLines(
        program,
        (lines) => lines[line - 1] === tagged('005800', '    ADD CUST-BALANCE', tag) && lines[line] === '005810     TO TOT-BALANCE' && lines[line + 1] === next,
        (lines) => `after Enter in line ${line}: ${show(lines, line, line + 2)}`,
      );
      await poll(cursor, (text) => text.startsWith(`Ln ${line + 1}, Col 12`), (text) => `the cursor is at "${text}", not Ln ${line + 1}, Col 12 (Area B)`);
    });

    await steps.step('2 typing and deleting in Area B keep the tag at column 73', async () => {
      const line = lineWith('ADD 1 TO TOT-CUSTOMERS'); // 005700
      await goToLineColumn(page, line, 16);
      await type('XY');
      await savedLines(program, (lines) => lines[line - 1] === tagged('005700', '    ADD XY1 TO TOT-CUSTOMERS', tag), (lines) => `after typing XY: ${show(lines, line, line)}`);
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Backspace');
      await savedLines(program, (lines) => lines[line - 1] === original.find((text) => text.includes('ADD 1 TO TOT-CUSTOMERS')), (lines) => `after deleting XY: ${show(lines, line, line)}`);
    });

    await steps.step('2 code typed from column 1 gets one "code in the sequence area" error, and its quick fix moves it to Area B', async () => {
      const line = lineWith('STOP RUN.'); // 004100
      await goToLineColumn(page, line, savedLine(line).indexOf('.') + 2);
      await page.keyboard.press('Enter');
      await savedLines(program, (lines) => lines[line] === '004110     ', (lines) => `after Enter behind STOP RUN.: ${show(lines, line, line + 1)}`);
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Shift+Home');
      await type('MOVE ST-X TO TOT-BALANCE');
      await savedLines(program, (lines) => lines[line] === 'MOVE ST-X TO TOT-BALANCE', (lines) => `after typing from column 1: ${show(lines, line + 1, line + 1)}`);
      const rows = await problemRows(page);
      const texts = await poll(
        async () => (await rows.allInnerTexts()).join('\n'),
        (text) => text.includes('Code in the sequence area'),
        (text) => `Problems shows no "code in the sequence area" error: ${text}`,
        timeouts.server,
      );
      if (/not a valid indicator|No data item named 'T-X'|No data item named 'ST-/.test(texts)) throw new Error(`the noise is still reported: ${texts}`);
      await page.keyboard.press('Control+Shift+M'); // back to the editor
      await goToLineColumn(page, line + 1, 3);
      await applyQuickFix(page, /Move the code to Area B/);
      await savedLines(program, (lines) => lines[line] === '           MOVE ST-X TO TOT-BALANCE', (lines) => `after the quick fix: ${show(lines, line + 1, line + 1)}`);
      await page.keyboard.press('Control+Shift+K'); // delete the line again: the program is as it was around it
      await savedLines(program, (lines) => !lines.some((text) => text.includes('ST-X')), (lines) => `the line with ST-X is still there: ${show(lines, line, line + 1)}`);
    });

    // 1. Completion of hyphenated names.
    await steps.step('1 completion replaces the whole hyphenated name: MOVE OUT-R + Tab, TO WS-D + Tab', async () => {
      const line = lineWith('MOVE WS-DAYS-OVERDUE TO IN-DAYS-OVERDUE'); // 006100
      await goToLineColumn(page, line, savedLine(line).slice(0, 72).trimEnd().length + 1);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(500);
      await type('MOVE OUT-R');
      await suggestion(page, 'OUT-RATE');
      await page.keyboard.press('Tab');
      await type(' TO WS-D');
      await suggestion(page, 'WS-DAYS-OVERDUE');
      await page.keyboard.press('Tab');
      await savedLines(
        program,
        (lines) => lines[line] === '006110     MOVE OUT-RATE TO WS-DAYS-OVERDUE',
        (lines) => `after completing two names: ${show(lines, line + 1, line + 1)} (expected MOVE OUT-RATE TO WS-DAYS-OVERDUE, no OUT-OUT-)`,
      );
    });

    await steps.step('1 typing a whole name and Enter gives a new line, not an accepted suggestion', async () => {
      const line = lineWith('MOVE OUT-RATE TO WS-DAYS-OVERDUE');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(500);
      await type('MOVE OUT-RATE');
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      await page.waitForTimeout(500);
      await type('DISPLAY OUT-RATE');
      await page.keyboard.press('Escape');
      await savedLines(
        program,
        (lines) => lines[line] === '006120     MOVE OUT-RATE' && lines[line + 1] === '006130     DISPLAY OUT-RATE',
        (lines) => `after typing MOVE OUT-RATE, Enter, DISPLAY OUT-RATE: ${show(lines, line + 1, line + 2)}`,
      );
    });

    // 3. Toggle line comment.
    await steps.step('3 Ctrl+/ writes * in column 7 and removes it', async () => {
      const line = lineWith('ADD 1 TO TOT-CUSTOMERS');
      const before = savedLine(line);
      await goToLineColumn(page, line, 20);
      await page.keyboard.press('Control+/');
      const commented = `${before.slice(0, 6)}*${before.slice(7)}`;
      await savedLines(program, (lines) => lines[line - 1] === commented, (lines) => `after Ctrl+/: ${show(lines, line, line)}, expected ${JSON.stringify(commented)}`);
      await page.keyboard.press('Control+/');
      await savedLines(program, (lines) => lines[line - 1] === before, (lines) => `after a second Ctrl+/: ${show(lines, line, line)}`);
    });

    // 4. Hovers.
    await steps.step('4 hovers show separate lines and name an 88 level\'s parent once', async () => {
      const line = lineWith('UNTIL WS-CUST-EOF');
      await goToLineColumn(page, line, savedLine(line).indexOf('WS-CUST-EOF') + 3);
      const hover = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'WS-CUST-EOF' }).first();
      const found = await poll(
        async () => {
          await page.keyboard.press('Control+K');
          await page.keyboard.press('Control+I');
          await page.waitForTimeout(500);
          if (!(await hover.isVisible())) return { paragraphs: 0, text: '' };
          return { paragraphs: await hover.locator('p').count(), text: await hover.innerText() };
        },
        (seen) => seen.paragraphs >= 3,
        (seen) => `the hover has ${seen?.paragraphs} paragraph(s): "${seen?.text}"`,
        timeouts.server,
      );
      const parents = found.text.split('WS-CUST-STATUS').length - 1;
      if (parents !== 1) throw new Error(`the 88-level hover names WS-CUST-STATUS ${parents} times: "${found.text}"`);
      await page.keyboard.press('Escape');
    });

    // 5. Outline order.
    await steps.step('5 the Outline lists the copied record in declaration order', async () => {
      const declared = ['CUST-ID', 'CUST-NAME', 'CUST-TYPE', 'CUST-BALANCE', 'CUST-CREDIT-LIMIT', 'CUST-LAST-ORDER'];
      await runCommand(page, 'Focus on Outline View');
      const rows = page.locator('.outline-pane .monaco-list-row');
      await rows.first().waitFor({ timeout: timeouts.server });
      const seen = new Map<number, string>();
      await poll(
        async () => {
          for (const row of await rows.all()) {
            const index = Number(await row.getAttribute('data-index'));
            seen.set(index, (await row.innerText()).replace(/\s+/g, ' ').trim());
          }
          await page.locator('.outline-pane .monaco-list').first().hover();
          await page.mouse.wheel(0, 200);
          const order = [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, text]) => declared.find((name) => text.startsWith(name))).filter((name): name is string => name !== undefined);
          return [...new Set(order)];
        },
        (order) => order.length === declared.length,
        (order) => `the Outline shows ${JSON.stringify(order)} of ${JSON.stringify(declared)}`,
        timeouts.server,
      ).then((order) => {
        if (order.join() !== declared.join()) throw new Error(`the Outline lists the CUSTREC fields as ${order.join(', ')}, not in declaration order`);
      });
    });

    // 6. Quick fixes.
    await steps.step('6 did you mean: a mistyped name is corrected by its quick fix, the tag staying at column 73', async () => {
      await openTab(program);
      const line = lineWith('ADD 1 TO TOT-CUSTOMERS');
      const before = savedLine(line);
      await goToLineColumn(page, line, before.indexOf('TOT-CUSTOMERS') + 'TOT-CUSTOMERS'.length + 1);
      await page.keyboard.press('Backspace'); // TOT-CUSTOMER
      await poll(() => squiggleCount(page, 'error'), (count) => count > 0, () => 'no error squiggle on TOT-CUSTOMER', timeouts.server);
      await goToLineColumn(page, line, before.indexOf('TOT-CUSTOMERS') + 3);
      await applyQuickFix(page, /Change to 'TOT-CUSTOMERS'/);
      await savedLines(program, (lines) => lines[line - 1] === before, (lines) => `after the did-you-mean fix: ${show(lines, line, line)}`);
    });

    await steps.step('6 a missing copybook: the note names both copybooks, and the quick fix adds legacy to cobolAssist.copybookPaths', async () => {
      await openFileFromExplorer(page, 'ACCTUPD.cbl', 'IDENTIFICATION');
      const rows = await problemRows(page);
      await poll(
        async () => (await rows.allInnerTexts()).join('\n'),
        (text) => text.includes('copybooks ACCTREC and CUSTADDR are missing'),
        (text) => `Problems does not name both missing copybooks: ${text}`,
        timeouts.server,
      );
      await page.keyboard.press('Control+Shift+M');
      await goToLineColumn(page, 9, 15);
      await applyQuickFix(page, /Add 'legacy' to cobolAssist.copybookPaths/);
      await poll(
        async () => {
          try {
            return readFileSync(join(workspace, '.vscode', 'settings.json'), 'utf8');
          } catch {
            return '';
          }
        },
        (text) => text.includes('"legacy"'),
        (text) => `.vscode/settings.json does not list legacy: ${text}`,
      );
      const problems = await problemRows(page);
      await poll(
        async () => (await problems.allInnerTexts()).join('\n'),
        (text) => !/ACCTREC' not found/.test(text) && /CUSTADDR' not found/.test(text),
        (text) => `after adding legacy, Problems still says: ${text}`,
        timeouts.server,
      );
      await page.keyboard.press('Control+Shift+M');
    });

    // 7. The smaller points.
    await steps.step('7 REMARKS continuation lines are coloured as commentary', async () => {
      const remark = await tokenClassOf(page, 'CONTINUED REMARK TEXT');
      const comment = await tokenClassOf(page, 'A COMMENT LINE');
      const code = await tokenClassOf(page, 'WORKING-STORAGE');
      if (!remark || remark === code || remark !== (await tokenClassOf(page, 'UPDATES THE ACCOUNT MASTER'))) {
        throw new Error(`REMARKS continuation has class ${remark}, the REMARKS text ${await tokenClassOf(page, 'UPDATES THE ACCOUNT MASTER')}, code ${code}, a comment ${comment}`);
      }
    });

    await steps.step('7 go to definition inside a copybook of PROCEDURE DIVISION code opens the program that declares the name', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: /^copybooks$/ }).first().click({ timeout: timeouts.ui });
      await openFileFromExplorer(page, 'PROCS.cpy', 'RESET-COUNT');
      await goToLineColumn(page, 2, 28);
      await page.keyboard.press('F12');
      await poll(
        async () => ({ tab: (await page.locator('.tabs-container .tab.active').innerText({ timeout: timeouts.ui })).trim(), at: await cursor() }),
        (seen) => seen.tab.includes('ACCTUPD.cbl') && seen.at.startsWith('Ln 8,'),
        (seen) => `F12 on WS-COUNT in PROCS.cpy went to "${seen?.tab}" at "${seen?.at}", not ACCTUPD.cbl line 8`,
        timeouts.server,
      );
    });

    await steps.step('7 no rulers in a free-format file', async () => {
      await openFileFromExplorer(page, 'FREEFMT.cbl', 'FREE FORMAT');
      await page.waitForTimeout(500);
      const rulers = await page.locator('.editor-instance .monaco-editor .view-ruler').count();
      if (rulers > 0) throw new Error(`${rulers} ruler(s) drawn in a free-format file`);
    });

    await steps.step('7 the Show Status toast is not cut off', async () => {
      await runCommand(page, 'COBOL Assist: Show Status');
      const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: /COBOL Assist: server/ }).first();
      await toast.waitFor({ timeout: timeouts.server });
      await page.waitForTimeout(600);
      const message = toast.locator('.notification-list-item-message').first();
      const fits = await message.evaluate((element) => element.scrollWidth <= element.clientWidth + 1);
      if (!fits) throw new Error(`the status toast is cut off: "${await message.innerText()}"`);
      await page.keyboard.press('Escape');
    });

    await steps.step('7 after Restart Language Server the log has a ready line', async () => {
      await runCommand(page, 'COBOL Assist: Restart Language Server');
      const logText = () => findFiles(join(server!.run.dir, 'user', 'logs'), /COBOL Assist\.log$/).map((file) => readFileSync(file, 'utf8')).join('\n');
      await poll(async () => logText(), (text) => /ready again/.test(text), (text) => `no "ready again" line in the log: ${text?.slice(-600)}`, timeouts.server);
    });

    await steps.step('7 the Getting Started walkthrough opens the sample program', async () => {
      await runCommand(page, 'Welcome: Open Walkthrough');
      const pick = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Get started with COBOL Assist' }).first();
      await pick.waitFor({ timeout: timeouts.ui });
      await pick.click();
      await page.locator('.gettingStartedContainer').filter({ hasText: 'Open a sample program' }).first().waitFor({ timeout: timeouts.ui });
      // The step's own button, not the step (itself a button holding the same words).
      await page.locator('.gettingStartedContainer').getByText('Open Sample Program', { exact: true }).first().click({ timeout: timeouts.ui });
      await page.locator(editorLines).filter({ hasText: 'PROGRAM-ID. SAMPLE.' }).first().waitFor({ timeout: timeouts.server });
    });

    passed = true;
  } finally {
    await browser?.close();
    await server?.dispose({ keepRunFolder: !passed });
  }
}, 600_000); // many checks in one launch: longer than the default per-test limit

/** Waits until the suggest widget lists `label` as its focused item. */
async function suggestion(page: Browser['page'], label: string): Promise<void> {
  const focused = page.locator('.suggest-widget.visible .monaco-list-row.focused');
  await poll(
    async () => ((await focused.count()) > 0 ? (await focused.first().innerText()).trim() : ''),
    (text) => text.startsWith(label),
    (text) => `the suggest widget's first item is "${text}", not ${label}`,
    timeouts.server,
  );
}

/** Ctrl+. on the cursor, then the code action whose title matches. */
async function applyQuickFix(page: Browser['page'], title: RegExp): Promise<void> {
  const item = page.locator('.action-widget .monaco-list-row').filter({ hasText: title }).first();
  await poll(
    async () => {
      await page.keyboard.press('Control+.');
      await page.waitForTimeout(700);
      if (await item.isVisible()) return true;
      await page.keyboard.press('Escape');
      return false;
    },
    (visible) => visible,
    () => `Ctrl+. offers no quick fix matching ${title}`,
    timeouts.server,
  );
  // The list keeps focus: walk it with the arrow keys to the action and apply it with Enter.
  const focused = page.locator('.action-widget .monaco-list-row.focused');
  for (let step = 0; step < 20; step++) {
    const text = (await focused.count()) > 0 ? await focused.first().innerText() : '';
    if (title.test(text)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`the quick fix list offers ${title} but it could not be selected`);
}

function findFiles(folder: string, pattern: RegExp): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (pattern.test(name)) found.push(path);
    }
  };
  try {
    visit(folder);
  } catch {
    // not there yet
  }
  return found;
}
