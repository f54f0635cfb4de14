import { describe, expect, it } from 'vitest';
import { outputSize, samePadding } from '../../../../src/runtimes/window.js';

describe('samePadding', () => {
  // [in, kernel, stride, dilation, before, after], each worked out by hand from
  // out = ceil(in/stride), total = (out-1)*stride + (k-1)*dilation + 1 - in.
  const table: [number, number, number, number, number, number][] = [
    [128, 3, 2, 1, 0, 1], // out 64: 126 + 3 - 128 = 1
    [7, 3, 1, 1, 1, 1], // out 7: 6 + 3 - 7 = 2
    [5, 5, 2, 1, 2, 2], // out 3: 4 + 5 - 5 = 4
    [128, 5, 1, 1, 2, 2], // out 128: 127 + 5 - 128 = 4
    [64, 5, 2, 1, 1, 2], // out 32: 62 + 5 - 64 = 3
    [6, 1, 2, 1, 0, 0], // out 3: 4 + 1 - 6 < 0
    [8, 2, 2, 1, 0, 0], // out 4: 6 + 2 - 8 = 0
    [9, 3, 1, 2, 2, 2], // out 9, effective kernel 5: 8 + 5 - 9 = 4
  ];
  it.each(table)('in %i k %i s %i d %i -> %i, %i', (inSize, k, s, d, before, after) => {
    expect(samePadding(inSize, k, s, d)).toEqual({ before, after });
  });

  it('gives the odd cell to the end', () => {
    // in 10, k 3, s 3, d 2: out 4, total = 3*3 + 5 - 10 = 4 -> 2, 2; in 11: out 4, total 3 -> 1, 2.
    expect(samePadding(10, 3, 3, 2)).toEqual({ before: 2, after: 2 });
    expect(samePadding(11, 3, 3, 2)).toEqual({ before: 1, after: 2 });
  });

  it('yields ceil(in/stride) outputs through outputSize', () => {
    for (const [inSize, k, s, d] of table) {
      expect(outputSize(inSize, k, s, d, samePadding(inSize, k, s, d))).toBe(Math.ceil(inSize / s));
    }
  });
});

describe('outputSize', () => {
  it('counts VALID windows', () => {
    expect(outputSize(7, 3, 2, 1, { before: 0, after: 0 })).toBe(3);
    expect(outputSize(7, 3, 1, 3, { before: 0, after: 0 })).toBe(1);
    expect(outputSize(5, 2, 3, 1, { before: 1, after: 0 })).toBe(2);
  });
});
