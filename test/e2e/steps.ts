/**
 * Runs the named steps of an end-to-end scenario: each step saves a screenshot
 * under test-results/e2e/ named after it, and a failing step fails the test
 * with a message that names the step (and keeps its screenshot).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export class StepRecorder {
  private count = 0;
  readonly timings: { step: string; ms: number }[] = [];

  /** `page` is read at each screenshot: steps before the browser exists get none. */
  constructor(private readonly page: () => Page | undefined, readonly screenshotDir: string) {
    rmSync(screenshotDir, { recursive: true, force: true });
    mkdirSync(screenshotDir, { recursive: true });
  }

  async step<T>(name: string, action: () => Promise<T>): Promise<T> {
    const file = `${String(++this.count).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
    const started = Date.now();
    try {
      const result = await action();
      this.timings.push({ step: name, ms: Date.now() - started });
      await this.screenshot(`${file}.png`);
      return result;
    } catch (error) {
      const shot = await this.screenshot(`${file}-FAILED.png`);
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`e2e step "${name}" failed after ${Date.now() - started} ms: ${reason}\n  screenshot: ${shot ?? '(none)'}`, { cause: error });
    }
  }

  private async screenshot(fileName: string): Promise<string | undefined> {
    const page = this.page();
    if (!page) return undefined;
    const path = join(this.screenshotDir, fileName);
    try {
      await page.screenshot({ path, timeout: 15_000 });
      return path;
    } catch {
      return undefined; // a dead page must not hide the step's own error
    }
  }
}
