import { describe, expect, it } from 'vitest';
import { KernelError } from '../../../../src/runtimes/reference/kernels/kernel-error.js';
import { pad } from '../../../../src/runtimes/reference/kernels/pad.js';
import { tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';
import { seeded } from './seeded.js';

describe('pad', () => {
  it('pads a 2x2 matrix with a value (by hand)', () => {
    const out = pad(
      tensor([2, 2], [1, 2, 3, 4]),
      [
        [1, 0],
        [0, 2],
      ],
      9,
    );
    expect(out.shape).toEqual([3, 4]);
    expect([...out.data]).toEqual([9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9]);
  });

  it('zero-extends the channels of NHWC data (BlazeBlock channel padding)', () => {
    const x = tensor([1, 3, 5, 2], seeded(30, 41));
    const out = pad(x, [
      [0, 0],
      [0, 0],
      [0, 0],
      [0, 3],
    ]);
    expect(out.shape).toEqual([1, 3, 5, 5]);
    for (let p = 0; p < 15; p++) {
      expect([...out.data.subarray(p * 5, p * 5 + 5)]).toEqual([x.data[p * 2]!, x.data[p * 2 + 1]!, 0, 0, 0]);
    }
  });

  it('places every input element at its offset index in rank 3', () => {
    const x = tensor([2, 3, 4], seeded(24, 42));
    const out = pad(x, [
      [1, 2],
      [0, 1],
      [3, 0],
    ]);
    expect(out.shape).toEqual([5, 4, 7]);
    let inside = 0;
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 7; k++) {
          const v = out.data[(i * 4 + j) * 7 + k]!;
          const [a, b, c] = [i - 1, j, k - 3];
          if (a >= 0 && a < 2 && b < 3 && c >= 0) {
            expect(v).toBe(x.data[(a * 3 + b) * 4 + c]);
            inside++;
          } else {
            expect(v).toBe(0);
          }
        }
    expect(inside).toBe(24);
  });

  it('rejects paddings that do not match the rank or are negative', () => {
    expect(() => pad(tensor([2]), [])).toThrow(KernelError);
    expect(() => pad(tensor([2]), [[-1, 0]])).toThrow(KernelError);
  });
});
