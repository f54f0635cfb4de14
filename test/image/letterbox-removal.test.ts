import { describe, expect, it } from 'vitest';
import { imageToTensor, rotatedSubRectToRectMatrix } from '../../src/image/image-to-tensor.js';
import type { LetterboxTransform } from '../../src/image/letterbox.js';
import { projectByMatrix, projectPointByMatrix, removeLetterbox, removeLetterboxFromPoint } from '../../src/image/letterbox-removal.js';

const f = Math.fround;

/** 640x480 letterboxed into 128x128: a border of 1/8 of the tensor above and below the picture. */
const LANDSCAPE: LetterboxTransform = {
  sourceWidth: 640,
  sourceHeight: 480,
  targetWidth: 128,
  targetHeight: 128,
  padLeft: 0,
  padTop: 0.125,
  padRight: 0,
  padBottom: 0.125,
};

/** 480x640 into 192x192: the border is on the left and right. */
const PORTRAIT: LetterboxTransform = {
  ...LANDSCAPE,
  sourceWidth: 480,
  sourceHeight: 640,
  targetWidth: 192,
  targetHeight: 192,
  padLeft: 0.125,
  padTop: 0,
  padRight: 0.125,
  padBottom: 0,
};

describe('DetectionLetterboxRemovalCalculator', () => {
  it('removes a top and bottom border: y → (y - 1/8) / (3/4), heights grow by 4/3, x unchanged', () => {
    const out = removeLetterbox(LANDSCAPE, { box: { xmin: 0.25, ymin: 0.25, width: 0.5, height: 0.375 }, keypoints: [0.5, 0.5, 0.1, 0.125, 0.3, 0.875] });
    expect(out.box).toEqual({ xmin: 0.25, ymin: f(0.125 / 0.75), width: 0.5, height: 0.5 });
    expect(out.keypoints).toEqual([0.5, 0.5, f(0.1), 0, f(f(f(0.3) - 0) / 1), 1]);
  });

  it('removes a left and right border', () => {
    expect(removeLetterboxFromPoint(PORTRAIT, 0.125, 0.4)).toEqual([0, f(0.4)]);
    expect(removeLetterboxFromPoint(PORTRAIT, 0.875, 0.4)).toEqual([1, f(0.4)]);
    expect(removeLetterboxFromPoint(PORTRAIT, 0.5, 0.4)).toEqual([0.5, f(0.4)]);
  });

  it('rounds to float32 at every step, the padding summed first: (x - left) / (1 - (left + right))', () => {
    const odd: LetterboxTransform = { ...LANDSCAPE, padTop: f(0.21875), padBottom: f(0.21875) };
    const [, y] = removeLetterboxFromPoint(odd, 0.3, 0.3);
    expect(y).toBe(f(f(f(0.3) - 0.21875) / f(1 - f(0.21875 + 0.21875))));
  });

  it('refuses padding that leaves no image', () => {
    expect(() => removeLetterboxFromPoint({ ...LANDSCAPE, padTop: 0.5, padBottom: 0.5 }, 0.5, 0.5)).toThrow(/leaves no image/);
  });
});

describe('DetectionProjectionCalculator', () => {
  it('agrees with letterbox removal for the whole-image ROI', () => {
    const image = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 3) };
    const { matrix, letterbox } = imageToTensor(image, { width: 128, height: 128 });
    for (const [x, y] of [
      [0.1, 0.2],
      [0.5, 0.5],
      [0.9, 0.8],
      [0.3, 0.125],
    ] as const) {
      const [px, py] = projectPointByMatrix(matrix, x, y);
      const [lx, ly] = removeLetterboxFromPoint(letterbox, x, y);
      expect(px).toBeCloseTo(lx, 6);
      expect(py).toBeCloseTo(ly, 6);
    }
  });

  it('turns boxes and keypoints with a rotated ROI and keeps the upright bounds of the box', () => {
    // A square ROI turned by 90 degrees: tensor (x, y) is image (1 - y, x).
    const matrix = rotatedSubRectToRectMatrix({ centerX: 50, centerY: 50, width: 100, height: 100, rotation: Math.PI / 2 }, 100, 100);
    const out = projectByMatrix(matrix, { box: { xmin: 0.1, ymin: 0.2, width: 0.3, height: 0.1 }, keypoints: [0.25, 0.25] });
    expect(out.box.xmin).toBeCloseTo(0.7, 6);
    expect(out.box.ymin).toBeCloseTo(0.1, 6);
    expect(out.box.width).toBeCloseTo(0.1, 6);
    expect(out.box.height).toBeCloseTo(0.3, 6);
    expect(out.keypoints[0]).toBeCloseTo(0.75, 6);
    expect(out.keypoints[1]).toBeCloseTo(0.25, 6);
  });

  it('grows a box turned by 45 degrees to the square around the diamond', () => {
    const matrix = rotatedSubRectToRectMatrix({ centerX: 50, centerY: 50, width: 100, height: 100, rotation: Math.PI / 4 }, 100, 100);
    const out = projectByMatrix(matrix, { box: { xmin: 0.4, ymin: 0.4, width: 0.2, height: 0.2 }, keypoints: [] });
    expect(out.box.width).toBeCloseTo(0.2 * Math.SQRT2, 6);
    expect(out.box.height).toBeCloseTo(0.2 * Math.SQRT2, 6);
    expect(out.box.xmin + out.box.width / 2).toBeCloseTo(0.5, 6);
  });

  it('refuses a matrix that is not 4x4', () => {
    expect(() => projectPointByMatrix(new Float32Array(9), 0, 0)).toThrow(/16 values/);
  });
});
