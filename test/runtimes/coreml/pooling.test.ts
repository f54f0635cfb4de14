import { describe, expect, test } from 'vitest';
import { iota, runY } from './one-layer.js';

describe('pooling', () => {
  test('MAX 2x2 stride 2 valid', () => {
    const y = runY({ pooling: { type: 'MAX', kernelSize: [2, 2], stride: [2, 2], valid: {} } }, { x: iota([1, 1, 4, 4], 1) });
    expect(y).toEqual({ shape: [1, 1, 2, 2], data: [6, 8, 14, 16] });
  });

  test('AVERAGE with same padding: the padded pixel counts only without avgPoolExcludePadding', () => {
    // width 3, kernel 2, stride 2 -> windows [2,4] and [9,pad]
    const pool = (exclude: boolean) =>
      runY(
        { pooling: { type: 'AVERAGE', kernelSize: [1, 2], stride: [1, 2], same: {}, avgPoolExcludePadding: exclude } },
        { x: { shape: [1, 1, 1, 3], data: [2, 4, 9] } },
      ).data;
    expect(pool(true)).toEqual([3, 9]);
    expect(pool(false)).toEqual([3, 4.5]);
  });

  test('MAX never picks a padded zero', () => {
    const y = runY({ pooling: { type: 'MAX', kernelSize: [1, 2], stride: [1, 2], same: {} } }, { x: { shape: [1, 1, 1, 3], data: [-5, -4, -9] } });
    expect(y.data).toEqual([-4, -9]);
  });

  test('includeLastPixel: ceil-mode windows, dropping one that would start in the padding', () => {
    // width 4, k 2, s 2, pad 1: out = ceil(4/2) + 1 = 3, windows [pad,1] [5,2] [7,pad]
    const four = runY(
      { pooling: { type: 'MAX', kernelSize: [1, 2], stride: [1, 2], includeLastPixel: { paddingAmounts: [0, 1] } } },
      { x: { shape: [1, 1, 1, 4], data: [1, 5, 2, 7] } },
    );
    expect(four.data).toEqual([1, 5, 7]);
    // width 5: ceil(5/2) + 1 = 4 windows, but (4 - 1) * 2 = 6 >= 5 + 1, so the fourth is dropped
    const five = runY(
      { pooling: { type: 'MAX', kernelSize: [1, 2], stride: [1, 2], includeLastPixel: { paddingAmounts: [0, 1] } } },
      { x: { shape: [1, 1, 1, 5], data: [1, 5, 2, 7, 3] } },
    );
    expect(five.data).toEqual([1, 5, 7]);
  });

  test('global average over each channel', () => {
    const y = runY({ pooling: { type: 'AVERAGE', globalPooling: true, valid: {} } }, { x: iota([2, 2, 2]) });
    expect(y).toEqual({ shape: [2, 1, 1], data: [1.5, 5.5] });
  });

  test('refuses L2 pooling and undocumented average divisors', () => {
    expect(() => runY({ pooling: { type: 'L2', kernelSize: [1, 1], valid: {} } }, { x: iota([1, 1, 2]) })).toThrow(/field type: value L2 is not implemented/);
    expect(() =>
      runY(
        // width 4, k 3, s 2, pad 1: the third window covers [3, 6), past the padded end 5
        { pooling: { type: 'AVERAGE', kernelSize: [1, 3], stride: [1, 2], includeLastPixel: { paddingAmounts: [0, 1] } } },
        { x: { shape: [1, 1, 1, 4], data: [1, 5, 2, 7] } },
      ),
    ).toThrow(/avgPoolExcludePadding/);
  });
});
