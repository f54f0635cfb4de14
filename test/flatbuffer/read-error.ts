import { ReadError } from '../../src/ir/errors.js';

/** Runs `fn`, which must throw a ReadError, and returns that error for closer checks. */
export function readErrorOf(fn: () => unknown): ReadError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ReadError) return error;
    throw new Error(`expected a ReadError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a ReadError, but nothing was thrown');
}
