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

describe('MIL max_pool on signed zeros, infinities and NaN', () => {
  test('each window gives what Math.max over it gives', () => {
    const windows = [
      [-0, -0, -0, -0],
      [-0, 0, -1, -Infinity],
      [0, -0, -0, -0],
      [-Infinity, -Infinity, -Infinity, -Infinity],
      [1, Number.NaN, 2, 3],
      [-(2 ** -149), -0, -1, -2],
      [Infinity, 3, -0, 0],
    ];
    // Window k covers columns 2k and 2k+1 of both rows.
    const rows = [0, 1].map((r) => windows.flatMap((w) => [w[2 * r]!, w[2 * r + 1]!]));
    const p = single(
      'max_pool',
      [1, 1, 2, 2 * windows.length],
      { kernel_sizes: value.ints([2, 2]), strides: value.ints([2, 2]), pad_type: value.string('valid') },
      [1, 1, 1, windows.length],
    );
    const exact = (values: readonly number[]) => values.map((v) => (Object.is(v, -0) ? '-0' : String(v)));
    expect(exact(run(p, { x: rows.flat() }).y!)).toEqual(exact(windows.map((w) => w.reduce((m, v) => Math.max(m, v), -Infinity))));
  });
});
