import type { Anchor } from '../../src/anchors/anchor.js';
import type { DecodingOptions } from '../../src/models/registry.js';

/**
 * A two-anchor table with distinct scales per axis, so that a scale or anchor field used in
 * the wrong place changes the result. Every value below is a binary fraction, exact in float32.
 */
export const OPTIONS: DecodingOptions = {
  num_boxes: 2,
  num_coords: 16,
  box_coord_offset: 0,
  keypoint_coord_offset: 4,
  num_keypoints: 6,
  num_values_per_keypoint: 2,
  x_scale: 128,
  y_scale: 64,
  w_scale: 256,
  h_scale: 32,
  sigmoid_score: true,
  score_clipping_thresh: 100,
  reverse_output_order: true,
  min_score_thresh: 0.5,
  min_suppression_threshold: 0.3,
};

export const ANCHORS: readonly Anchor[] = [
  { xCenter: 0.25, yCenter: 0.5, w: 1, h: 1 },
  { xCenter: 0.75, yCenter: 0.25, w: 0.5, h: 0.25 },
];

/**
 * Anchor 0: x 16, y -8, w 64, h 8; keypoint k at (8k, 4k).
 * Anchor 1: x -32, y 32, w 128, h 16; every keypoint at (64, -64).
 */
export function regressors(): Float32Array {
  const raw = new Float32Array(32);
  raw.set([16, -8, 64, 8], 0);
  for (let k = 0; k < 6; k++) raw.set([8 * k, 4 * k], 4 + 2 * k);
  raw.set([-32, 32, 128, 16], 16);
  for (let k = 0; k < 6; k++) raw.set([64, -64], 20 + 2 * k);
  return raw;
}
