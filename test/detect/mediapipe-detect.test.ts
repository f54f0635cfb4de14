/**
 * The default detect path, end to end, against the real TFLite runtime: on the real photos,
 * detect() (sharp, MediaPipe's exact tensor, ONNX Runtime, decoding, NMS, the MATRIX
 * projection) gives the faces that the TFLite interpreter gives on the very same tensor, and
 * that tensor is not the former bilinear one.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAndSuppress } from '../../src/detect/detect-faces.js';
import { createFaceDetector, type FaceDetector } from '../../src/detect/face-detector.js';
import { toImageDetection } from '../../src/detect/mediapipe-projection.js';
import { imageToTensor } from '../../src/image/image-to-tensor.js';
import { letterbox } from '../../src/image/letterbox.js';
import { readImage } from '../../src/image/read-image.js';
import { imageToInput } from '../../src/image/to-tensor.js';
import { modelAnchorTable } from '../../src/models/anchor-tables.js';
import { loadModelFile } from '../../src/models/registry.js';
import { loadTfliteReference, type TfliteReference } from '../../src/runtimes/tflite/tflite-runtime.js';
import { availableDetectors } from '../support/models.js';
import { registryDetector } from '../../src/models/detector.js';
import { expectDetectionsClose, SHARED_IMAGES, sharedImagesPresent } from './close-detections.js';

const PHOTOS = ['call-512x384.jpg', 'four-384x834.jpg'];
/** ONNX Runtime against TFLite on the same tensor: the outputs agree to about 1e-5. */
const TOLERANCE = 1e-4;

/** Each photo decoded once for all models: detect() and imageToTensor only read the pixels. */
const decoded = new Map<string, ReturnType<typeof readImage>>();
function photo(name: string): ReturnType<typeof readImage> {
  const file = join(SHARED_IMAGES, 'people', name);
  let image = decoded.get(file);
  if (!image) {
    image = readImage(readFileSync(file), file);
    decoded.set(file, image);
  }
  return image;
}

let cacheDir: string;
beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'blazeface-mediapipe-detect-'));
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe.skipIf(!sharedImagesPresent).each(availableDetectors().map((m) => [m.id, m] as const))('%s: detect on photos', (id, entry) => {
  const spec = registryDetector(entry)!;
  let detector: FaceDetector;
  let tflite: TfliteReference;
  beforeAll(async () => {
    detector = await createFaceDetector(id, { threads: 1, cacheDir });
    tflite = await loadTfliteReference(loadModelFile(id).bytes);
  });
  afterAll(async () => {
    await detector.release();
    tflite.dispose();
  });

  it.each(PHOTOS)("%s: the faces TFLite finds on MediaPipe's tensor", async (name) => {
    expect(detector.resize).toBe('mediapipe');
    const image = await photo(name);
    const { width, height, range } = entry.input;
    const prepared = imageToTensor(image, { width, height, range: { min: range[0], max: range[1] } });
    const bilinear = imageToInput(letterbox(image, width, height).image, range);
    expect(
      prepared.tensor.some((v, i) => v !== bilinear[i]),
      'the two tensors must differ for the check to mean anything',
    ).toBe(true);

    const { outputs } = tflite.run(prepared.tensor);
    const candidates = decodeAndSuppress(
      outputs.get(entry.outputs.regressors!)!.data,
      outputs.get(entry.outputs.classificators!)!.data,
      modelAnchorTable(entry),
      {
        decoding: spec.decoding,
        input: entry.input,
        keypoints: spec.keypoints,
      },
    );
    const expected = candidates
      .map((c) => toImageDetection(c, { matrix: prepared.matrix, width: image.width, height: image.height }, spec.keypoints))
      .sort((a, b) => b.score - a.score);
    const { detections } = await detector.detect(image);
    expectDetectionsClose(detections, expected, TOLERANCE, `${id} ${name}`);
  });
});
