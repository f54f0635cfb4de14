import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { DEV_DATA_ENV } from './scripts/dev-data.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Vitest's default leaves one core idle (for watch mode's own work); a run on CI's two cores
    // takes 266 s with both busy against 388 s with one.
    maxWorkers: availableParallelism(),
    // Files share a worker's module cache instead of re-importing the converter, ONNX Runtime,
    // sharp and protobufjs in a fresh process each; that import was a sixth of the run.
    isolate: false,
    // Child processes (the CLI tests) inherit these too.
    env: { ...DEV_DATA_ENV },
  },
});
