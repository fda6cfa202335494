import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'server/**/*.test.ts', 'extension/**/*.test.ts', 'models/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
