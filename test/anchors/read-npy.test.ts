import { describe, expect, it } from 'vitest';
import { ReadError } from '../../src/ir/errors.js';
import { readNpy } from '../../src/anchors/read-npy.js';
import { encodeNpyFloat32 } from '../../src/anchors/write-anchors.js';

/** A .npy v1.0 file built by hand: header dict, padded to 64 bytes, then the raw data. */
function npy(dict: string, data: Uint8Array): Uint8Array {
  const padded = dict + ' '.repeat(64 - ((10 + dict.length + 1) % 64)) + '\n';
  const out = new Uint8Array(10 + padded.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length & 0xff, padded.length >> 8]);
  out.set(new TextEncoder().encode(padded), 10);
  out.set(data, 10 + padded.length);
  return out;
}

function float64s(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat64(i * 8, v, true));
  return out;
}

describe('readNpy', () => {
  it('reads back what encodeNpyFloat32 writes', () => {
    const data = new Float32Array([0.1, 2, -3.5, 4, 5, 6]);
    const array = readNpy(encodeNpyFloat32(data, [3, 2]), 'x.npy');
    expect(array.dtype).toBe('float32');
    expect(array.shape).toEqual([3, 2]);
    expect(Array.from(array.data)).toEqual(Array.from(data));
  });

  it("reads float64 files such as the seed's table", () => {
    const array = readNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", float64s([0.1, -2.5])), 'x.npy');
    expect(array).toEqual({ shape: [2], data: new Float64Array([0.1, -2.5]), dtype: 'float64' });
  });

  it('refuses what it cannot read, naming the file and the byte offset', () => {
    const good = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }";
    const badMagic = npy(good, float64s([1]));
    badMagic[1] = 0x4d;
    expect(() => readNpy(badMagic, 'x.npy')).toThrow(new ReadError('x.npy', 0, 'the .npy magic \\x93NUMPY'));
    expect(() => readNpy(npy(good.replace('<f8', '<i4'), float64s([1])), 'x.npy')).toThrow(/descr '<f4' or '<f8', got <i4/);
    expect(() => readNpy(npy(good.replace('False', 'True'), float64s([1])), 'x.npy')).toThrow(/'fortran_order': False/);
    expect(() => readNpy(npy(good, float64s([])), 'x.npy')).toThrow(/8 bytes of data for shape \(1\), got 0/);
    expect(() => readNpy(npy(good, float64s([1])).subarray(0, 40), 'x.npy')).toThrow(/header, file ends first/);
  });
});
