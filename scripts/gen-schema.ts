/**
 * Regenerates src/schema/tflite.ts from schemas/tflite.fbs, src/schema/tflite-metadata.ts from
 * schemas/tflite-metadata.fbs, and the Core ML modules
 * (src/schema/coreml.ts, src/schema/coreml-descriptor.ts) from schemas/coreml/*.proto. Node 20
 * cannot run TypeScript directly, so `npm run gen-schema` compiles this script
 * (scripts/gen-schema/tsconfig.json) into .cache/gen-schema first; the script finds the
 * repository root from where it runs.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COREML_DESCRIPTOR_MODULE, COREML_SCHEMA_DIR, COREML_TYPES_MODULE, generateCoremlModules } from './gen-schema/generate-coreml.js';
import {
  REGENERATE_COMMAND,
  TFLITE_METADATA_MODULE,
  TFLITE_METADATA_SCHEMA,
  TFLITE_MODULE,
  TFLITE_SCHEMA,
  generateTfliteModule,
} from './gen-schema/generate.js';

function repositoryRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, TFLITE_SCHEMA))) return dir;
    if (dirname(dir) === dir) throw new Error(`no ${TFLITE_SCHEMA} above ${start}`);
  }
}

function write(relativePath: string, source: string): void {
  const output = join(root, relativePath);
  const previous = existsSync(output) ? readFileSync(output, 'utf8') : null;
  if (previous === source) {
    console.log(`${relativePath} is up to date`);
  } else {
    writeFileSync(output, source);
    console.log(`wrote ${relativePath} (${source.split('\n').length - 1} lines)`);
  }
}

const root = repositoryRoot(dirname(fileURLToPath(import.meta.url)));
write(TFLITE_MODULE, generateTfliteModule(readFileSync(join(root, TFLITE_SCHEMA), 'utf8')));
write(TFLITE_METADATA_MODULE, generateTfliteModule(readFileSync(join(root, TFLITE_METADATA_SCHEMA), 'utf8'), TFLITE_METADATA_SCHEMA));
const protoDir = join(root, COREML_SCHEMA_DIR);
const protoFiles = Object.fromEntries(
  readdirSync(protoDir)
    .filter((name) => name.endsWith('.proto'))
    .sort()
    .map((name) => [name, readFileSync(join(protoDir, name), 'utf8')]),
);
const coreml = generateCoremlModules(protoFiles, REGENERATE_COMMAND);
write(COREML_TYPES_MODULE, coreml.types);
write(COREML_DESCRIPTOR_MODULE, coreml.descriptor);
