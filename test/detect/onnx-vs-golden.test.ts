import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelAnchorTable } from '../../src/models/anchor-tables.js';
import { goldenCases, GOLDEN_IMAGES, goldenTensor, readGolden } from '../../src/check/golden.js';
import { letterboxProjection, postprocess } from '../../src/detect/detect-faces.js';
import { createFaceDetector, type FaceDetector } from '../../src/detect/face-detector.js';
import { letterbox } from '../../src/image/letterbox.js';
import { sha256Hex } from '../../src/io/sha256.js';
import { availableDetectors } from '../support/models.js';
import { expectDetectionsClose, readSharedImage, sharedImagesPresent } from './close-detections.js';
import { bytesOf } from '../../src/ir/dtype.js';

/**
 * The whole runtime path (letterbox, our ONNX on onnxruntime-node, decode, weighted NMS,
 * projection) against the same postprocessing of the real TFLite runtime's outputs for the
 * same image. The golden image cases are exactly `letterbox` + `imageToInput` of the shared
 * PNGs, the input detect() builds, so both sides see one tensor.
 */
const TOLERANCE = 1e-4;

let cacheDir: string;
beforeAll(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'blazeface-golden-detect-'));
});
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe.skipIf(!sharedImagesPresent).each(availableDetectors().map((m) => [m.id, m] as const))(
  '%s: ONNX detections vs golden TFLite detections',
  (id, entry) => {
    let detector: FaceDetector;
    beforeAll(async () => {
      detector = await createFaceDetector(id, { threads: 1, cacheDir, resize: 'bilinear' });
    });
    afterAll(() => detector.release());

    it.each(GOLDEN_IMAGES)('%s', async (name) => {
      const image = await readSharedImage(name);
      const { width, height } = entry.input;
      // The golden outputs must come from the input detect() builds, or the comparison is moot.
      const goldenCase = goldenCases(entry).find((c) => c.name === name)!;
      const golden = readGolden(id, name);
      expect(sha256Hex(bytesOf(goldenCase.makeInput())), 'golden input is stale: rerun npm run golden').toBe(golden.record.inputSha256);

      const expected = postprocess(
        goldenTensor(golden, 'regressors'),
        goldenTensor(golden, 'classificators'),
        modelAnchorTable(entry),
        { decoding: entry.decoding!, input: entry.input },
        letterboxProjection(letterbox(image, width, height).transform),
      );
      const { detections } = await detector.detect(image);
      expectDetectionsClose(detections, expected, TOLERANCE, `${id} ${name}`);
    });
  },
);
