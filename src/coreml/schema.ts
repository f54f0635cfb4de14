/**
 * Reading and writing .mlmodel bytes with our Core ML subset (schemas/coreml/*.proto).
 * Decoding yields plain objects (types.ts) holding only the fields that are set, so a reader can
 * tell "absent" from "zero" the way proto3 does and refuse a field it does not handle. Encoding
 * checks the object against the schema first, because protobufjs silently drops keys and enum
 * names it does not know; `findUnknownFields` covers the same gap in the other direction.
 */
import protobuf from 'protobufjs';
import { CoremlError } from '../ir/errors.js';
import { HOST_IS_LITTLE_ENDIAN, typedArrayFromBytes } from '../ir/dtype.js';
import { bulkBytesSchemaType, isBulkFloatField, schemaType } from './schema-root.js';
import { canonicalObject } from './canonical-object.js';
import type { Model } from './types.js';

export type { Model } from './types.js';
export { schemaType } from './schema-root.js';
import { scanFields } from './unknown-fields.js';

export { findUnknownFields, type UnknownField } from './unknown-fields.js';

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: false,
  arrays: false,
  objects: false,
  oneofs: false,
};

/**
 * Decodes .mlmodel bytes; `file` names the model in error messages. Fields our schema does not
 * declare are dropped (decodeMlmodelStrict refuses them). The bulk float fields (weights) come
 * back as Float32Arrays, as decodeMlmodelStrict reads them: a JavaScript number per weight, in
 * the decoder and again in its toObject, made decoding a converted model most of the cost of
 * checking it. Such a view shares memory with `bytes`, which the caller must then leave alone.
 */
export function decodeMlmodel(bytes: Uint8Array, file: string): Model {
  let packed: boolean;
  try {
    packed = scanFields(bytes, file).bulkFloatsPacked;
  } catch (error) {
    throw new CoremlError('decode', `not a valid Core ML model (${(error as Error).message})`, file);
  }
  return decodeBulkFloats(bytes, packed, file);
}

function decodeWith(type: protobuf.Type, bytes: Uint8Array, file: string): Model {
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
 * field would be dropped by the decoder and so silently ignored by an executor. The bulk float
 * fields (weights) come back as Float32Arrays: read as bytes and viewed in place where the
 * packing allows (see scanFields), which spares a JavaScript number per weight, twice over,
 * in the decoder and its toObject. Such a view shares memory with `bytes`, so the caller must
 * not change `bytes` while it uses the model.
 */
export function decodeMlmodelStrict(bytes: Uint8Array, file: string): Model {
  const { unknown, bulkFloatsPacked } = scanFields(bytes, file);
  if (unknown.length > 0) {
    const first = unknown[0]!;
    throw new CoremlError(first.path, `field ${first.fieldNumber} is not in our Core ML schema (${unknown.length} such field(s))`, file);
  }
  return decodeBulkFloats(bytes, bulkFloatsPacked, file);
}

/** Decodes with the bulk float fields as Float32Arrays; `packed` as scanFields found them. */
function decodeBulkFloats(bytes: Uint8Array, packed: boolean, file: string): Model {
  const type = packed ? bulkBytesSchemaType('Model') : schemaType('Model');
  const model = decodeWith(type, bytes, file);
  bulkFloatArrays(type, model as Record<string, unknown>);
  return model;
}

/** Replaces, below `message` (a decoded object of `type`), each bulk float field by a Float32Array. */
function bulkFloatArrays(type: protobuf.Type, message: Record<string, unknown>): void {
  for (const field of fieldsToBulkFloats(type)) {
    const value = message[field.name];
    if (value === undefined) continue;
    const child = field.resolvedType;
    if (child instanceof protobuf.Type) {
      const items = field.map ? Object.values(value as object) : field.repeated ? (value as unknown[]) : [value];
      for (const item of items) bulkFloatArrays(child, item as Record<string, unknown>);
    } else {
      const floats = value instanceof Uint8Array ? floatsOfBytes(value) : Float32Array.from(value as number[]);
      // As with a packed repeated field, an empty run means unset.
      if (floats.length > 0) message[field.name] = floats;
      else delete message[field.name];
    }
  }
}

/**
 * The fields of `type` that are bulk float fields or lead to one, so the walk above skips the
 * parts of a model that hold no weights (an ML Program's whole program, for one).
 */
function fieldsToBulkFloats(type: protobuf.Type): readonly protobuf.Field[] {
  let fields = bulkRoutes.get(type);
  if (!fields) {
    // Types can nest themselves (a block's operations hold blocks), so reachability is found
    // over the whole closure of `type` at once, by iterating to a fixed point.
    const closure = new Set<protobuf.Type>([type]);
    for (const t of closure) {
      for (const f of t.fieldsArray) if (f.resolvedType instanceof protobuf.Type) closure.add(f.resolvedType);
    }
    const reaches = new Set<protobuf.Type>([...closure].filter((t) => t.fieldsArray.some((f) => isBulkFloatField(t, f.name))));
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of closure) {
        if (!reaches.has(t) && t.fieldsArray.some((f) => f.resolvedType instanceof protobuf.Type && reaches.has(f.resolvedType))) {
          reaches.add(t);
          grew = true;
        }
      }
    }
    for (const t of closure) {
      if (bulkRoutes.has(t)) continue;
      bulkRoutes.set(
        t,
        t.fieldsArray.filter((f) => (f.resolvedType instanceof protobuf.Type ? reaches.has(f.resolvedType) : isBulkFloatField(t, f.name))),
      );
    }
    fields = bulkRoutes.get(type)!;
  }
  return fields;
}

const bulkRoutes = new WeakMap<protobuf.Type, readonly protobuf.Field[]>();

/** Little-endian float32 bytes as floats: a view where the host and the alignment allow, else a copy. */
function floatsOfBytes(bytes: Uint8Array): Float32Array {
  if (HOST_IS_LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return typedArrayFromBytes('float32', bytes);
}

/**
 * Encodes a model. Refuses (CoremlError) any key, enum name or value type the schema does not
 * declare, so what the caller wrote is exactly what the bytes say, and leaves proto3 defaults
 * off the wire. Fields are written in field-number order, so equal objects give identical bytes.
 */
export function encodeMlmodel(model: Model): Uint8Array {
  const type = schemaType('Model');
  return bulkBytesSchemaType('Model')
    .encode(canonicalObject(type, model, 'Model'))
    .finish();
}
