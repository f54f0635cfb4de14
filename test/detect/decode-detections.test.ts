import { describe, expect, it } from 'vitest';
import { decodeAll, decodeDetections } from '../../src/detect/decode-detections.js';
import { InputError } from '../../src/ir/errors.js';
import { ANCHORS, OPTIONS, regressors } from './fixtures.js';

// sigmoid(2) and sigmoid(1) to double precision.
const SIGMOID_2 = 0.8807970779778823;
const SIGMOID_1 = 0.7310585786300049;

describe('decodeAll', () => {
  it('decodes centre, size and keypoints of every anchor (x, y, w, h order)', () => {
    const { boxes, scores } = decodeAll(regressors(), new Float32Array([0, 2]), ANCHORS, OPTIONS);
    // Anchor 0: xc = 16/128*1 + 0.25 = 0.375, yc = -8/64*1 + 0.5 = 0.375,
    // w = 64/256*1 = 0.25, h = 8/32*1 = 0.25; keypoint k = (8k/128 + 0.25, 4k/64 + 0.5).
    expect(Array.from(boxes.subarray(0, 16))).toEqual([
      0.25, 0.25, 0.5, 0.5, 0.25, 0.5, 0.3125, 0.5625, 0.375, 0.625, 0.4375, 0.6875, 0.5, 0.75, 0.5625, 0.8125,
    ]);
    // Anchor 1: xc = -32/128*0.5 + 0.75 = 0.625, yc = 32/64*0.25 + 0.25 = 0.375,
    // w = 128/256*0.5 = 0.25, h = 16/32*0.25 = 0.125; keypoints (64/128*0.5 + 0.75, -64/64*0.25 + 0.25).
    expect(Array.from(boxes.subarray(16, 20))).toEqual([0.5, 0.3125, 0.75, 0.4375]);
    for (let k = 0; k < 6; k++) expect(Array.from(boxes.subarray(20 + 2 * k, 22 + 2 * k))).toEqual([1, 0]);
    expect(scores[0]).toBe(0.5);
    expect(scores[1]).toBeCloseTo(SIGMOID_2, 7);
  });

  it('reads y, x, h, w order when reverse_output_order is false', () => {
    const { boxes } = decodeAll(regressors(), new Float32Array([0, 0]), ANCHORS, {
      ...OPTIONS,
      reverse_output_order: false,
    });
    // Anchor 0 read as y 16, x -8, h 64, w 8: xc = -8/128 + 0.25 = 0.1875, yc = 16/64 + 0.5 = 0.75,
    // w = 8/256 = 0.03125, h = 64/32 = 2. Keypoint 1 (8, 4) read as y 8, x 4: (4/128 + 0.25, 8/64 + 0.5).
    expect(Array.from(boxes.subarray(0, 4))).toEqual([0.171875, -0.25, 0.203125, 1.75]);
    expect(Array.from(boxes.subarray(6, 8))).toEqual([0.28125, 0.625]);
  });

  it('clamps logits to ±score_clipping_thresh before the sigmoid', () => {
    const { scores } = decodeAll(regressors(), new Float32Array([2, -5]), ANCHORS, {
      ...OPTIONS,
      score_clipping_thresh: 1,
    });
    expect(scores[0]).toBeCloseTo(SIGMOID_1, 7);
    expect(scores[1]).toBeCloseTo(1 - SIGMOID_1, 7);
  });

  it('passes logits through when sigmoid_score is false', () => {
    const { scores } = decodeAll(regressors(), new Float32Array([3.5, -7]), ANCHORS, {
      ...OPTIONS,
      sigmoid_score: false,
    });
    expect(Array.from(scores)).toEqual([3.5, -7]);
  });

  it('accepts the anchors as a Float32Array [N,4] with the same result', () => {
    const table = new Float32Array([0.25, 0.5, 1, 1, 0.75, 0.25, 0.5, 0.25]);
    const logits = new Float32Array([0, 2]);
    expect(decodeAll(regressors(), logits, table, OPTIONS)).toEqual(decodeAll(regressors(), logits, ANCHORS, OPTIONS));
  });

  it('rounds every step to float32', () => {
    // 1/3 is not a binary fraction: x_scale 3 makes raw_x / x_scale round in float32.
    const raw = regressors();
    raw[0] = 1;
    const { boxes } = decodeAll(raw, new Float32Array([0, 0]), ANCHORS, { ...OPTIONS, x_scale: 3 });
    const f = Math.fround;
    const xCenter = f(f(f(1 / 3) * 1) + 0.25);
    expect(boxes[0]).toBe(f(xCenter - 0.125));
  });

  it('rejects tensors whose sizes do not match the options', () => {
    expect(() => decodeAll(new Float32Array(31), new Float32Array(2), ANCHORS, OPTIONS)).toThrow(InputError);
    expect(() => decodeAll(regressors(), new Float32Array(3), ANCHORS, OPTIONS)).toThrow(/scores have 3 values/);
    expect(() => decodeAll(regressors(), new Float32Array(2), ANCHORS.slice(0, 1), OPTIONS)).toThrow(/1 anchors/);
  });
});

describe('decodeDetections', () => {
  it('keeps a score exactly at min_score_thresh and drops one just below', () => {
    // sigmoid(0) = 0.5 exactly; sigmoid(-1e-6) is 0.49999976 in float32.
    const kept = decodeDetections(regressors(), new Float32Array([0, -1e-6]), ANCHORS, OPTIONS);
    expect(kept.map((c) => c.anchorIndex)).toEqual([0]);
    expect(kept[0]).toMatchObject({ score: 0.5, xmin: 0.25, ymin: 0.25, xmax: 0.5, ymax: 0.5 });
    expect(kept[0]!.keypoints.slice(0, 4)).toEqual([0.25, 0.5, 0.3125, 0.5625]);
  });

  it('compares the threshold in float32, as MediaPipe does', () => {
    // float32(0.65) = 0.64999997…, below the double 0.65 but equal to MediaPipe's float threshold.
    const options = { ...OPTIONS, sigmoid_score: false, min_score_thresh: 0.65 };
    const kept = decodeDetections(regressors(), new Float32Array([0.65, 0.6]), ANCHORS, options);
    expect(kept.map((c) => c.anchorIndex)).toEqual([0]);
  });

  it('drops boxes with a negative width, which decodeAll still reports', () => {
    const raw = regressors();
    raw[18] = -128; // anchor 1 width: -128/256*0.5 = -0.25
    const logits = new Float32Array([5, 5]);
    expect(decodeDetections(raw, logits, ANCHORS, OPTIONS).map((c) => c.anchorIndex)).toEqual([0]);
    const { boxes } = decodeAll(raw, logits, ANCHORS, OPTIONS);
    expect([boxes[16], boxes[18]]).toEqual([0.75, 0.5]);
  });
});
