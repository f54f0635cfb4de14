import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { DEV_DATA_ENV } from './scripts/dev-data.js';
import SlowestFirst from './test/support/sequencer.js';

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
    sequence: { sequencer: SlowestFirst },
    // Child processes (the CLI tests) inherit these too. On CI's virtual machine a first touch of
    // a 4 KiB page costs about 13 µs of CPU; glibc's malloc asking for transparent huge pages
    // (read when a process starts, so it reaches the workers and everything they spawn) halves
    // the suite's page faults, 2.36 M to 1.30 M, and its CPU, 233 s to 211 s (one idle pair of
    // runs). Where huge pages are off, or the C library is not glibc, it changes nothing; tunables
    // already set are kept.
    env: { ...DEV_DATA_ENV, GLIBC_TUNABLES: [process.env.GLIBC_TUNABLES, 'glibc.malloc.hugetlb=1'].filter(Boolean).join(':') },
  },
});
