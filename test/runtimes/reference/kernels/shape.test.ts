import { describe, expect, it } from 'vitest';
import { KernelError } from '../../../../src/runtimes/reference/kernels/kernel-error.js';
import { concatenation, reshape, transpose } from '../../../../src/runtimes/reference/kernels/shape.js';
import { tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';
import { seeded } from './seeded.js';

describe('reshape', () => {
  it('keeps row-major order and infers one -1', () => {
    const x = tensor([1, 2, 3, 2], seeded(12, 51));
    const out = reshape(x, [1, -1, 4]);
    expect(out.shape).toEqual([1, 3, 4]);
    expect([...out.data]).toEqual([...x.data]);
  });

  it('rejects a size mismatch and two -1', () => {
    expect(() => reshape(tensor([2, 3]), [4, 2])).toThrow(KernelError);
    expect(() => reshape(tensor([2, 3]), [-1, -1])).toThrow(KernelError);
    expect(() => reshape(tensor([2, 3]), [4, -1])).toThrow(KernelError);
  });
});

describe('concatenation', () => {
  it('joins along the last axis, counted from the end (by hand)', () => {
    const a = tensor([2, 1], [1, 2]);
    const b = tensor([2, 3], [3, 4, 5, 6, 7, 8]);
    const out = concatenation([a, b], -1);
    expect(out.shape).toEqual([2, 4]);
    expect([...out.data]).toEqual([1, 3, 4, 5, 2, 6, 7, 8]);
  });

  it('stacks anchor blocks along axis 1 like the BlazeFace head', () => {
    const a = tensor([1, 3, 2], [1, 2, 3, 4, 5, 6]);
    const b = tensor([1, 1, 2], [7, 8]);
    const out = concatenation([a, b], 1);
    expect(out.shape).toEqual([1, 4, 2]);
    expect([...out.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('joins along a middle axis of rank 4', () => {
    const a = tensor([2, 3, 1, 2], seeded(12, 52));
    const b = tensor([2, 3, 2, 2], seeded(24, 53));
    const out = concatenation([a, b], 2);
    expect(out.shape).toEqual([2, 3, 3, 2]);
    for (let i = 0; i < 6; i++) {
      expect([...out.data.subarray(i * 6, i * 6 + 6)]).toEqual([...a.data.subarray(i * 2, i * 2 + 2), ...b.data.subarray(i * 4, i * 4 + 4)]);
    }
  });

  it('rejects mismatched shapes and bad axes', () => {
    expect(() => concatenation([tensor([2, 2]), tensor([3, 2])], 1)).toThrow(KernelError);
    expect(() => concatenation([tensor([2, 2])], 2)).toThrow(KernelError);
    expect(() => concatenation([], 0)).toThrow(KernelError);
  });
});

describe('transpose', () => {
  it('swaps a 2x3 matrix (by hand)', () => {
    const out = transpose(tensor([2, 3], [1, 2, 3, 4, 5, 6]), [1, 0]);
    expect(out.shape).toEqual([3, 2]);
    expect([...out.data]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('moves NHWC to NCHW: out[n][c][h][w] = in[n][h][w][c]', () => {
    const [n, h, w, c] = [2, 3, 5, 4];
    const x = tensor([n, h, w, c], seeded(n * h * w * c, 54));
    const out = transpose(x, [0, 3, 1, 2]);
    expect(out.shape).toEqual([n, c, h, w]);
    for (let b = 0; b < n; b++)
      for (let ch = 0; ch < c; ch++)
        for (let y = 0; y < h; y++)
          for (let xx = 0; xx < w; xx++) {
            expect(out.data[((b * c + ch) * h + y) * w + xx]).toBe(x.data[((b * h + y) * w + xx) * c + ch]);
          }
  });

  it('rejects a non-permutation', () => {
    expect(() => transpose(tensor([2, 3]), [0, 0])).toThrow(KernelError);
    expect(() => transpose(tensor([2, 3]), [0])).toThrow(KernelError);
  });
});
