/**
 * The repository's test data beside it in `../shared` (two models npm does not ship, the test
 * images, the seed app's reference files). The package never looks there by itself; the tests
 * (vitest.config.ts), `npm run golden` and `npm run bench` point it there through the two
 * environment variables below, the same ones a user would set.
 */
import { join, resolve } from 'node:path';
import { GOLDEN_IMAGE_DIR_VARIABLE } from '../src/check/golden.js';
import { MODEL_DIR_VARIABLE, PACKAGE_ROOT } from '../src/models/registry.js';

export const SHARED_DIR = resolve(PACKAGE_ROOT, '..', 'shared');

export const DEV_DATA_ENV: Readonly<Record<string, string>> = {
  [MODEL_DIR_VARIABLE]: join(SHARED_DIR, 'models'),
  [GOLDEN_IMAGE_DIR_VARIABLE]: join(SHARED_DIR, 'images'),
};

/** Sets the variables a caller has not set already. */
export function useDevData(): void {
  for (const [name, value] of Object.entries(DEV_DATA_ENV)) process.env[name] ??= value;
}
