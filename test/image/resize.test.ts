import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/ir/errors.js';
import { resizeBilinear } from '../../src/image/resize.js';
import type { RgbImage } from '../../src/image/rgb-image.js';

/** A gray image from rows of values (R = G = B). */
function gray(rows: number[][]): RgbImage {
  const height = rows.length;
  const width = rows[0]!.length;
  return { width, height, data: Uint8Array.from(rows.flat().flatMap((v) => [v, v, v])) };
}

/** The red channel as rows. */
function red(image: RgbImage): number[][] {
  return Array.from({ length: image.height }, (_, y) => Array.from({ length: image.width }, (_, x) => image.data[(y * image.width + x) * 3]!));
}

describe('resizeBilinear', () => {
  it('upsamples 2x2 to 4x4 with half-pixel centres and clamped edges', () => {
    // Source positions for the 4 outputs: (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25,
    // clamped to 0, 0.25, 0.75, 1: the weights of the right/bottom pixel are 0, 1/4, 3/4, 1.
    // Top row 0..100: 0, 25, 75, 100. Bottom row 200..40: 200, 160, 80, 40.
    // Row 1 = 3/4 top + 1/4 bottom: 50, 58.75, 76.25, 85 -> 50, 59, 76, 85.
    // Row 2 = 1/4 top + 3/4 bottom: 150, 126.25, 78.75, 55 -> 150, 126, 79, 55.
    const out = resizeBilinear(
      gray([
        [0, 100],
        [200, 40],
      ]),
      4,
      4,
    );
    expect(out.width).toBe(4);
    expect(out.height).toBe(4);
    expect(red(out)).toEqual([
      [0, 25, 75, 100],
      [50, 59, 76, 85],
      [150, 126, 79, 55],
      [200, 160, 80, 40],
    ]);
  });

  it('downsamples 4x4 to 2x2 by sampling between the centre pixels of each 2x2 block', () => {
    // Source positions: (i + 0.5) * 2 - 0.5 = 0.5, 2.5: the mean of each block.
    const out = resizeBilinear(
      gray([
        [0, 4, 10, 20],
        [8, 12, 30, 40],
        [100, 100, 1, 3],
        [100, 104, 5, 7],
      ]),
      2,
      2,
    );
    // Blocks: (0+4+8+12)/4 = 6, (10+20+30+40)/4 = 25, (100+100+100+104)/4 = 101, (1+3+5+7)/4 = 4.
    expect(red(out)).toEqual([
      [6, 25],
      [101, 4],
    ]);
  });

  it('rounds halves up', () => {
    // 2x1 -> 1x1 samples at 0.5: (0 + 3) / 2 = 1.5 -> 2; (10 + 11) / 2 = 10.5 -> 11.
    expect(red(resizeBilinear(gray([[0, 3]]), 1, 1))).toEqual([[2]]);
    expect(red(resizeBilinear(gray([[10, 11]]), 1, 1))).toEqual([[11]]);
  });

  it('resizes each channel on its own', () => {
    // 1x2 -> 1x4 vertically: weights 0, 1/4, 3/4, 1 of the bottom pixel.
    const image: RgbImage = { width: 1, height: 2, data: Uint8Array.from([0, 255, 40, 100, 55, 0]) };
    expect(Array.from(resizeBilinear(image, 1, 4).data)).toEqual([
      0,
      255,
      40, //
      25,
      205,
      30, // 0.75*[0,255,40] + 0.25*[100,55,0] = 25, 205, 30
      75,
      105,
      10, // 0.25*[0,255,40] + 0.75*[100,55,0] = 75, 105, 10
      100,
      55,
      0,
    ]);
  });

  it('is the identity at the same size', () => {
    const image = gray([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(resizeBilinear(image, 3, 2).data).toEqual(image.data);
  });

  it('rejects an empty target', () => {
    expect(() => resizeBilinear(gray([[1]]), 0, 4)).toThrow(InputError);
  });
});
