/**
 * vitest's global setup: builds dist/ once (scripts/build.mjs) before any test
 * file runs, so the test files that drive the real server or CLI do not
 * rebuild it in parallel workers, where one could start a bundle another is
 * still writing.
 */
import { buildServerBundle, builtOnceVariable } from './serverProcess';

export default function setup(): void {
  buildServerBundle();
  process.env[builtOnceVariable] = '1';
}
