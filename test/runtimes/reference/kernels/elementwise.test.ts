import { describe, expect, it } from 'vitest';
import { add, broadcastShape, maximum, minimum, mul, sub } from '../../../../src/runtimes/reference/kernels/elementwise.js';
import { KernelError } from '../../../../src/runtimes/reference/kernels/kernel-error.js';
import { tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';
import { seeded } from './seeded.js';

describe('broadcastShape', () => {
  it('aligns on the right and stretches ones', () => {
    expect(broadcastShape('t', [2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShape('t', [5], [1, 3, 1])).toEqual([1, 3, 5]);
    expect(broadcastShape('t', [], [2, 3])).toEqual([2, 3]);
    expect(() => broadcastShape('t', [2, 3], [4, 3])).toThrow(KernelError);
  });
});

describe('binary kernels', () => {
  it('adds, subtracts and multiplies same-shaped tensors (by hand)', () => {
    const a = tensor([2, 2], [1, 2, 3, 4]);
    const b = tensor([2, 2], [10, 20, 30, 40]);
    expect([...add(a, b).data]).toEqual([11, 22, 33, 44]);
    expect([...sub(a, b).data]).toEqual([-9, -18, -27, -36]);
    expect([...mul(a, b).data]).toEqual([10, 40, 90, 160]);
  });

  it('broadcasts [2,1,3] against [4,1] to [2,4,3]', () => {
    const a = tensor([2, 1, 3], seeded(6, 31));
    const b = tensor([4, 1], seeded(4, 32));
    const out = sub(a, b);
    expect(out.shape).toEqual([2, 4, 3]);
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) expected.push(Math.fround(a.data[i * 3 + k]! - b.data[j]!));
    expect([...out.data]).toEqual(expected);
  });

  it('broadcasts a per-channel vector over NHWC and a scalar over anything', () => {
    const x = tensor([1, 3, 5, 2], seeded(30, 33));
    const perChannel = tensor([2], [2, -1]);
    const scaled = mul(x, perChannel);
    expect(scaled.shape).toEqual([1, 3, 5, 2]);
    scaled.data.forEach((v, i) => expect(v).toBe(Math.fround(x.data[i]! * (i % 2 === 0 ? 2 : -1))));
    const shifted = add(tensor([], [1]), x);
    expect(shifted.shape).toEqual([1, 3, 5, 2]);
    shifted.data.forEach((v, i) => expect(v).toBe(Math.fround(1 + x.data[i]!)));
  });

  it('takes element-wise minimum and maximum with broadcasting', () => {
    const a = tensor([3, 1], [0, 5, -2]);
    const b = tensor([1, 3], [1, -1, 5]);
    expect([...minimum(a, b).data]).toEqual([0, -1, 0, 1, -1, 5, -2, -2, -2]);
    expect([...maximum(a, b).data]).toEqual([1, 0, 5, 5, 5, 5, 1, -1, 5]);
  });
});
