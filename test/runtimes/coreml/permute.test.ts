import { describe, expect, test } from 'vitest';
import { iota, runY } from './one-layer.js';

describe('permute (classic, rank 5)', () => {
  test('axis [3, 1, 2, 0] swaps Seq and W and keeps B in place', () => {
    // [Seq=2, B=1, C=1, H=1, W=3] -> [W=3, B=1, C=1, H=1, Seq=2]; out[w][s] = in[s][w]
    expect(runY({ permute: { axis: [3, 1, 2, 0] } }, { x: iota([2, 1, 1, 1, 3]) })).toEqual({ shape: [3, 1, 1, 1, 2], data: [0, 3, 1, 4, 2, 5] });
  });

  test('axis [0, 2, 3, 1] moves C last ([Seq, B, H, W, C])', () => {
    expect(runY({ permute: { axis: [0, 2, 3, 1] } }, { x: iota([1, 1, 2, 1, 2]) })).toEqual({ shape: [1, 1, 1, 2, 2], data: [0, 2, 1, 3] });
  });
});

describe('transpose', () => {
  test('NCHW to NHWC, as the seed does before reshaping to anchors', () => {
    // [1, C=2, H=1, W=2] -> [1, 1, 2, 2]
    expect(runY({ transpose: { axes: [0, 2, 3, 1] } }, { x: iota([1, 2, 1, 2]) })).toEqual({ shape: [1, 1, 2, 2], data: [0, 2, 1, 3] });
  });

  test('refuses a non-permutation', () => {
    expect(() => runY({ transpose: { axes: [0, 0] } }, { x: iota([2, 2]) })).toThrow(/not a permutation/);
  });
});
