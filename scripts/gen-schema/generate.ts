import { camel, emitTypeScript } from './emit-ts.js';
import { FbsSyntaxError, parseFbs } from './parse-fbs.js';
import { resolveSchema } from './resolve-schema.js';

/** Where the TFLite schema and its generated module live, relative to the repository root. */
export const TFLITE_SCHEMA = 'schemas/tflite.fbs';
export const TFLITE_MODULE = 'src/schema/tflite.ts';
export const REGENERATE_COMMAND = 'npm run gen-schema';
/** The TFLite metadata subset (the TFLITE_METADATA buffer) and its generated module. */
export const TFLITE_METADATA_SCHEMA = 'schemas/tflite-metadata.fbs';
export const TFLITE_METADATA_MODULE = 'src/schema/tflite-metadata.ts';

/**
 * Turns the text of one of our .fbs subsets into the source of its module: by default the TFLite
 * schema into src/schema/tflite.ts; `schemaPath` names another (the metadata schema) in the header
 * and in syntax errors.
 */
export function generateTfliteModule(fbsText: string, schemaPath: string = TFLITE_SCHEMA): string {
  const schema = resolveSchema(parseFbs(fbsText, schemaPath), schemaPath);
  for (const table of schema.tables) {
    const seen = new Map<string, string>();
    for (const field of table.fields) {
      const name = camel(field.name);
      const clash = seen.get(name);
      if (clash) throw new FbsSyntaxError(schemaPath, 1, `${table.name}: fields ${clash} and ${field.name} are both ${name} in camelCase`);
      seen.set(name, field.name);
    }
  }
  return emitTypeScript(schema, { schemaPath, regenerate: REGENERATE_COMMAND, runtimePath: '../flatbuffer' });
}
