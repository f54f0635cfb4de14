import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { COREML_DESCRIPTOR_MODULE, COREML_SCHEMA_DIR, COREML_TYPES_MODULE, generateCoremlModules } from '../../scripts/gen-schema/generate-coreml.js';
import { REGENERATE_COMMAND } from '../../scripts/gen-schema/generate.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function protoFiles(): Record<string, string> {
  const dir = join(root, COREML_SCHEMA_DIR);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.endsWith('.proto'))
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}

const fresh = generateCoremlModules(protoFiles(), REGENERATE_COMMAND);

test.each([
  [COREML_TYPES_MODULE, fresh.types],
  [COREML_DESCRIPTOR_MODULE, fresh.descriptor],
])(`%s is what the generator makes of ${COREML_SCHEMA_DIR}/*.proto`, (module, source) => {
  const committed = readFileSync(join(root, module), 'utf8');
  expect(committed === source, `${module} is stale or was edited by hand: run ${REGENERATE_COMMAND}`).toBe(true);
});

test('the Core ML codec reads no file at run time: the schema is the generated descriptor', () => {
  const offenders = ['src/coreml', 'src/schema'].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((name) => name.endsWith('.ts') && name !== 'tflite.ts')
      .map((name) => `${dir}/${name}`)
      .filter((path) => /\bloadSync\(|\.load\(|readFileSync|node:fs|PACKAGE_ROOT/.test(readFileSync(join(root, path), 'utf8'))),
  );
  expect(offenders).toEqual([]);
});
