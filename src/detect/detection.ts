import type { KeypointName } from '../models/keypoints.js';

export interface Keypoint {
  readonly name: KeypointName;
  /** Normalized to the original image: 0 is the left edge, 1 the right edge. */
  readonly x: number;
  /** Normalized to the original image: 0 is the top edge, 1 the bottom edge. */
  readonly y: number;
  /** `x` times the original width: unrounded, so sub-pixel precision is kept. */
  readonly xPixels: number;
  readonly yPixels: number;
}

/**
 * One face in the original image.
 *
 * Coordinates are normalized to the original image ([0, 1] inside it). They are not clamped: a
 * face cut by the image edge can have a box that reaches slightly past 0 or 1, as in MediaPipe.
 * Pixel values are the normalized ones times the image size, unrounded.
 *
 * `keypoints` is an array in the model's keypoint order (models/keypoints.ts) (index i is the model's keypoint i), each
 * entry carrying its name: the order matches the model's output and the array serializes and
 * iterates naturally; look one up with `keypoints.find((k) => k.name === 'nose_tip')`.
 */
export interface Detection {
  /** Probability in [0, 1]: the best anchor's score, or the cluster mean (see NmsAlgorithm). */
  readonly score: number;
  readonly box: {
    readonly xmin: number;
    readonly ymin: number;
    readonly xmax: number;
    readonly ymax: number;
    readonly width: number;
    readonly height: number;
  };
  readonly boxPixels: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  readonly keypoints: readonly Keypoint[];
}
