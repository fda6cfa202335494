/**
 * Page helpers for VS Code's workbench (code-server 4.100 / VS Code 1.100):
 * what a user does (open a file, type, run a command) and what a user sees
 * (status bar, highlighted tokens, squiggles, Problems, notifications).
 * Selectors are the ones in ../shared/notes/e2e-in-code-server.md.
 */
import type { Locator, Page } from 'playwright-core';

/** Time-outs for a loaded 2-core machine: generous, but every wait is bounded. */
export const timeouts = {
  workbench: 120_000,
  ui: 30_000,
  server: 60_000,
} as const;

const editorLines = '.editor-instance .monaco-editor .view-lines';

export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { timeout: timeouts.workbench, waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: timeouts.workbench });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeouts.workbench });
}

/** Clicks the file in the Explorer and waits for its text in the editor. */
export async function openFileFromExplorer(page: Page, fileName: string, expectText: string): Promise<void> {
  const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: fileName }).first();
  await row.click({ timeout: timeouts.ui });
  await page.locator('.tabs-container .tab.active').filter({ hasText: fileName }).waitFor({ timeout: timeouts.ui });
  await page.locator(editorLines).filter({ hasText: expectText }).waitFor({ timeout: timeouts.ui });
}

export function languageModeItem(page: Page): Locator {
  return page.locator('[id="status.editor.mode"]');
}

/** The extension's own status bar item (its id is `<extension id>.cobolAssist.status`). */
export function statusBarItem(page: Page): Locator {
  return page.locator('.statusbar-item[id$="cobolAssist.status"]').first();
}

/**
 * The `mtk*` colour class of the first rendered token whose text contains
 * `text` (Monaco renders spaces as U+00A0), or undefined when none is visible.
 */
export async function tokenClassOf(page: Page, text: string): Promise<string | undefined> {
  const spans = page.locator(`${editorLines} .view-line span[class*="mtk"]`);
  const texts = await spans.allTextContents();
  const index = texts.findIndex((content) => content.replace(/\u00a0/g, ' ').includes(text));
  if (index < 0) return undefined;
  const classes = (await spans.nth(index).getAttribute('class', { timeout: timeouts.ui })) ?? '';
  return classes.split(/\s+/).find((name) => /^mtk\d+$/.test(name));
}

/** Polls until `probe` returns a value accepted by `accept`, or fails with `describe(last)`. */
export async function poll<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  describe: (last: T | undefined) => string,
  timeoutMs: number = timeouts.ui,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await probe();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`${describe(last)} (after ${timeoutMs / 1000} s)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Puts the cursor at a one-based line and column with Go to Line (Ctrl+G). */
export async function goToLineColumn(page: Page, line: number, column: number): Promise<void> {
  await page.locator(editorLines).click({ timeout: timeouts.ui });
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: timeouts.ui });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: timeouts.ui });
}

/** Runs a command by its title from the command palette (F1). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: timeouts.ui });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor({ timeout: timeouts.ui });
  await page.keyboard.press('Enter');
}

/** Waits for a notification toast whose text matches and returns its text. */
export async function notificationText(page: Page, pattern: RegExp, timeoutMs: number = timeouts.server): Promise<string> {
  const toast = page.locator('.notifications-toasts .notification-toast').filter({ hasText: pattern }).first();
  await toast.waitFor({ timeout: timeoutMs });
  await page.waitForTimeout(500); // toasts slide in: let the screenshot show it whole
  return (await toast.innerText()).trim();
}

/** Opens the Problems panel (Ctrl+Shift+M) and returns its marker rows. */
export async function problemRows(page: Page): Promise<Locator> {
  const rows = page.locator('.markers-panel .monaco-list-row');
  if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').waitFor({ timeout: timeouts.ui });
  return rows;
}

/** Squiggles drawn in the active editor (they live in its overlays, not its lines). */
export async function squiggleCount(page: Page, severity: 'error' | 'warning'): Promise<number> {
  return page.locator(`.editor-instance .monaco-editor .squiggly-${severity}`).count();
}
