import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SLOWEST } from '../support/sequencer.js';

it('starts only test files that exist first', () => {
  expect(SLOWEST.filter((file) => !file.endsWith('.test.ts') || !existsSync(file))).toEqual([]);
  expect(new Set(SLOWEST).size).toBe(SLOWEST.length);
});
