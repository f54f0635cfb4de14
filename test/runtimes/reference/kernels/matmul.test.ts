import { describe, expect, it } from 'vitest';
import { KernelError } from '../../../../src/runtimes/reference/kernels/kernel-error.js';
import { batchMatMul, fullyConnected } from '../../../../src/runtimes/reference/kernels/matmul.js';
import { tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';
import { expectClose, seeded } from './seeded.js';

describe('batchMatMul', () => {
  it('multiplies 2x2 matrices (by hand)', () => {
    const out = batchMatMul(tensor([2, 2], [1, 2, 3, 4]), tensor([2, 2], [5, 6, 7, 8]), { adjX: false, adjY: false });
    expect(out.shape).toEqual([2, 2]);
    expect([...out.data]).toEqual([19, 22, 43, 50]);
  });

  it('transposes operands with adjX / adjY (by hand)', () => {
    // a^T = [[1, 3], [2, 4]]; b^T = [[5, 7], [6, 8]].
    const a = tensor([2, 2], [1, 2, 3, 4]);
    const b = tensor([2, 2], [5, 6, 7, 8]);
    expect([...batchMatMul(a, b, { adjX: true, adjY: false }).data]).toEqual([26, 30, 38, 44]);
    expect([...batchMatMul(a, b, { adjX: false, adjY: true }).data]).toEqual([17, 23, 39, 53]);
    expect([...batchMatMul(a, b, { adjX: true, adjY: true }).data]).toEqual([23, 31, 34, 46]);
  });

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('broadcasts batch dims [2,1] x [3] with adjX=%s adjY=%s', (adjX, adjY) => {
    const [m, k, n] = [3, 5, 4];
    const a = tensor(adjX ? [2, 1, k, m] : [2, 1, m, k], seeded(2 * m * k, 71));
    const b = tensor(adjY ? [3, n, k] : [3, k, n], seeded(3 * k * n, 72));
    const out = batchMatMul(a, b, { adjX, adjY });
    expect(out.shape).toEqual([2, 3, m, n]);
    const aAt = (t: number, i: number, p: number): number => a.data[t * m * k + (adjX ? p * m + i : i * k + p)]!;
    const bAt = (t: number, p: number, j: number): number => b.data[t * k * n + (adjY ? j * k + p : p * n + j)]!;
    const expected: number[] = [];
    for (let ta = 0; ta < 2; ta++)
      for (let tb = 0; tb < 3; tb++)
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += aAt(ta, i, p) * bAt(tb, p, j);
            expected.push(s);
          }
    expectClose(out.data, expected);
  });

  it('rejects mismatched inner dims', () => {
    expect(() => batchMatMul(tensor([2, 3]), tensor([2, 3]), { adjX: false, adjY: false })).toThrow(KernelError);
  });
});

describe('fullyConnected', () => {
  it('multiplies rows by the transposed weights and adds the bias (by hand)', () => {
    const input = tensor([2, 3], [1, 2, 3, 4, 5, 6]);
    const weights = tensor([2, 3], [1, 0, -1, 2, 1, 0]);
    const out = fullyConnected(input, weights, tensor([2], [10, 20]));
    expect(out.shape).toEqual([2, 2]);
    expect([...out.data]).toEqual([8, 24, 8, 33]);
  });

  it('flattens leading dims unless keepNumDims is set', () => {
    const input = tensor([1, 3, 5, 4], seeded(60, 73));
    const weights = tensor([7, 4], seeded(28, 74));
    const flat = fullyConnected(input, weights, null);
    expect(flat.shape).toEqual([15, 7]);
    expect(fullyConnected(input, weights, null, { keepNumDims: true }).shape).toEqual([1, 3, 5, 7]);
    const expected: number[] = [];
    for (let r = 0; r < 15; r++)
      for (let o = 0; o < 7; o++) {
        let s = 0;
        for (let d = 0; d < 4; d++) s += input.data[r * 4 + d]! * weights.data[o * 4 + d]!;
        expected.push(s);
      }
    expectClose(flat.data, expected);
  });

  it('rejects an input that is not whole rows', () => {
    expect(() => fullyConnected(tensor([1, 5]), tensor([2, 3]), null)).toThrow(KernelError);
  });
});
