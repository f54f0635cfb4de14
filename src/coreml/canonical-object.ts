/**
 * Turns a caller's plain object into exactly what will be encoded with `bulkBytesSchemaType`
 * (enums as numbers, Float32Array weights as their little-endian bytes: see
 * BULK_FLOAT_FIELDS). protobufjs' `fromObject` ignores unknown keys and
 * unknown enum names and coerces mistyped values, which would turn an emitter bug into a
 * silently different model, so this walk refuses all three and replaces `fromObject`. It also drops
 * proto3 default scalars (0, false, '', empty bytes, the zero enum), which protobufjs would
 * otherwise write out: proto3 writers such as Apple's leave them off the wire, and a reader must
 * not see "set to zero" where proto3 means "unset".
 */
import protobuf from 'protobufjs';
import { CoremlError } from '../ir/errors.js';
import { isBulkFloatField } from './schema-root.js';
import { bytesOf } from '../ir/dtype.js';

type ScalarKind = 'float' | 'int' | 'uint' | 'boolean' | 'string' | 'bytes';

const SCALAR_KIND: Readonly<Record<string, ScalarKind>> = {
  double: 'float',
  float: 'float',
  int32: 'int',
  sint32: 'int',
  sfixed32: 'int',
  int64: 'int',
  sint64: 'int',
  sfixed64: 'int',
  uint32: 'uint',
  fixed32: 'uint',
  uint64: 'uint',
  fixed64: 'uint',
  bool: 'boolean',
  string: 'string',
  bytes: 'bytes',
};

export function canonicalObject(type: protobuf.Type, value: unknown, path: string): Record<string, unknown> {
  return walkMessage(type, value, [path]);
}

/**
 * Where the walk is, as segments (`Model`, `.layers`, `[3]`) that become a path string only in
 * an error message: building a string per field made encoding a large ML Program slow.
 */
type Trail = (string | number)[];

function at(trail: Trail, ...more: (string | number)[]): string {
  return [...trail, ...more].map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('');
}

function walkMessage(type: protobuf.Type, value: unknown, trail: Trail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CoremlError(at(trail), `expected a ${type.name} message object`);
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const fieldValue = (value as Record<string, unknown>)[key];
    if (fieldValue === undefined) continue;
    const field = type.fields[key];
    if (!field) throw new CoremlError(at(trail, `.${key}`), `${type.name} has no field '${key}' in our schema`);
    trail.push(`.${key}`);
    if (field instanceof protobuf.MapField) {
      if (typeof fieldValue !== 'object' || fieldValue === null) throw new CoremlError(at(trail), 'expected a map object');
      const map: Record<string, unknown> = {};
      for (const k in fieldValue) {
        if (!Object.hasOwn(fieldValue, k)) continue;
        trail.push(`[${k}]`);
        map[k] = walkValue(field, (fieldValue as Record<string, unknown>)[k], trail);
        trail.pop();
      }
      out[key] = map;
    } else if (isBulkFloatField(type, key)) {
      const bytes = packedFloatBytes(fieldValue, trail);
      if (bytes) out[key] = bytes;
    } else if (field.repeated) {
      if (!Array.isArray(fieldValue)) throw new CoremlError(at(trail), 'expected an array (repeated field)');
      const items = new Array<unknown>(fieldValue.length);
      for (let i = 0; i < fieldValue.length; i++) {
        trail.push(i);
        items[i] = walkValue(field, fieldValue[i], trail);
        trail.pop();
      }
      out[key] = items;
    } else {
      const canonical = walkValue(field, fieldValue, trail);
      if (!isDefaultScalar(field, canonical)) out[key] = canonical;
    }
    trail.pop();
  }
  return out;
}

/**
 * Weights go out as the bytes of the packed field (see bulkBytesSchemaType): a Float32Array as it
 * is, a plain array checked value by value. An empty list is left off the wire, as a packed
 * repeated field would be.
 */
function packedFloatBytes(value: unknown, trail: Trail): Uint8Array | undefined {
  let floats: Float32Array;
  if (value instanceof Float32Array) floats = value;
  else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (typeof item !== 'number') throw new CoremlError(at(trail, i), `expected float, got ${describe(item)}`);
    });
    floats = Float32Array.from(value as number[]);
  } else throw new CoremlError(at(trail), 'expected an array or a Float32Array (repeated float)');
  return floats.length > 0 ? bytesOf(floats) : undefined;
}

function walkValue(field: protobuf.Field, value: unknown, trail: Trail): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return walkMessage(resolved, value, trail);
  if (resolved instanceof protobuf.Enum) {
    const known = typeof value === 'string' ? Object.hasOwn(resolved.values, value) : typeof value === 'number' && value in resolved.valuesById;
    if (!known) throw new CoremlError(at(trail), `${String(value)} is not a value of enum ${resolved.name}`);
    // The encoder writes enums as numbers; names are resolved here, where they were checked.
    return typeof value === 'string' ? resolved.values[value] : value;
  }
  if (!scalarFits(SCALAR_KIND[field.type], value)) throw new CoremlError(at(trail), `expected ${field.type}, got ${describe(value)}`);
  return value;
}

/** Singular non-message fields holding proto3's default (-0.0 is not: its bits differ). */
function isDefaultScalar(field: protobuf.Field, value: unknown): boolean {
  // A oneof member has presence even when it holds a default.
  if (field.resolvedType instanceof protobuf.Type || field.partOf) return false;
  if (field.resolvedType instanceof protobuf.Enum) return value === 0 || (typeof value === 'string' && field.resolvedType.values[value] === 0);
  return Object.is(value, 0) || value === false || value === '' || (value instanceof Uint8Array && value.length === 0);
}

/** Floats may be any number (NaN and infinities included); integers must be exact and in sign. */
function scalarFits(kind: ScalarKind | undefined, value: unknown): boolean {
  switch (kind) {
    case 'float':
      return typeof value === 'number';
    case 'int':
      return Number.isSafeInteger(value);
    case 'uint':
      return Number.isSafeInteger(value) && (value as number) >= 0;
    case 'bytes':
      return value instanceof Uint8Array;
    case 'boolean':
    case 'string':
      return typeof value === kind;
    default:
      return false;
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
