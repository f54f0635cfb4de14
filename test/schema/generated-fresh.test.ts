import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import {
  REGENERATE_COMMAND,
  TFLITE_METADATA_MODULE,
  TFLITE_METADATA_SCHEMA,
  TFLITE_MODULE,
  TFLITE_SCHEMA,
  generateTfliteModule,
} from '../../scripts/gen-schema/generate.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

test.each([
  [TFLITE_MODULE, TFLITE_SCHEMA],
  [TFLITE_METADATA_MODULE, TFLITE_METADATA_SCHEMA],
])('%s is what the generator makes of %s', (module, schema) => {
  const fresh = generateTfliteModule(readFileSync(root + schema, 'utf8'), schema);
  const committed = readFileSync(root + module, 'utf8');
  expect(committed === fresh, `${module} is stale or was edited by hand: run ${REGENERATE_COMMAND}`).toBe(true);
});
