/**
 * The six BlazeFace keypoints, in the order the model outputs them.
 *
 * Names are from the person's perspective, not the viewer's: `right_eye` is the person's right
 * eye, so in a non-mirrored picture it appears on the LEFT side (smaller x), and
 * `right_ear_tragion` likewise lies left of `left_ear_tragion`.
 */
export const KEYPOINT_NAMES = [
  'right_eye',
  'left_eye',
  'nose_tip',
  'mouth_center',
  'right_ear_tragion',
  'left_ear_tragion',
] as const;

export type KeypointName = (typeof KEYPOINT_NAMES)[number];
