import { describe, expect, test } from 'vitest';
import { iota, runY } from './one-layer.js';

// The specification's example: C = 8, H = 1, W = 2 holding 1..16, block size 2.
const example = { x: iota([8, 1, 2], 1) };

describe('reorganizeData', () => {
  test('DEPTH_TO_SPACE takes channel (dy * 2 + dx) * C_out + c (TensorFlow order)', () => {
    const y = runY({ reorganizeData: { mode: 'DEPTH_TO_SPACE', blockSize: 2 } }, example);
    expect(y).toEqual({ shape: [2, 2, 4], data: [1, 5, 2, 6, 9, 13, 10, 14, 3, 7, 4, 8, 11, 15, 12, 16] });
  });

  test('PIXEL_SHUFFLE takes channel c * 4 + dy * 2 + dx (PyTorch order)', () => {
    const y = runY({ reorganizeData: { mode: 'PIXEL_SHUFFLE', blockSize: 2 } }, example);
    expect(y).toEqual({ shape: [2, 2, 4], data: [1, 3, 2, 4, 5, 7, 6, 8, 9, 11, 10, 12, 13, 15, 14, 16] });
  });

  test('SPACE_TO_DEPTH undoes DEPTH_TO_SPACE', () => {
    const space = { x: { shape: [2, 2, 4], data: [1, 5, 2, 6, 9, 13, 10, 14, 3, 7, 4, 8, 11, 15, 12, 16] } };
    expect(runY({ reorganizeData: { mode: 'SPACE_TO_DEPTH', blockSize: 2 } }, space)).toEqual({ shape: [8, 1, 2], data: iota([16], 1).data });
  });

  test('refuses a block size that does not divide', () => {
    expect(() => runY({ reorganizeData: { mode: 'DEPTH_TO_SPACE', blockSize: 3 } }, example)).toThrow(/blockSize: 3 does not divide/);
  });
});
