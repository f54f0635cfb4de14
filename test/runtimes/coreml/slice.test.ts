import { describe, expect, test } from 'vitest';
import { iota, runY } from './one-layer.js';

describe('classic slice', () => {
  test('[start, end) along W with a negative end', () => {
    expect(runY({ slice: { startIndex: 1, endIndex: -1, stride: 1, axis: 'WIDTH_AXIS' } }, { x: iota([1, 1, 5]) }).data).toEqual([1, 2, 3]);
  });

  test('every second channel', () => {
    const y = runY({ slice: { startIndex: 0, endIndex: 3, stride: 2 } }, { x: iota([3, 1, 2]) });
    expect(y).toEqual({ shape: [2, 1, 2], data: [0, 1, 4, 5] });
  });

  test('refuses stride 0', () => {
    expect(() => runY({ slice: { endIndex: 1, axis: 'HEIGHT_AXIS' } }, { x: iota([1, 2, 2]) })).toThrow(/stride: must be positive/);
  });
});

describe('sliceStatic (Python slicing)', () => {
  test('the specification example: input[:3:2, 2::2, ::2] of a 5x5x5 tensor', () => {
    const y = runY(
      { sliceStatic: { beginIds: [1, 2, 3], beginMasks: [true, false, true], endIds: [3, -3, 2], endMasks: [false, true, true], strides: [2, 2, 2] } },
      { x: iota([5, 5, 5]) },
    );
    expect(y.shape).toEqual([2, 2, 3]);
    // (i, j, k) for i in {0, 2}, j in {2, 4}, k in {0, 2, 4}
    expect(y.data.slice(0, 6)).toEqual([10, 12, 14, 20, 22, 24]);
    expect(y.data.slice(6)).toEqual([60, 62, 64, 70, 72, 74]);
  });

  test('negative steps run from the end; out-of-range ids are clamped', () => {
    const reversed = runY({ sliceStatic: { beginIds: [0], beginMasks: [true], endIds: [0], endMasks: [true], strides: [-1] } }, { x: iota([4]) });
    expect(reversed.data).toEqual([3, 2, 1, 0]);
    const odd = runY({ sliceStatic: { beginIds: [3], beginMasks: [false], endIds: [-9], endMasks: [false], strides: [-2] } }, { x: iota([4]) });
    expect(odd.data).toEqual([3, 1]);
  });

  test('as the seed uses it: one column of [896, 16]', () => {
    const y = runY(
      { sliceStatic: { beginIds: [0, 2], beginMasks: [false, false], endIds: [896, 3], endMasks: [true, false], strides: [1, 1] } },
      { x: iota([3, 4]) },
    );
    expect(y).toEqual({ shape: [3, 1], data: [2, 6, 10] });
  });

  test('refuses squeezeMasks and lists of the wrong length', () => {
    const base = { beginIds: [0], beginMasks: [false], endIds: [1], endMasks: [false], strides: [1] };
    expect(() => runY({ sliceStatic: { ...base, squeezeMasks: [true] } }, { x: iota([4]) })).toThrow(/squeezeMasks/);
    expect(() => runY({ sliceStatic: { ...base, strides: [1, 1] } }, { x: iota([4]) })).toThrow(/strides: needs 1 entries/);
  });
});
