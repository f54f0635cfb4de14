import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { compareArrays } from '../../src/check/compare.js';
import type { Detection } from '../../src/detect/detection.js';
import { readImage } from '../../src/image/read-image.js';
import type { RgbImage } from '../../src/image/rgb-image.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';

export const SHARED_IMAGES = join(SHARED_DIR, 'images');

/** ../shared/images must be there under CI (reading then fails the test); elsewhere a missing folder skips. */
export const sharedImagesPresent = existsSync(SHARED_IMAGES) || process.env.CI === 'true';

export async function readSharedImage(name: string): Promise<RgbImage> {
  const file = join(SHARED_IMAGES, `${name}.png`);
  return readImage(readFileSync(file), file);
}

/** Every number a detection carries: score, normalized box, pixel box, keypoints in both units. */
export function detectionValues(d: Detection): number[] {
  const { box, boxPixels: px } = d;
  return [
    d.score,
    box.xmin,
    box.ymin,
    box.xmax,
    box.ymax,
    box.width,
    box.height,
    px.x,
    px.y,
    px.width,
    px.height,
    ...d.keypoints.flatMap((k) => [k.x, k.y, k.xPixels, k.yPixels]),
  ];
}

/**
 * Same count, same keypoint names, and every value within `tolerance` by the project's measure
 * |a-b|/(1+|b|): absolute for the normalized values and scores, relative for pixel values.
 */
export function expectDetectionsClose(actual: readonly Detection[], expected: readonly Detection[], tolerance: number, where: string): void {
  expect(actual.length, `${where}: number of faces`).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    expect(
      a.keypoints.map((k) => k.name),
      `${where}: face ${i} keypoint names`,
    ).toEqual(e.keypoints.map((k) => k.name));
    const diff = compareArrays(detectionValues(a), detectionValues(e));
    expect(diff.maxError, `${where}: face ${i}, value ${diff.worstIndex} is ${diff.actual}, expected ${diff.expected}`).toBeLessThanOrEqual(tolerance);
  });
}
