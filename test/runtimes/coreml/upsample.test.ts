import { describe, expect, test } from 'vitest';
import { runY } from './one-layer.js';

// One row [0, 4] upsampled 2x in W (and 1x in H).
const row = { x: { shape: [1, 1, 2], data: [0, 4] } };
const bilinear = (linearUpsampleMode: 'DEFAULT' | 'ALIGN_CORNERS_TRUE' | 'ALIGN_CORNERS_FALSE') =>
  runY({ upsample: { scalingFactor: [1, 2], mode: 'BILINEAR', linearUpsampleMode } }, row).data;

describe('upsample', () => {
  test('nearest neighbour repeats pixels', () => {
    const y = runY({ upsample: { scalingFactor: [2, 3] } }, { x: { shape: [1, 1, 2], data: [1, 2] } });
    expect(y).toEqual({ shape: [1, 2, 6], data: [1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2] });
  });

  test('bilinear ALIGN_CORNERS_FALSE samples half-pixel centres: 0.5 i - 0.25, clamped', () => {
    expect(bilinear('ALIGN_CORNERS_FALSE')).toEqual([0, 1, 3, 4]);
  });

  test('bilinear ALIGN_CORNERS_TRUE samples i / 3', () => {
    expect(bilinear('ALIGN_CORNERS_TRUE')).toEqual([0, Math.fround(4 / 3), Math.fround(8 / 3), 4]);
  });

  test('bilinear DEFAULT samples i * (2 - 2/4) / 3 = 0.5 i, clamped', () => {
    expect(bilinear('DEFAULT')).toEqual([0, 2, 4, 4]);
  });

  test('bilinear interpolates rows and columns together', () => {
    // 2x2 [[0, 4], [8, 12]] -> 4x4 half-pixel; row 1 samples input row 0.25
    const y = runY(
      { upsample: { scalingFactor: [2, 2], mode: 'BILINEAR', linearUpsampleMode: 'ALIGN_CORNERS_FALSE' } },
      { x: { shape: [1, 2, 2], data: [0, 4, 8, 12] } },
    );
    expect(y.data.slice(4, 8)).toEqual([2, 3, 5, 6]);
  });

  test('refuses fractional factors and a linear mode with NN', () => {
    expect(() => runY({ upsample: { fractionalScalingFactor: [1.5, 1.5] } }, row)).toThrow(/fractionalScalingFactor: is set/);
    expect(() => runY({ upsample: { scalingFactor: [1, 2], linearUpsampleMode: 'ALIGN_CORNERS_TRUE' } }, row)).toThrow(/applies to BILINEAR only/);
  });
});
