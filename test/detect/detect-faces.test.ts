import { describe, expect, it } from 'vitest';
import { decodeAll } from '../../src/detect/decode-detections.js';
import { letterboxProjection, postprocess, postprocessDecoded, type Projection } from '../../src/detect/detect-faces.js';
import { KEYPOINT_NAMES } from '../../src/models/keypoints.js';
import { InputError } from '../../src/ir/errors.js';
import { ANCHORS, OPTIONS, regressors } from './fixtures.js';

// Decoded (see decode-detections.test.ts): anchor 0 box [0.25, 0.25, 0.5, 0.5] with score 0.5,
// anchor 1 box [0.5, 0.3125, 0.75, 0.4375] with score sigmoid(2); they only touch at x = 0.5.
const LOGITS = new Float32Array([0, 2]);
const SIGMOID_2 = 0.8807970779778823;
const options = { decoding: OPTIONS, input: { width: 128, height: 128 } };

/**
 * A 256x128 photo letterboxed into the 128x128 input: scale 0.5, content 128x64 with 32-pixel
 * bars above and below. x is unchanged; y' = (y - 0.25) / 0.5.
 */
const LETTERBOX = letterboxProjection({
  sourceWidth: 256,
  sourceHeight: 128,
  targetWidth: 128,
  targetHeight: 128,
  padLeft: 0,
  padTop: 0.25,
  padRight: 0,
  padBottom: 0.25,
});

describe('postprocess', () => {
  it('projects boxes and keypoints to the original image, highest score first', () => {
    const [first, second, ...rest] = postprocess(regressors(), LOGITS, ANCHORS, options, LETTERBOX);
    expect(rest).toEqual([]);

    expect(first!.score).toBeCloseTo(SIGMOID_2, 7);
    // y: (0.3125 - 0.25) / 0.5 = 0.125, (0.4375 - 0.25) / 0.5 = 0.375.
    expect(first!.box).toEqual({ xmin: 0.5, ymin: 0.125, xmax: 0.75, ymax: 0.375, width: 0.25, height: 0.25 });
    expect(first!.boxPixels).toEqual({ x: 128, y: 16, width: 64, height: 32 });
    // Keypoints at (1, 0) in the input: y' = -0.5, i.e. in the bar above the picture.
    expect(first!.keypoints[0]).toEqual({ name: 'right_eye', x: 1, y: -0.5, xPixels: 256, yPixels: -64 });

    expect(second!.score).toBe(0.5);
    expect(second!.box).toEqual({ xmin: 0.25, ymin: 0, xmax: 0.5, ymax: 0.5, width: 0.25, height: 0.5 });
    expect(second!.boxPixels).toEqual({ x: 64, y: 0, width: 64, height: 64 });
    // Keypoint 2 at (0.25 + 2/16, 0.5 + 2/16) = (0.375, 0.625); y' = 0.75.
    expect(second!.keypoints[2]).toEqual({ name: 'nose_tip', x: 0.375, y: 0.75, xPixels: 96, yPixels: 96 });
    expect(second!.keypoints.map((k) => k.name)).toEqual([...KEYPOINT_NAMES]);
  });

  it('stays in model-input coordinates without a projection', () => {
    const [, second] = postprocess(regressors(), LOGITS, ANCHORS, options);
    expect(second!.box).toMatchObject({ xmin: 0.25, ymin: 0.25, xmax: 0.5, ymax: 0.5 });
    expect(second!.boxPixels).toEqual({ x: 32, y: 32, width: 32, height: 32 });
  });

  it('keeps the box well formed under a mirroring projection', () => {
    const mirror: Projection = { project: (x, y) => [1 - x, y], width: 100, height: 100 };
    const [, second] = postprocess(regressors(), LOGITS, ANCHORS, options, mirror);
    expect(second!.box).toMatchObject({ xmin: 0.5, xmax: 0.75, width: 0.25 });
  });

  it('applies min_score_thresh from the options', () => {
    const strict = { ...options, decoding: { ...OPTIONS, min_score_thresh: 0.75 } };
    expect(postprocess(regressors(), LOGITS, ANCHORS, strict).map((d) => d.box.xmin)).toEqual([0.5]);
  });

  it('names keypoints by family, generically for an unknown count, and refuses names that do not fit the count', () => {
    const five = { ...options, decoding: { ...OPTIONS, num_keypoints: 5, num_coords: 16 } };
    expect(postprocess(regressors(), LOGITS, ANCHORS, five)[0]!.keypoints.map((k) => k.name)).toEqual([
      'keypoint_0',
      'keypoint_1',
      'keypoint_2',
      'keypoint_3',
      'keypoint_4',
    ]);
    expect(() => postprocess(regressors(), LOGITS, ANCHORS, { ...options, keypoints: ['a_point'] as never })).toThrow(InputError);
  });
});

describe('postprocessDecoded', () => {
  it('gives from decoded tensors the faces postprocess gives from the raw outputs', () => {
    const decoded = decodeAll(regressors(), LOGITS, ANCHORS, OPTIONS);
    expect(postprocessDecoded(decoded, options, LETTERBOX)).toEqual(postprocess(regressors(), LOGITS, ANCHORS, options, LETTERBOX));
    expect(postprocessDecoded(decoded, options)).toEqual(postprocess(regressors(), LOGITS, ANCHORS, options));
  });

  it('refuses decoded tensors of the wrong size, naming both sizes', () => {
    const decoded = decodeAll(regressors(), LOGITS, ANCHORS, OPTIONS);
    expect(() => postprocessDecoded({ boxes: decoded.boxes.subarray(1), scores: decoded.scores }, options)).toThrow(InputError);
    expect(() => postprocessDecoded({ boxes: decoded.boxes, scores: decoded.scores.subarray(1) }, options)).toThrow(/1 scores, expected 2 boxes x 16 and 2/);
  });
});
