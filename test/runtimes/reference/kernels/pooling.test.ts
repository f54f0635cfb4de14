import { describe, expect, it } from 'vitest';
import { KernelError } from '../../../../src/runtimes/reference/kernels/kernel-error.js';
import { averagePool2d, maxPool2d } from '../../../../src/runtimes/reference/kernels/pooling.js';
import { tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';
import { expectClose, seeded } from './seeded.js';

// 1x3x4x1 holding 1..12, 2x2 stride 2 SAME: rows pad 0/1 (in 3 -> out 2), cols 0/0.
// Windows: rows {0,1},{2}; cols {0,1},{2,3}.
const grid = tensor([1, 3, 4, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const same2x2 = { filter: [2, 2], strides: [2, 2], pads: [0, 0, 1, 0] } as const;

describe('maxPool2d', () => {
  it('takes the largest in-range cell (by hand)', () => {
    const out = maxPool2d(grid, same2x2);
    expect(out.shape).toEqual([1, 2, 2, 1]);
    expect([...out.data]).toEqual([6, 8, 10, 12]);
  });

  it('ignores padding even when every real cell is negative', () => {
    const negative = tensor([1, 1, 2, 1], [-5, -3]);
    const out = maxPool2d(negative, { filter: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] });
    expect([...out.data]).toEqual([-3, -3]);
  });

  it('matches a direct max over 1x5x7x3, 3x2 stride 2x3, per channel', () => {
    // Rows: in 5, k 3, s 2 -> out 3, pads 1/1. Cols: in 7, k 2, s 3 -> out 3, pads 0/1.
    const input = tensor([1, 5, 7, 3], seeded(105, 21));
    const out = maxPool2d(input, { filter: [3, 2], strides: [2, 3], pads: [1, 0, 1, 1] });
    expect(out.shape).toEqual([1, 3, 3, 3]);
    const expected: number[] = [];
    for (let oy = 0; oy < 3; oy++)
      for (let ox = 0; ox < 3; ox++)
        for (let c = 0; c < 3; c++) {
          const cells: number[] = [];
          for (let y = oy * 2 - 1; y < oy * 2 + 2; y++)
            for (let x = ox * 3; x < ox * 3 + 2; x++) if (y >= 0 && y < 5 && x < 7) cells.push(input.data[(y * 7 + x) * 3 + c]!);
          expected.push(Math.max(...cells));
        }
    expect([...out.data]).toEqual(expected);
  });
});

describe('averagePool2d', () => {
  it('divides by the in-range cells only (by hand)', () => {
    const out = averagePool2d(grid, same2x2);
    expect([...out.data]).toEqual([3.5, 5.5, 9.5, 11.5]);
  });

  it('matches a direct mean over 2x5x7x2, 3x3 stride 1 SAME', () => {
    const input = tensor([2, 5, 7, 2], seeded(140, 22));
    const out = averagePool2d(input, { filter: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1] });
    expect(out.shape).toEqual([2, 5, 7, 2]);
    const expected: number[] = [];
    for (let b = 0; b < 2; b++)
      for (let oy = 0; oy < 5; oy++)
        for (let ox = 0; ox < 7; ox++)
          for (let c = 0; c < 2; c++) {
            let sum = 0;
            let count = 0;
            for (let y = Math.max(0, oy - 1); y <= Math.min(4, oy + 1); y++)
              for (let x = Math.max(0, ox - 1); x <= Math.min(6, ox + 1); x++) {
                sum += input.data[((b * 5 + y) * 7 + x) * 2 + c]!;
                count++;
              }
            expected.push(sum / count);
          }
    expectClose(out.data, expected);
  });

  it('refuses a window that lies wholly in the padding', () => {
    const tiny = tensor([1, 1, 1, 1], [1]);
    expect(() => averagePool2d(tiny, { filter: [1, 1], strides: [1, 1], pads: [1, 0, 0, 0] })).toThrow(KernelError);
    // MAX_POOL_2D keeps TFLite's starting value there instead.
    expect(maxPool2d(tiny, { filter: [1, 1], strides: [1, 1], pads: [1, 0, 0, 0] }).data[0]).toBe(-3.4028234663852886e38);
  });
});
