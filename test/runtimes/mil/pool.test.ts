import { describe, expect, test } from 'vitest';
import { run, single, value } from './program.js';

describe('MIL max_pool', () => {
  test('padded cells never win: 2x2 windows, strides 2, custom pad top 1 / left 1 over negative values', () => {
    const p = single(
      'max_pool',
      [1, 1, 3, 3],
      {
        kernel_sizes: value.ints([2, 2]),
        strides: value.ints([2, 2]),
        pad_type: value.string('custom'),
        pad: value.ints([1, 0, 1, 0]),
        ceil_mode: value.bool(false),
      },
      [1, 1, 2, 2],
    );
    expect(run(p, { x: [-1, -2, -3, -4, -5, -6, -7, -8, -9] }).y).toEqual([-1, -2, -4, -5]);
  });

  test('a 1x3 window with strides [1, 2], valid, on two channels', () => {
    const p = single(
      'max_pool',
      [1, 2, 2, 5],
      { kernel_sizes: value.ints([1, 3]), strides: value.ints([1, 2]), pad_type: value.string('valid') },
      [1, 2, 2, 2],
    );
    const x = Array.from({ length: 20 }, (_, i) => (i < 10 ? i : 30 - i));
    // channel 0 rows [0..4], [5..9]; channel 1 rows [20..16], [15..11]
    expect(run(p, { x }).y).toEqual([2, 4, 7, 9, 20, 18, 15, 13]);
  });

  test('pad_type same pads like TensorFlow (the odd cell after)', () => {
    const p = single('max_pool', [1, 1, 1, 4], { kernel_sizes: value.ints([1, 3]), strides: value.ints([1, 2]), pad_type: value.string('same') }, [1, 1, 1, 2]);
    expect(run(p, { x: [4, -1, 3, -2] }).y).toEqual([4, 3]);
  });

  test('ceil_mode true is refused', () => {
    const p = single(
      'max_pool',
      [1, 1, 2, 2],
      { kernel_sizes: value.ints([2, 2]), pad_type: value.string('valid'), ceil_mode: value.bool(true) },
      [1, 1, 1, 1],
    );
    expect(() => run(p, { x: [1, 2, 3, 4] })).toThrow(/input ceil_mode: true is not implemented/);
  });
});
