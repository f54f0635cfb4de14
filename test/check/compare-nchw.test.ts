import { expect, test } from 'vitest';
import { compareArrays, compareNchwToNhwc } from '../../src/check/compare.js';
import { perm, permuteData } from '../../src/ir/layout.js';
import { xorshift32 } from '../../scripts/fuzz/random.js';

function cropped(data: Float32Array, [n, c, h, w]: readonly [number, number, number, number], channels: number): Float32Array {
  const out = new Float32Array(n * channels * h * w);
  for (let b = 0; b < n; b++) out.set(data.subarray(b * c * h * w, b * c * h * w + channels * h * w), b * channels * h * w);
  return out;
}

test('compareNchwToNhwc gives what compareArrays gives on the cropped NHWC copy: ties, NaNs and lengths too', () => {
  const u32 = xorshift32(0x51ced);
  const next = (): number => u32() / 2 ** 32;
  const shapes: [number, number, number, number][] = [
    [1, 3, 4, 5],
    [2, 8, 3, 3],
    [1, 16, 1, 7],
    [1, 1, 1, 1],
  ];
  for (const shape of shapes) {
    const [n, c, h, w] = shape;
    for (const channels of [c, Math.max(1, c - 2), 0]) {
      for (const kind of ['plain', 'ties', 'nan', 'infinity', 'short']) {
        const actual = Float32Array.from({ length: n * c * h * w }, () => (kind === 'ties' ? Math.round(next() * 2) : next() * 4 - 2));
        const expectedNhwc = permuteData(cropped(actual, shape, channels), [n, channels, h, w], perm('NCHW', 'NHWC'));
        const expected = Float32Array.from(expectedNhwc, (v) => (kind === 'ties' ? v + Math.round(next()) : v + (next() - 0.5) * 1e-3));
        if (kind === 'nan' && expected.length > 2) {
          expected[1] = Number.NaN;
          actual[actual.length - 1] = Number.NaN;
        }
        if (kind === 'infinity' && actual.length > 0) actual[0] = Number.POSITIVE_INFINITY;
        const against = kind === 'short' ? expected.subarray(0, Math.max(0, expected.length - 1)) : expected;
        const reference = compareArrays(permuteData(cropped(actual, shape, channels), [n, channels, h, w], perm('NCHW', 'NHWC')), against);
        expect(compareNchwToNhwc(actual, shape, channels, against), `${shape} ${channels} ${kind}`).toEqual(reference);
      }
    }
  }
});
