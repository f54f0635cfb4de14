import { describe, expect, it } from 'vitest';
import { prelu } from '../../../../src/runtimes/reference/kernels/prelu.js';
import { mean } from '../../../../src/runtimes/reference/kernels/reduce.js';
import { stridedSlice } from '../../../../src/runtimes/reference/kernels/strided-slice.js';
import { tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';

const iota = (shape: number[]) =>
  tensor(
    shape,
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i),
  );

describe('prelu', () => {
  it('keeps non-negatives and scales negatives by alpha broadcast from the right', () => {
    const x = tensor([2, 3], [-1, 0, 2, -4, -5, 6]);
    expect([...prelu(x, tensor([3], [0.5, 2, 3])).data]).toEqual([-0.5, 0, 2, -2, -10, 6]);
    expect([...prelu(x, tensor([2, 1], [1, 0.25])).data]).toEqual([-1, 0, 2, -1, -1.25, 6]);
  });

  it('refuses an alpha that would grow the input', () => {
    expect(() => prelu(tensor([3], [1, 2, 3]), tensor([2, 3]))).toThrow(/does not broadcast onto \[3\]/);
  });
});

describe('mean', () => {
  it('averages any set of axes, keeping or dropping them', () => {
    const x = iota([2, 3, 2]);
    expect(mean(x, [0, 2], false)).toEqual({ shape: [3], data: Float32Array.from([3.5, 5.5, 7.5]) });
    expect(mean(x, [1], true)).toEqual({ shape: [2, 1, 2], data: Float32Array.from([2, 3, 8, 9]) });
  });
});

describe('stridedSlice', () => {
  it('walks each axis from begin by its stride, backwards through index 0 with end -1, then takes the output shape', () => {
    const x = iota([3, 4]);
    expect(stridedSlice(x, { begin: [2, 0], end: [-1, 4], strides: [-2, 3], shape: [2, 2] }).data).toEqual(Float32Array.from([8, 11, 0, 3]));
    expect(stridedSlice(x, { begin: [1, 1], end: [2, 3], strides: [1, 1], shape: [2] })).toEqual({ shape: [2], data: Float32Array.from([5, 6]) });
  });

  it('refuses indices outside the input', () => {
    expect(() => stridedSlice(iota([3]), { begin: [3], end: [4], strides: [1], shape: [1] })).toThrow(/does not fit 3/);
  });
});
