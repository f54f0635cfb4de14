/**
 * Reading and writing .mlmodel bytes with our Core ML subset (schemas/coreml/*.proto).
 * Decoding yields plain objects (types.ts) holding only the fields that are set, so a reader can
 * tell "absent" from "zero" the way proto3 does and refuse a field it does not handle. Encoding
 * checks the object against the schema first, because protobufjs silently drops keys and enum
 * names it does not know; `findUnknownFields` covers the same gap in the other direction.
 */
import type protobuf from 'protobufjs';
import { CoremlError } from '../ir/errors.js';
import { schemaType, writerSchemaType } from './schema-root.js';
import { canonicalObject } from './canonical-object.js';
import type { Model } from './types.js';

export type { Model } from './types.js';
export { schemaType } from './schema-root.js';
import { findUnknownFields } from './unknown-fields.js';

export { findUnknownFields, type UnknownField } from './unknown-fields.js';

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: false,
  arrays: false,
  objects: false,
  oneofs: false,
};

/** Decodes .mlmodel bytes; `file` names the model in error messages. */
export function decodeMlmodel(bytes: Uint8Array, file: string): Model {
  const type = schemaType('Model');
  let message: protobuf.Message;
  try {
    message = type.decode(bytes);
  } catch (error) {
    throw new CoremlError('decode', `not a valid Core ML model (${(error as Error).message})`, file);
  }
  return type.toObject(message, TO_OBJECT) as Model;
}

/**
 * Decodes .mlmodel bytes for execution, refusing any field our schema does not declare: such a
 * field would be dropped by the decoder and so silently ignored by an executor.
 */
export function decodeMlmodelStrict(bytes: Uint8Array, file: string): Model {
  const unknown = findUnknownFields(bytes, file);
  if (unknown.length > 0) {
    const first = unknown[0]!;
    throw new CoremlError(first.path, `field ${first.fieldNumber} is not in our Core ML schema (${unknown.length} such field(s))`, file);
  }
  return decodeMlmodel(bytes, file);
}

/**
 * Encodes a model. Refuses (CoremlError) any key, enum name or value type the schema does not
 * declare, so what the caller wrote is exactly what the bytes say, and leaves proto3 defaults
 * off the wire. Fields are written in field-number order, so equal objects give identical bytes.
 */
export function encodeMlmodel(model: Model): Uint8Array {
  const type = schemaType('Model');
  return writerSchemaType('Model')
    .encode(canonicalObject(type, model, 'Model'))
    .finish();
}
