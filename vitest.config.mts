import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'server/**/*.test.ts', 'extension/**/*.test.ts', 'models/**/*.test.ts'],
    testTimeout: 30_000,
    // Builds dist/ once for the run (the tests that drive the real server and CLI need it).
    globalSetup: ['test/integration/buildOnce.ts'],
  },
});
