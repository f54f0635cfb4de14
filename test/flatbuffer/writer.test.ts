import { Builder } from 'flatbuffers';
import { describe, expect, test } from 'vitest';
import { EmitError } from '../../src/ir/errors.js';
import { FlatBufferReader, type Table } from '../../src/flatbuffer/reader.js';
import type { NumericKind } from '../../src/flatbuffer/scalar-kinds.js';
import { addBool, addScalar, writeVector } from '../../src/flatbuffer/writer.js';

/** Writes one vector (slot 0) into a table and reads it back with the checked reader. */
function roundTrip<K extends NumericKind>(kind: K, values: ArrayLike<number | bigint>, alignment: number) {
  const b = new Builder(16);
  const vector = writeVector(b, kind, values, alignment);
  b.startObject(1);
  b.addFieldOffset(0, vector, 0);
  b.finish(b.endObject());
  const bytes = b.asUint8Array();
  const read = (t: Table) => ({ values: t.vector(0, kind), start: t.bytes(0)?.byteOffset ?? -1 });
  const result = new FlatBufferReader(bytes, 'vector').root(read);
  return { values: result.values, start: result.start - bytes.byteOffset };
}

describe('writeVector', () => {
  test.each([
    ['int8', [-128, -1, 0, 127], new Int8Array([-128, -1, 0, 127])],
    ['uint16', [0, 65535, 3], new Uint16Array([0, 65535, 3])],
    ['int64', [-(2n ** 63n), 2n ** 63n - 1n, 5], new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 5n])],
    ['uint64', [2n ** 64n - 1n, 0n], new BigUint64Array([2n ** 64n - 1n, 0n])],
    ['float64', [Math.PI, -0], new Float64Array([Math.PI, -0])],
  ] as const)('round-trips %s', (kind, values, expected) => {
    expect(roundTrip(kind, values, 8).values).toEqual(expected);
  });

  test.each([4, 16, 64])('starts the elements of a byte vector on a %d-byte boundary', (alignment) => {
    for (const length of [0, 1, 3, 17]) {
      const { start } = roundTrip('uint8', new Uint8Array(length).fill(7), alignment);
      expect(start % alignment).toBe(0);
    }
  });

  test('rejects values the element kind cannot hold', () => {
    const b = new Builder(16);
    expect(() => writeVector(b, 'int8', [128], 1)).toThrow(EmitError);
    expect(() => writeVector(b, 'uint16', [-1], 2)).toThrow(/vector element 0: -1 does not fit uint16/);
    expect(() => writeVector(b, 'int32', [1, 2, 0.5], 4)).toThrow(/vector element 2: expected a whole int32/);
  });
});

describe('addScalar and addBool', () => {
  test('leave out values equal to the default and undefined ones', () => {
    const b = new Builder(16);
    b.startObject(3);
    addScalar(b, 0, 'int32', 7, 7);
    addScalar(b, 1, 'int32', undefined, 0);
    addBool(b, 2, true, true);
    b.finish(b.endObject());
    const read = (t: Table) => [t.scalar(0, 'int32', -1), t.scalar(1, 'int32', -2), t.bool(2, false)];
    expect(new FlatBufferReader(b.asUint8Array(), 'defaults').root(read)).toEqual([-1, -2, false]);
  });

  test('rejects a field value outside its kind', () => {
    const b = new Builder(16);
    b.startObject(1);
    expect(() => addScalar(b, 0, 'uint8', 256, 0)).toThrow(/field 0: 256 does not fit uint8/);
    expect(() => addScalar(b, 0, 'int64', 2n ** 63n, 0)).toThrow(EmitError);
  });
});
