import { defineConfig } from 'vitest/config';
import { DEV_DATA_ENV } from './scripts/dev-data.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Child processes (the CLI tests) inherit these too.
    env: { ...DEV_DATA_ENV },
  },
});
