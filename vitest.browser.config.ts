import { defineConfig } from 'vitest/config';

/** The browser tests (`npm run test:browser`): real Chromium and Firefox, one file at a time so two browsers never share the 2 cores. */
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
