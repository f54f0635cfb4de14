import { describe, expect, it } from 'vitest';
import { KernelError } from '../../../../src/runtimes/reference/kernels/kernel-error.js';
import { normalizeAxis, sizeOf, strides, tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';

describe('tensor helpers', () => {
  it('computes row-major strides and sizes', () => {
    expect(strides([2, 3, 5, 7])).toEqual([105, 35, 7, 1]);
    expect(strides([])).toEqual([]);
    expect(sizeOf([2, 3, 5])).toBe(30);
    expect(sizeOf([])).toBe(1);
  });

  it('zero-fills or copies data and checks its length', () => {
    expect([...tensor([2, 1]).data]).toEqual([0, 0]);
    const source = [1, 2, 3];
    const t = tensor([3], source);
    source[0] = 9;
    expect(t.data[0]).toBe(1);
    expect(() => tensor([2, 2], [1, 2, 3])).toThrow(KernelError);
    expect(() => tensor([-1], [])).toThrow(KernelError);
  });

  it('resolves negative axes', () => {
    expect(normalizeAxis('k', -1, 4)).toBe(3);
    expect(normalizeAxis('k', 2, 4)).toBe(2);
    expect(() => normalizeAxis('k', 4, 4)).toThrow(KernelError);
    expect(() => normalizeAxis('k', -5, 4)).toThrow(KernelError);
  });
});
