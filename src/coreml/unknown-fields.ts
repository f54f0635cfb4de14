/**
 * The strict check protobufjs does not make: it skips field numbers its schema lacks without a
 * word. This walk re-reads the wire format against our subset and reports every field the subset
 * does not declare, and every declared field that arrives with a wire type the subset does not
 * expect (which means the subset's idea of that field is wrong).
 */
import protobuf from 'protobufjs';
import { CoremlError } from '../ir/errors.js';
import { schemaType } from './schema-root.js';

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
  const found: UnknownField[] = [];
  try {
    walkMessage(bytes, schemaType('Model'), '', found);
  } catch (error) {
    if (error instanceof CoremlError) throw error;
    throw new CoremlError('wire format', `malformed protobuf (${(error as Error).message})`, file);
  }
  return found;
}

function walkMessage(bytes: Uint8Array, type: protobuf.Type, path: string, found: UnknownField[]): void {
  const reader = protobuf.Reader.create(bytes);
  const seen = new Map<string, number>();
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    const field = type.fieldsById[fieldNumber];
    if (!field) {
      found.push({ path: join(path, `#${fieldNumber}`), fieldNumber, wireType, reason: 'undeclared' });
      reader.skipType(wireType);
      continue;
    }
    const index = seen.get(field.name) ?? 0;
    seen.set(field.name, index + 1);
    const fieldPath = join(path, field.repeated || field.map ? `${field.name}[${index}]` : field.name);
    if (!wireTypeFits(field, wireType)) {
      found.push({ path: fieldPath, fieldNumber, wireType, reason: 'wire type' });
      reader.skipType(wireType);
    } else if (field instanceof protobuf.MapField) {
      walkMapEntry(reader.bytes(), field, fieldPath, found);
    } else if (field.resolvedType instanceof protobuf.Type) {
      walkMessage(reader.bytes(), field.resolvedType, fieldPath, found);
    } else {
      reader.skipType(wireType);
    }
  }
}

/** A map entry is a message with the key as field 1 and the value as field 2. */
function walkMapEntry(bytes: Uint8Array, field: protobuf.MapField, path: string, found: UnknownField[]): void {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    if (fieldNumber === 2 && field.resolvedType instanceof protobuf.Type && wireType === WIRE_LENGTH_DELIMITED) {
      walkMessage(reader.bytes(), field.resolvedType, join(path, 'value'), found);
      continue;
    }
    if (fieldNumber !== 1 && fieldNumber !== 2) {
      found.push({ path: join(path, `#${fieldNumber}`), fieldNumber, wireType, reason: 'undeclared' });
    }
    reader.skipType(wireType);
  }
}

function wireTypeFits(field: protobuf.Field, wireType: number): boolean {
  if (field.map || field.resolvedType instanceof protobuf.Type) return wireType === WIRE_LENGTH_DELIMITED;
  const scalar = field.resolvedType instanceof protobuf.Enum ? WIRE_VARINT : basicWireTypes[field.type];
  if (scalar === undefined) return false;
  // Repeated numbers may come packed (one length-delimited run) or one element per tag.
  const packable = scalar === WIRE_VARINT || scalar === WIRE_FIXED64 || scalar === WIRE_FIXED32;
  return wireType === scalar || (field.repeated && packable && wireType === WIRE_LENGTH_DELIMITED);
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}
