import { describe, expect, test } from 'vitest';
import { halfBytes, iota, runY } from './one-layer.js';
import { seeded } from '../reference/kernels/seeded.js';

describe('activation PReLU', () => {
  test('scales negatives by the alpha of their channel (axis -3)', () => {
    const x = { shape: [1, 2, 1, 3], data: [-1, 2, -3, -4, 5, -6] };
    expect(runY({ activation: { PReLU: { alpha: { floatValue: [0.5, 2] } } } }, { x })).toEqual({ shape: [1, 2, 1, 3], data: [-0.5, 2, -1.5, -8, 5, -12] });
    expect(runY({ activation: { PReLU: { alpha: { float16Value: halfBytes([0x3400]) } } } }, { x }).data).toEqual([-0.25, 2, -0.75, -1, 5, -1.5]);
  });

  test('refuses an alpha that is neither one value nor one per channel, and a rank below 3', () => {
    expect(() => runY({ activation: { PReLU: { alpha: { floatValue: [1, 2, 3] } } } }, { x: iota([1, 2, 1, 1]) })).toThrow(
      /PReLU\.alpha: holds 3 values; the input \[1, 2, 1, 1\] needs 1 or 2/,
    );
    expect(() => runY({ activation: { PReLU: { alpha: { floatValue: [1] } } } }, { x: iota([2, 2]) })).toThrow(/rank at least 3/);
  });
});

describe('reduceMean', () => {
  test('averages the listed axes, negative ones from the end, keeping them as 1s or dropping them', () => {
    const x = iota([2, 3, 2]);
    expect(runY({ reduceMean: { axes: [1, -1] } }, { x })).toEqual({ shape: [2], data: [2.5, 8.5] });
    expect(runY({ reduceMean: { axes: [0], keepDims: true } }, { x })).toEqual({ shape: [1, 3, 2], data: [3, 4, 5, 6, 7, 8] });
    expect(runY({ reduceMean: { reduceAll: true } }, { x })).toEqual({ shape: [1], data: [5.5] });
  });

  test('adds the elements of each mean in the order they are stored, in float64', () => {
    const shape = [2, 3, 4, 5];
    // Small values among +-2^60, which absorb them until they cancel: the sums depend on the order.
    const data = Array.from(seeded(120, 3), (v) => (v > 0.5 ? 2 ** 60 : v < -0.5 ? -(2 ** 60) : v));
    for (const axes of [[2, 3], [1], [0, 2], [1, 3], [0, 1, 2, 3], [3]]) {
      const kept = shape.map((d, axis) => (axes.includes(axis) ? 1 : d));
      const sums = new Float64Array(kept.reduce((a, b) => a * b, 1));
      data.forEach((v, i) => {
        let [o, rest, size] = [0, i, 1];
        for (let axis = shape.length - 1; axis >= 0; axis--) {
          if (!axes.includes(axis)) o += (rest % shape[axis]!) * size;
          if (!axes.includes(axis)) size *= shape[axis]!;
          rest = Math.floor(rest / shape[axis]!);
        }
        sums[o]! += Math.fround(v);
      });
      const count = data.length / sums.length;
      const y = runY({ reduceMean: { axes, keepDims: true } }, { x: { shape, data } });
      expect(y, `axes ${axes}`).toEqual({ shape: kept, data: Array.from(sums, (s) => Math.fround(s / count)) });
    }
  });

  test('refuses no axes without reduceAll, and an axis out of range', () => {
    expect(() => runY({ reduceMean: {} }, { x: iota([2]) })).toThrow(/axes: is empty/);
    expect(() => runY({ reduceMean: { axes: [3] } }, { x: iota([2, 2]) })).toThrow(/axis 3 is out of range for rank 2/);
  });
});
