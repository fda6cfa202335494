/**
 * Vitest configuration for the end-to-end tests: a real VS Code (code-server)
 * driven in Chromium. One file at a time, since each run starts its own
 * code-server and browser; time-outs sized for a loaded 2-core machine.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
