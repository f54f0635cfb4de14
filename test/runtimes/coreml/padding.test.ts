import { describe, expect, test } from 'vitest';
import { iota, runY } from './one-layer.js';

// The 3x4 example of the Core ML specification's padding layer: 1..12, top 2, left 2.
const example = iota([1, 3, 4], 1);
const topLeft2 = { borderAmounts: [{ startEdgeSize: 2 }, { startEdgeSize: 2 }] };

describe('padding layer', () => {
  test('constant value on top and left', () => {
    const y = runY(
      { padding: { constant: { value: 9 }, paddingAmounts: { borderAmounts: [{ startEdgeSize: 1 }, { startEdgeSize: 2 }] } } },
      { x: { shape: [1, 2, 2], data: [1, 2, 3, 4] } },
    );
    expect(y).toEqual({ shape: [1, 3, 4], data: [9, 9, 9, 9, 9, 9, 1, 2, 9, 9, 3, 4] });
  });

  test('reflection, as in the specification example', () => {
    const y = runY({ padding: { reflection: {}, paddingAmounts: topLeft2 } }, { x: example });
    expect(y.shape).toEqual([1, 5, 6]);
    expect(y.data).toEqual([11, 10, 9, 10, 11, 12, 7, 6, 5, 6, 7, 8, 3, 2, 1, 2, 3, 4, 7, 6, 5, 6, 7, 8, 11, 10, 9, 10, 11, 12]);
  });

  test('replication, as in the specification example', () => {
    const y = runY({ padding: { replication: {}, paddingAmounts: topLeft2 } }, { x: example });
    expect(y.data).toEqual([1, 1, 1, 2, 3, 4, 1, 1, 1, 2, 3, 4, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 7, 8, 9, 9, 9, 10, 11, 12]);
  });

  test('refuses a missing padding type and too-wide reflection', () => {
    expect(() => runY({ padding: { paddingAmounts: topLeft2 } }, { x: example })).toThrow(/exactly one padding type/);
    expect(() => runY({ padding: { reflection: {}, paddingAmounts: { borderAmounts: [{ startEdgeSize: 3 }, {}] } } }, { x: example })).toThrow(
      /reflection needs amounts smaller/,
    );
  });
});

describe('constantPad', () => {
  test('pads any axis before and after (channel padding of a BlazeBlock)', () => {
    // [1, 2, 1, 2] -> channels padded after by 1 with -1
    const y = runY({ constantPad: { value: -1, padAmounts: [0, 0, 0, 1, 0, 0, 0, 0] } }, { x: iota([1, 2, 1, 2]) });
    expect(y).toEqual({ shape: [1, 3, 1, 2], data: [0, 1, 2, 3, -1, -1] });
  });

  test('pads the first and last axis of a matrix', () => {
    const y = runY({ constantPad: { padAmounts: [1, 0, 0, 2] } }, { x: { shape: [2, 2], data: [1, 2, 3, 4] } });
    expect(y).toEqual({ shape: [3, 4], data: [0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0] });
  });

  test('padToGivenOutputSizeMode pads up to the given size on the given side', () => {
    const y = runY({ constantPad: { value: 7, padAmounts: [0, 3, 4, 0], padToGivenOutputSizeMode: true } }, { x: { shape: [2, 2], data: [1, 2, 3, 4] } });
    expect(y).toEqual({ shape: [3, 4], data: [7, 7, 1, 2, 7, 7, 3, 4, 7, 7, 7, 7] });
  });

  test('refuses amounts that do not match the rank', () => {
    expect(() => runY({ constantPad: { padAmounts: [1, 1] } }, { x: iota([2, 2]) })).toThrow(/needs 4 values for rank 2/);
  });
});
