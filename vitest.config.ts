import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'spec-tests/**/*.test.ts'],
    // The browser tests need Chromium and Firefox and the browser build: vitest.browser.config.ts.
    exclude: ['test/browser/**', '**/node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
