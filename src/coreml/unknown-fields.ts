/**
 * The strict check protobufjs does not make: it skips field numbers its schema lacks without a
 * word. This walk re-reads the wire format against our subset and reports every field the subset
 * does not declare, and every declared field that arrives with a wire type the subset does not
 * expect (which means the subset's idea of that field is wrong).
 */
import protobuf from 'protobufjs';
import { CoremlError } from '../ir/errors.js';
import { isBulkFloatField, schemaType } from './schema-root.js';

export interface UnknownField {
  /** Field names from the model root, e.g. `neuralNetwork.layers[3].convolution.#77`. */
  readonly path: string;
  readonly fieldNumber: number;
  readonly wireType: number;
  readonly reason: 'undeclared' | 'wire type';
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

/** protobufjs' table of the wire type of each scalar type name. */
const basicWireTypes: Readonly<Record<string, number>> = protobuf.types.basic;

/** Lists the fields of `bytes` (an encoded Model) that our schema does not declare. */
export function findUnknownFields(bytes: Uint8Array, file = 'model'): UnknownField[] {
  return scanFields(bytes, file).unknown;
}

/** What one walk over an encoded Model found. */
export interface FieldScan {
  readonly unknown: UnknownField[];
  /**
   * Whether every bulk float field (BULK_FLOAT_FIELDS) arrives as a single packed run of whole
   * float32s, the form a `bytes` reading of the field takes in faithfully. Writers pack them so;
   * protobuf also allows one float per tag, or several runs that concatenate.
   */
  readonly bulkFloatsPacked: boolean;
}

interface Walk {
  readonly found: UnknownField[];
  bulkFloatsPacked: boolean;
}

/** Walks `bytes` (an encoded Model) once: its unknown fields, and the form of its bulk floats. */
export function scanFields(bytes: Uint8Array, file = 'model'): FieldScan {
  const walk: Walk = { found: [], bulkFloatsPacked: true };
  try {
    const reader = protobuf.Reader.create(bytes);
    walkMessage(reader, reader.len, schemaType('Model'), undefined, walk);
  } catch (error) {
    if (error instanceof CoremlError) throw error;
    throw new CoremlError('wire format', `malformed protobuf (${(error as Error).message})`, file);
  }
  return { unknown: walk.found, bulkFloatsPacked: walk.bulkFloatsPacked };
}

/**
 * Where the walk is, as the chain of nested fields (with the element's index in a repeated or
 * map field, else -1), made into a path string only for a field that is reported: a string per
 * field made the walk over an ML Program's many small messages slow.
 */
interface Trail {
  readonly parent: Trail | undefined;
  readonly name: string;
  readonly index: number;
}

function pathOf(trail: Trail | undefined, name: string, index = -1): string {
  const parts = [segment(name, index)];
  for (let t = trail; t; t = t.parent) parts.push(segment(t.name, t.index));
  return parts.reverse().join('.');
}

function segment(name: string, index: number): string {
  return index < 0 ? name : `${name}[${index}]`;
}

/**
 * Walks the message that ends at `end` from the reader's position. Nested messages are walked by
 * the same reader between their bounds, so no sub-reader or copy is made per message.
 */
function walkMessage(reader: protobuf.Reader, end: number, type: protobuf.Type, trail: Trail | undefined, walk: Walk): void {
  const { found } = walk;
  let counts: Map<number, number> | undefined;
  while (reader.pos < end) {
    const tag = reader.uint32();
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    const field = type.fieldsById[fieldNumber];
    if (!field) {
      found.push({ path: pathOf(trail, `#${fieldNumber}`), fieldNumber, wireType, reason: 'undeclared' });
      reader.skipType(wireType);
      continue;
    }
    let index = -1;
    if (field.repeated || field.map) {
      counts ??= new Map();
      index = counts.get(fieldNumber) ?? 0;
      counts.set(fieldNumber, index + 1);
    }
    if (!wireTypeFits(field, wireType)) {
      found.push({ path: pathOf(trail, field.name, index), fieldNumber, wireType, reason: 'wire type' });
      reader.skipType(wireType);
    } else if (field instanceof protobuf.MapField) {
      walkMapEntry(reader, nestedEnd(reader), field, { parent: trail, name: field.name, index }, walk);
    } else if (field.resolvedType instanceof protobuf.Type) {
      walkMessage(reader, nestedEnd(reader), field.resolvedType, { parent: trail, name: field.name, index }, walk);
    } else if (wireType === WIRE_LENGTH_DELIMITED && isBulkFloatField(type, field.name)) {
      const length = reader.uint32();
      if (index > 0 || length % 4 !== 0) walk.bulkFloatsPacked = false;
      reader.skip(length);
    } else {
      if (isBulkFloatField(type, field.name)) walk.bulkFloatsPacked = false;
      reader.skipType(wireType);
    }
  }
  if (reader.pos !== end) throw new RangeError(`a field runs past the end of its message at ${end}`);
}

/** Reads a length-delimited field's length and returns where the field ends. */
function nestedEnd(reader: protobuf.Reader): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > reader.len) throw new RangeError(`index out of range: ${reader.pos} + ${length} > ${reader.len}`);
  return end;
}

/** A map entry is a message with the key as field 1 and the value as field 2. */
function walkMapEntry(reader: protobuf.Reader, end: number, field: protobuf.MapField, trail: Trail, walk: Walk): void {
  const { found } = walk;
  while (reader.pos < end) {
    const tag = reader.uint32();
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    if (fieldNumber === 2 && field.resolvedType instanceof protobuf.Type && wireType === WIRE_LENGTH_DELIMITED) {
      walkMessage(reader, nestedEnd(reader), field.resolvedType, { parent: trail, name: 'value', index: -1 }, walk);
      continue;
    }
    if (fieldNumber !== 1 && fieldNumber !== 2) {
      found.push({ path: pathOf(trail, `#${fieldNumber}`), fieldNumber, wireType, reason: 'undeclared' });
    }
    reader.skipType(wireType);
  }
  if (reader.pos !== end) throw new RangeError(`a field runs past the end of its map entry at ${end}`);
}

function wireTypeFits(field: protobuf.Field, wireType: number): boolean {
  if (field.map || field.resolvedType instanceof protobuf.Type) return wireType === WIRE_LENGTH_DELIMITED;
  const scalar = field.resolvedType instanceof protobuf.Enum ? WIRE_VARINT : basicWireTypes[field.type];
  if (scalar === undefined) return false;
  // Repeated numbers may come packed (one length-delimited run) or one element per tag.
  const packable = scalar === WIRE_VARINT || scalar === WIRE_FIXED64 || scalar === WIRE_FIXED32;
  return wireType === scalar || (field.repeated && packable && wireType === WIRE_LENGTH_DELIMITED);
}
