import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/detect/decode-detections.js';
import { candidateToRelative, letterboxRemovalProjection, toImageDetection } from '../../src/detect/mediapipe-projection.js';
import { imageToTensor } from '../../src/image/image-to-tensor.js';
import type { LetterboxTransform } from '../../src/image/letterbox.js';
import { removeLetterboxFromPoint } from '../../src/image/letterbox-removal.js';

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

function candidate(xmin: number, ymin: number, xmax: number, ymax: number, keypoints: readonly number[] = new Array(12).fill(0.5)): Candidate {
  return { anchorIndex: 7, score: 0.9, xmin, ymin, xmax, ymax, keypoints };
}

describe('from candidates to detections', () => {
  it('takes width = xmax - xmin in float32, as TensorsToDetectionsCalculator does', () => {
    expect(candidateToRelative(candidate(0.1, 0.2, 0.7, 0.5)).box).toEqual({
      xmin: f(0.1),
      ymin: f(0.2),
      width: f(f(0.7) - f(0.1)),
      height: f(f(0.5) - f(0.2)),
    });
  });

  it('gives a Detection in the image, normalized and in pixels', () => {
    const keypoints = [0.375, 0.375, 0.625, 0.375, 0.5, 0.5, 0.5, 0.625, 0.25, 0.4375, 0.75, 0.4375];
    const d = toImageDetection(candidate(0.25, 0.25, 0.75, 0.625, keypoints), { letterbox: LANDSCAPE });
    expect(d.score).toBe(0.9);
    // y: (0.25 - 0.125) / 0.75 = 1/6; height 0.375 / 0.75 = 0.5.
    expect(d.box).toEqual({ xmin: 0.25, ymin: f(0.125 / 0.75), width: 0.5, height: 0.5, xmax: 0.75, ymax: f(0.125 / 0.75) + 0.5 });
    expect(d.boxPixels).toEqual({ x: 160, y: f(0.125 / 0.75) * 480, width: 320, height: 240 });
    expect(d.keypoints.map((k) => k.name)).toEqual(['right_eye', 'left_eye', 'nose_tip', 'mouth_center', 'right_ear_tragion', 'left_ear_tragion']);
    expect(d.keypoints[2]).toEqual({ name: 'nose_tip', x: 0.5, y: 0.5, xPixels: 320, yPixels: 240 });
    expect(d.keypoints[3]!.y).toBe(f(0.5 / 0.75));
  });

  it('projects by the MATRIX output the same way', () => {
    const image = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 3) };
    const { matrix } = imageToTensor(image, { width: 128, height: 128 });
    const d = toImageDetection(candidate(0.25, 0.25, 0.75, 0.625), { matrix, width: 640, height: 480 });
    expect(d.box.ymin).toBeCloseTo(1 / 6, 6);
    expect(d.box.height).toBeCloseTo(0.5, 6);
    expect(d.boxPixels.width).toBeCloseTo(320, 3);
  });

  it('refuses a candidate without the six BlazeFace keypoints', () => {
    expect(() => toImageDetection(candidate(0, 0, 1, 1, [0.5, 0.5]), { letterbox: LANDSCAPE })).toThrow(/1 keypoints/);
  });

  it('offers the point mapping as the Projection that postprocess takes', () => {
    const projection = letterboxRemovalProjection(LANDSCAPE);
    expect(projection.width).toBe(640);
    expect(projection.height).toBe(480);
    expect(projection.project(0.3, 0.3)).toEqual(removeLetterboxFromPoint(LANDSCAPE, 0.3, 0.3));
  });
});
