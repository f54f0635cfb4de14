import { Builder } from 'flatbuffers';
import { EmitError } from '../ir/errors.js';
import type { UnionMembers } from './reader.js';
import { SCALAR_SIZES, isWide, type NumericKind, type ScalarKind } from './scalar-kinds.js';

/** A written union: its type id and the offset of its value table (0 and 0 for none). */
export type UnionOffset = readonly [typeId: number, offset: number];

export const NO_UNION: UnionOffset = [0, 0];

const TARGET = 'flatbuffer';

const INTEGER_RANGES: Readonly<Record<Exclude<NumericKind, 'float32' | 'float64'>, readonly [bigint, bigint]>> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n],
  uint8: [0n, 2n ** 8n - 1n],
  int16: [-(2n ** 15n), 2n ** 15n - 1n],
  uint16: [0n, 2n ** 16n - 1n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

/**
 * A builder whose buffer is big enough for `value` from the start. The flatbuffers Builder
 * doubles its buffer whenever it runs out, copying all it has written into fresh memory: for a
 * model with megabytes of weights that was a dozen copies into fresh pages, which cost more than
 * writing the model. The output does not depend on the buffer's size (flatbuffer offsets and
 * alignment count from the end), so a generous guess only costs unused space.
 */
export function builderFor(value: unknown): Builder {
  return new Builder(1024 + sizeGuess(value));
}

/** Bytes `value` may take written: every byte of its typed arrays, and a generous allowance for each other field. */
function sizeGuess(value: unknown): number {
  if (value == null) return 0;
  if (ArrayBuffer.isView(value)) return value.byteLength + 16;
  if (typeof value === 'string') return 3 * value.length + 8;
  if (typeof value !== 'object') return 8;
  let size = 16;
  for (const item of Array.isArray(value) ? value : Object.values(value)) size += sizeGuess(item) + 8;
  return size;
}

/** Adds a numeric field unless it is undefined; the builder leaves out values equal to the default. */
export function addScalar(b: Builder, slot: number, kind: NumericKind, value: number | bigint | undefined, defaultValue: number): void {
  if (value === undefined) return;
  const checked = checkValue(kind, value, `field ${slot}`);
  switch (kind) {
    case 'int8':
    case 'uint8':
      return b.addFieldInt8(slot, Number(checked), defaultValue);
    case 'int16':
    case 'uint16':
      return b.addFieldInt16(slot, Number(checked), defaultValue);
    case 'int32':
    case 'uint32':
      return b.addFieldInt32(slot, Number(checked), defaultValue);
    case 'int64':
    case 'uint64':
      return b.addFieldInt64(slot, BigInt(checked), BigInt(defaultValue));
    case 'float32':
      return b.addFieldFloat32(slot, Number(checked), defaultValue);
    case 'float64':
      return b.addFieldFloat64(slot, Number(checked), defaultValue);
  }
}

export function addBool(b: Builder, slot: number, value: boolean | undefined, defaultValue: boolean): void {
  if (value !== undefined) b.addFieldInt8(slot, value ? 1 : 0, defaultValue ? 1 : 0);
}

/** Adds a union's two fields: the type id in `typeSlot`, the value offset in the next slot. */
export function addUnion(b: Builder, typeSlot: number, union: UnionOffset): void {
  const [typeId, offset] = union;
  if (typeId === 0) return;
  b.addFieldInt8(typeSlot, typeId, 0);
  b.addFieldOffset(typeSlot + 1, offset, 0);
}

/** Writes a scalar vector; `alignment` is the element size unless the schema forces more. */
export function writeVector(b: Builder, kind: ScalarKind, values: ArrayLike<number | bigint | boolean> | null | undefined, alignment: number): number {
  if (values == null) return 0;
  if (kind === 'uint8' || kind === 'int8') return writeBytes(b, kind, values, alignment);
  b.startVector(SCALAR_SIZES[kind], values.length, alignment);
  for (let i = values.length - 1; i >= 0; i--) addElement(b, kind, values[i] as number | bigint | boolean, i);
  return b.endVector();
}

export function writeString(b: Builder, value: string | null | undefined): number {
  return value == null ? 0 : b.createString(value);
}

export function writeStrings(b: Builder, values: readonly string[] | null | undefined): number {
  return values == null
    ? 0
    : writeOffsets(
        b,
        values.map((s) => b.createString(s)),
      );
}

export function writeOptional<T>(b: Builder, value: T | null | undefined, write: (b: Builder, value: T) => number): number {
  return value == null ? 0 : write(b, value);
}

export function writeTables<T>(b: Builder, values: readonly T[] | null | undefined, write: (b: Builder, value: T) => number): number {
  return values == null
    ? 0
    : writeOffsets(
        b,
        values.map((v) => write(b, v)),
      );
}

/**
 * Writes a union member the schema does not declare, as an empty table, so tests can build
 * files that carry options this reader does not know.
 */
export function writeUnknownMember(b: Builder, typeId: number, declared: UnionMembers<unknown>): UnionOffset {
  if (!Number.isInteger(typeId) || typeId < 1 || typeId > 255 || declared[typeId]) {
    throw new EmitError(TARGET, `an unknown union member needs an undeclared type id in 1..255, got ${typeId}`);
  }
  b.startObject(0);
  return [typeId, b.endObject()];
}

/**
 * Byte vectors (tensor data) are copied in one go. Aligning the end of the data first makes
 * createByteVector's own alignment a no-op, so its start lands on `alignment` (flatbuffer
 * alignment counts from the end of the buffer, which `finish` pads to the largest alignment).
 */
function writeBytes(b: Builder, kind: 'uint8' | 'int8', values: ArrayLike<number | bigint | boolean>, alignment: number): number {
  let bytes: Uint8Array;
  if (kind === 'uint8' && values instanceof Uint8Array) {
    bytes = values;
  } else {
    bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) bytes[i] = Number(checkValue(kind, values[i] as number | bigint | boolean, `vector element ${i}`)) & 0xff;
  }
  b.prep(alignment, bytes.length);
  return b.createByteVector(bytes);
}

function writeOffsets(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i] as number);
  return b.endVector();
}

function addElement(b: Builder, kind: Exclude<ScalarKind, 'int8' | 'uint8'>, value: number | bigint | boolean, index: number): void {
  if (kind === 'bool') return b.addInt8(value ? 1 : 0);
  const checked = checkValue(kind, value, `vector element ${index}`);
  switch (kind) {
    case 'int16':
    case 'uint16':
      return b.addInt16(Number(checked));
    case 'int32':
    case 'uint32':
      return b.addInt32(Number(checked));
    case 'int64':
    case 'uint64':
      return b.addInt64(BigInt(checked));
    case 'float32':
      return b.addFloat32(Number(checked));
    case 'float64':
      return b.addFloat64(Number(checked));
  }
}

/** Integers must be whole and fit their kind: the builder would wrap them silently. */
function checkValue(kind: NumericKind, value: number | bigint | boolean, where: string): number | bigint {
  if (typeof value === 'boolean') throw new EmitError(TARGET, `${where}: expected a ${kind}, got a boolean`);
  if (kind === 'float32' || kind === 'float64') return Number(value);
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new EmitError(TARGET, `${where}: expected a whole ${kind}, got ${value}`);
  }
  const big = BigInt(value);
  const [min, max] = INTEGER_RANGES[kind];
  if (big < min || big > max) throw new EmitError(TARGET, `${where}: ${value} does not fit ${kind}`);
  return isWide(kind) ? big : value;
}
