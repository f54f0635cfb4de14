import { describe, expect, test } from 'vitest';
import { iota, runY } from './one-layer.js';

describe('classic reshape of [Seq, B, C, H, W]', () => {
  // C = 2, H = 1, W = 3: channel 0 = [0, 1, 2], channel 1 = [3, 4, 5]
  const x = { x: iota([1, 1, 2, 1, 3]) };

  test('CHANNEL_FIRST keeps the element order', () => {
    expect(runY({ reshape: { targetShape: [3, 2, 1] } }, x)).toEqual({ shape: [1, 1, 3, 2, 1], data: [0, 1, 2, 3, 4, 5] });
  });

  test('CHANNEL_LAST reads and refills in H, W, C order', () => {
    // HWC order of x: 0 3 1 4 2 5 -> [H=2, W=1, C=3] = [[0 3 1]], [[4 2 5]] -> CHW
    expect(runY({ reshape: { targetShape: [3, 2, 1], mode: 'CHANNEL_LAST' } }, x)).toEqual({ shape: [1, 1, 3, 2, 1], data: [0, 4, 3, 2, 1, 5] });
  });

  test('a 4-long target changes the sequence length', () => {
    expect(runY({ reshape: { targetShape: [2, 3, 1, 1] } }, x).shape).toEqual([2, 1, 3, 1, 1]);
  });

  test('refuses a target that does not hold the elements, and non-rank-5 inputs', () => {
    expect(() => runY({ reshape: { targetShape: [4, 1, 1] } }, x)).toThrow(/does not hold the 6 elements/);
    expect(() => runY({ reshape: { targetShape: [6, 1, 1] } }, { x: iota([2, 3]) })).toThrow(/rank 5/);
  });
});

describe('flatten', () => {
  test('CHANNEL_FIRST and CHANNEL_LAST', () => {
    const x = { x: iota([1, 2, 1, 3]) };
    expect(runY({ flatten: {} }, x)).toEqual({ shape: [1, 6, 1, 1], data: [0, 1, 2, 3, 4, 5] });
    expect(runY({ flatten: { mode: 'CHANNEL_LAST' } }, x)).toEqual({ shape: [1, 6, 1, 1], data: [0, 3, 1, 4, 2, 5] });
  });
});

describe('reshapeStatic, squeeze, expandDims', () => {
  test('reshapeStatic infers one -1', () => {
    expect(runY({ reshapeStatic: { targetShape: [1, -1, 2] } }, { x: iota([2, 3]) })).toEqual({ shape: [1, 3, 2], data: [0, 1, 2, 3, 4, 5] });
    expect(() => runY({ reshapeStatic: { targetShape: [-1, -1] } }, { x: iota([2, 3]) })).toThrow(/at most one -1/);
    expect(() => runY({ reshapeStatic: { targetShape: [4, -1] } }, { x: iota([2, 3]) })).toThrow(/does not hold/);
  });

  test('squeeze listed axes or all size-1 axes, never below rank 1', () => {
    expect(runY({ squeeze: { axes: [-3] } }, { x: iota([1, 1, 2, 1]) }).shape).toEqual([1, 2, 1]);
    expect(runY({ squeeze: { squeezeAll: true } }, { x: iota([1, 2, 1, 3]) }).shape).toEqual([2, 3]);
    expect(runY({ squeeze: { squeezeAll: true } }, { x: iota([1, 1]) }).shape).toEqual([1]);
    expect(() => runY({ squeeze: { axes: [1] } }, { x: iota([1, 2]) })).toThrow(/axis 1 has size 2/);
  });

  test('expandDims counts negative axes from the output end', () => {
    expect(runY({ expandDims: { axes: [-1, 0] } }, { x: iota([2, 3]) }).shape).toEqual([1, 2, 3, 1]);
    expect(runY({ expandDims: { axes: [1] } }, { x: iota([2, 3]) }).shape).toEqual([2, 1, 3]);
  });
});
