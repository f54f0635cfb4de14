import { describe, expect, test } from 'vitest';
import { iota, runOneLayer, runY } from './one-layer.js';

describe('concat, concatND, stack, splitND', () => {
  test('classic concat joins channels (axis -3)', () => {
    const y = runY({ concat: {} }, { a: iota([1, 2, 1, 2]), b: iota([1, 1, 1, 2], 10) });
    expect(y).toEqual({ shape: [1, 3, 1, 2], data: [0, 1, 2, 3, 10, 11] });
  });

  test('concatND along the last axis', () => {
    const y = runY({ concatND: { axis: -1 } }, { a: iota([2, 1]), b: iota([2, 2], 10) });
    expect(y).toEqual({ shape: [2, 3], data: [0, 10, 11, 1, 12, 13] });
  });

  test('stack adds an output axis', () => {
    const y = runY({ stack: { axis: -1 } }, { a: iota([2]), b: iota([2], 10), c: iota([2], 20) });
    expect(y).toEqual({ shape: [2, 3], data: [0, 10, 20, 1, 11, 21] });
  });

  test('splitND by sizes and by count', () => {
    const bySizes = runOneLayer({ splitND: { axis: 0, splitSizes: [1, 2] } }, { x: iota([3, 2]) }, ['p', 'q']);
    expect(Array.from(bySizes.p!.data)).toEqual([0, 1]);
    expect(bySizes.q!.shape).toEqual([2, 2]);
    expect(Array.from(bySizes.q!.data)).toEqual([2, 3, 4, 5]);
    const byCount = runOneLayer({ splitND: { axis: -1, numSplits: 2 } }, { x: iota([3, 2]) }, ['p', 'q']);
    expect(Array.from(byCount.q!.data)).toEqual([1, 3, 5]);
  });

  test('refuses mismatched shapes', () => {
    expect(() => runY({ concatND: { axis: 0 } }, { a: iota([1, 2]), b: iota([1, 3]) })).toThrow(/differ off axis 0/);
    expect(() => runY({ stack: {} }, { a: iota([2]), b: iota([3]) })).toThrow(/equal shapes/);
  });
});
