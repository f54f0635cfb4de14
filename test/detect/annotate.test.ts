import { describe, expect, it } from 'vitest';
import { annotate, BOX_COLOR, KEYPOINT_COLORS } from '../../src/detect/annotate.js';
import type { Detection } from '../../src/detect/detection.js';
import { KEYPOINT_NAMES } from '../../src/models/keypoints.js';

const GRAY = [10, 20, 30];

function grayImage(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(GRAY, i);
  return { width, height, data };
}

function pixel(image: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const at = (y * image.width + x) * 3;
  return Array.from(image.data.subarray(at, at + 3));
}

/** A detection whose box covers pixels x 10..24, y 20..31 of a 40x40 image. */
function face(score: number, x = 10, y = 20): Detection {
  const points: Record<string, [number, number]> = {
    right_eye: [14, 24],
    left_eye: [20, 24],
    nose_tip: [17, 26],
    mouth_center: [17, 29],
    right_ear_tragion: [12, 26],
    left_ear_tragion: [22, 26],
  };
  return {
    score,
    box: { xmin: x / 40, ymin: y / 40, xmax: (x + 15) / 40, ymax: (y + 12) / 40, width: 15 / 40, height: 12 / 40 },
    boxPixels: { x, y, width: 15, height: 12 },
    keypoints: KEYPOINT_NAMES.map((name) => {
      const [px, py] = points[name]!;
      return { name, x: px / 40, y: py / 40, xPixels: px, yPixels: py };
    }),
  };
}

describe('annotate', () => {
  it('draws a 2-pixel box, keypoints and the score, and leaves other pixels alone', () => {
    const image = grayImage(40, 40);
    const out = annotate(image, [face(0.973)]);

    // Box corners and the second line of the 2-pixel outline; the pixel inside it is untouched.
    expect(pixel(out, 10, 20)).toEqual([...BOX_COLOR]);
    expect(pixel(out, 11, 21)).toEqual([...BOX_COLOR]);
    expect(pixel(out, 24, 31)).toEqual([...BOX_COLOR]);
    expect(pixel(out, 23, 30)).toEqual([...BOX_COLOR]);
    expect(pixel(out, 12, 22)).toEqual(GRAY);

    // Keypoint squares of radius 1 (a 40-pixel image): centre and a corner of the square.
    expect(pixel(out, 17, 26)).toEqual([...KEYPOINT_COLORS.nose_tip]);
    expect(pixel(out, 18, 27)).toEqual([...KEYPOINT_COLORS.nose_tip]);
    expect(pixel(out, 14, 24)).toEqual([...KEYPOINT_COLORS.right_eye]);

    // "97.3%" with its top row at 20 - 2 - 7 = 11; the first row of '9' is .###.
    expect(pixel(out, 10, 11)).toEqual(GRAY);
    expect(pixel(out, 11, 11)).toEqual([...BOX_COLOR]);
    expect(pixel(out, 13, 11)).toEqual([...BOX_COLOR]);

    expect(pixel(out, 39, 0)).toEqual(GRAY);
    expect(pixel(out, 0, 39)).toEqual(GRAY);
    // The input is copied, not drawn on.
    expect(pixel(image, 10, 20)).toEqual(GRAY);
  });

  it('clips a box that runs off the image to the image border', () => {
    const out = annotate(grayImage(40, 40), [face(0.5, -5, -5)]);
    // Box pixels -5..9 clipped to 0..9; the outline runs along the top and left border.
    expect(pixel(out, 0, 0)).toEqual([...BOX_COLOR]);
    expect(pixel(out, 9, 9)).toEqual([...BOX_COLOR]);
    expect(pixel(out, 10, 10)).toEqual(GRAY);
  });

  it('gives every keypoint its own colour, different from the box', () => {
    const colors = [BOX_COLOR, ...KEYPOINT_NAMES.map((name) => KEYPOINT_COLORS[name])].map((c) => c.join());
    expect(new Set(colors).size).toBe(7);
  });
});
