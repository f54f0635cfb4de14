import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detection } from '../../src/detect/detection.js';
import { createFaceDetector, type FaceDetector } from '../../src/detect/face-detector.js';
import { letterbox, projectPoint, type LetterboxTransform } from '../../src/image/letterbox.js';
import type { RgbImage } from '../../src/image/rgb-image.js';
import { availableDetectors } from '../support/models.js';
import { expectDetectionsClose, readSharedImage, sharedImagesPresent } from './close-detections.js';

/** `image` centred on a black canvas `top` rows taller at the top and `bottom` rows at the bottom. */
function padVertically(image: RgbImage, top: number, bottom: number): RgbImage {
  const height = image.height + top + bottom;
  const data = new Uint8Array(image.width * height * 3);
  data.set(image.data, top * image.width * 3);
  return { width: image.width, height, data };
}

/** A detection in the letterboxed square's coordinates, carried to the original image by hand. */
function carry(d: Detection, transform: LetterboxTransform): Detection {
  const { sourceWidth: w, sourceHeight: h } = transform;
  const [xmin, ymin] = projectPoint(transform, d.box.xmin, d.box.ymin);
  const [xmax, ymax] = projectPoint(transform, d.box.xmax, d.box.ymax);
  return {
    score: d.score,
    box: { xmin, ymin, xmax, ymax, width: xmax - xmin, height: ymax - ymin },
    boxPixels: { x: xmin * w, y: ymin * h, width: (xmax - xmin) * w, height: (ymax - ymin) * h },
    keypoints: d.keypoints.map((k) => {
      const [x, y] = projectPoint(transform, k.x, k.y);
      return { name: k.name, x, y, xPixels: x * w, yPixels: y * h };
    }),
  };
}

let cacheDir: string;
beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'blazeface-letterbox-detect-'));
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

/**
 * 1face.png (128x128) with 24 black rows above and 40 below is 128x192: letterboxed into the
 * model input it is scaled by 2/3 (128 models), 1 (192) or 4/3 (256) and gets black side bars,
 * so the projection has both a scale and an offset to undo.
 */
// The face detectors: the photo shows a face, not a palm.
describe.skipIf(!sharedImagesPresent).each(
  availableDetectors()
    .filter((m) => m.decoding?.num_keypoints === 6)
    .map((m) => [m.id, m] as const),
)('%s: a non-square image', (id, entry) => {
  let detector: FaceDetector;
  beforeAll(async () => {
    detector = await createFaceDetector(id, { threads: 1, cacheDir, resize: 'bilinear' });
  });
  afterAll(() => detector.release());

  it('gives the detections of its letterboxed square version, projected back', async () => {
    const original = await readSharedImage('1face');
    const tall = padVertically(original, 24, 40);
    const { image: square, transform } = letterbox(tall, entry.input.width, entry.input.height);
    expect(transform.padLeft).toBeGreaterThan(0);

    const onSquare = (await detector.detect(square)).detections;
    expect(onSquare.length, 'the face must be found for the comparison to mean anything').toBeGreaterThan(0);
    const direct = (await detector.detect(tall)).detections;
    expectDetectionsClose(
      direct,
      onSquare.map((d) => carry(d, transform)),
      1e-4,
      `${id} 128x192`,
    );

    // Independent of the projection code: the face is where it is in 1face.png, 24 rows lower.
    // The model sees it at another scale, so only a few pixels of drift are allowed.
    const centre = (d: Detection): [number, number] => [d.boxPixels.x + d.boxPixels.width / 2, d.boxPixels.y + d.boxPixels.height / 2];
    const [x, y] = centre(direct[0]!);
    const [x0, y0] = centre((await detector.detect(original)).detections[0]!);
    expect(Math.abs(x - x0)).toBeLessThan(3);
    expect(Math.abs(y - (y0 + 24))).toBeLessThan(3);
  });
});
