import { describe, expect, test } from 'vitest';
import { BlobStorageWriter } from '../../../src/coreml/blob-storage.js';
import { constOp, HALF, op, run, tensorType, value, type HandProgram } from './program.js';

const WEIGHTS = '@model_path/weights/weight.bin';

/** cast x to fp16 and back. */
function roundTrip(length: number): HandProgram {
  return {
    inputs: [{ name: 'x', shape: [length] }],
    operations: [
      op('cast', { x: 'x', dtype: value.string('fp16') }, [{ name: 'h', type: 'fp16', shape: [length] }]),
      op('cast', { x: 'h', dtype: value.string('fp32') }, [{ name: 'y', type: 'fp32', shape: [length] }]),
    ],
    outputs: [{ name: 'y', type: 'fp32', shape: [length] }],
  };
}

describe('MIL cast', () => {
  test('fp32 to fp16 rounds to nearest even, overflows to infinity, flushes below half the smallest subnormal', () => {
    expect(run(roundTrip(6), { x: [0.1, 65519, 65520, 1e-8, -2049, 2 ** -24] }).y).toEqual([0.0999755859375, 65504, Infinity, 0, -2048, 2 ** -24]);
  });

  test('a cast to int32 is refused (MIL does not say how it rounds)', () => {
    const p = {
      inputs: [{ name: 'x', shape: [1] }],
      operations: [op('cast', { x: 'x', dtype: value.string('int32') }, [{ name: 'y', type: 'int32', shape: [1] }])],
      outputs: [],
    } as const;
    expect(() => run(p, { x: [1.5] })).toThrow(/input dtype: a cast to int32 is not implemented/);
  });
});

describe('MIL values', () => {
  test('const ops: fp16 written in place as little-endian bytes, fp32 and fp16 from the weight file', () => {
    const weights = new BlobStorageWriter();
    const f32 = weights.add('float32', new Uint8Array(Float32Array.of(1, 2, 3).buffer));
    const f16 = weights.add('float16', new Uint8Array(Uint16Array.of(HALF.half, HALF.minusTwo, HALF.maxFinite).buffer));
    const p: HandProgram = {
      inputs: [{ name: 'x', shape: [3] }],
      operations: [
        constOp('a', { type: tensorType('fp32', [3]), blobFileValue: { fileName: WEIGHTS, offset: f32 } }),
        constOp('b', { type: tensorType('fp16', [3]), blobFileValue: { fileName: WEIGHTS, offset: f16 } }),
        constOp('c', value.fp16([3], [HALF.one, HALF.two, HALF.infinity])),
        op('add', { x: 'x', y: 'a' }, [{ name: 'xa', type: 'fp32', shape: [3] }]),
        op('cast', { x: 'b', dtype: value.string('fp32') }, [{ name: 'b32', type: 'fp32', shape: [3] }]),
        op('cast', { x: 'c', dtype: value.string('fp32') }, [{ name: 'c32', type: 'fp32', shape: [3] }]),
      ],
      outputs: [
        { name: 'xa', type: 'fp32', shape: [3] },
        { name: 'b32', type: 'fp32', shape: [3] },
        { name: 'c32', type: 'fp32', shape: [3] },
      ],
      weights,
    };
    expect(run(p, { x: [10, 20, 30] })).toEqual({ xa: [11, 22, 33], b32: [0.5, -2, 65504], c32: [1, 2, Infinity] });
  });

  test.each([
    [
      'a blob of another type',
      (w: BlobStorageWriter) => ({ type: tensorType('fp16', [2]), blobFileValue: { fileName: WEIGHTS, offset: w.add('float32', new Uint8Array(8)) } }),
      /is fp16, the blob at offset 64 holds float32/,
    ],
    [
      'a blob of another size',
      (w: BlobStorageWriter) => ({ type: tensorType('fp32', [3]), blobFileValue: { fileName: WEIGHTS, offset: w.add('float32', new Uint8Array(8)) } }),
      /needs 12 bytes, the blob at offset 64 has 8/,
    ],
    [
      'an offset where no blob starts',
      (w: BlobStorageWriter) => {
        w.add('float32', new Uint8Array(8));
        return { type: tensorType('fp32', [2]), blobFileValue: { fileName: WEIGHTS, offset: 128 } };
      },
      /weight file at byte 128: expected a blob metadata record/,
    ],
    [
      'another weight file',
      () => ({ type: tensorType('fp32', [2]), blobFileValue: { fileName: '@model_path/weights/other.bin', offset: 64 } }),
      /does not hold Data\/com\.apple\.CoreML\/weights\/other\.bin/,
    ],
    [
      'a weight file outside the package',
      () => ({ type: tensorType('fp32', [2]), blobFileValue: { fileName: '@model_path/../x.bin', offset: 64 } }),
      /must stay inside the model package/,
    ],
    [
      'fp32 values in the bytes field',
      () => ({ type: tensorType('fp32', [1]), immediateValue: { tensor: { bytes: { values: new Uint8Array(4) } } } }),
      /a fp32 value must be in the floats field, got bytes/,
    ],
    ['too few elements for the shape', () => value.fp32([2, 2], [1, 2, 3]), /shape \[2, 2\] holds 4 elements, the value has 3/],
  ])('refuses %s', (_, make, message) => {
    const weights = new BlobStorageWriter();
    const val = make(weights);
    const p: HandProgram = { inputs: [], operations: [constOp('k', val)], outputs: [], weights };
    expect(() => run(p, {})).toThrow(message);
  });
});
