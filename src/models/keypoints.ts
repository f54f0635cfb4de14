/**
 * Keypoint names of every SSD detector family, in the order the models output them. One
 * table, so conversion metadata, decoding and annotation name keypoints the same way.
 *
 * `face` (BlazeFace): named from the person's perspective, not the viewer's: `right_eye` is the
 * person's right eye, so in a non-mirrored picture it appears on the LEFT side (smaller x), and
 * `right_ear_tragion` likewise lies left of `left_ear_tragion`.
 *
 * `palm` (BlazePalm): MediaPipe's palm graphs name keypoint 0 "center of wrist" and keypoint 2
 * "MCP of middle finger" (the rotation vector of DetectionsToRectsCalculator); the others use
 * the joint names of MediaPipe's 21 hand landmarks (HandLandmark), in the model's order.
 */
export const KEYPOINT_FAMILIES = {
  face: ['right_eye', 'left_eye', 'nose_tip', 'mouth_center', 'right_ear_tragion', 'left_ear_tragion'],
  palm: ['wrist_center', 'index_finger_mcp', 'middle_finger_mcp', 'ring_finger_mcp', 'pinky_mcp', 'thumb_cmc', 'thumb_mcp'],
} as const;

export type KeypointFamily = keyof typeof KEYPOINT_FAMILIES;

export const KEYPOINT_FAMILY_NAMES = Object.keys(KEYPOINT_FAMILIES) as KeypointFamily[];

/** The six BlazeFace keypoints. */
export const KEYPOINT_NAMES = KEYPOINT_FAMILIES.face;

export type FaceKeypointName = (typeof KEYPOINT_FAMILIES.face)[number];

/** A family's keypoint name, or `keypoint_<i>` for a detector of no known family. */
export type KeypointName = (typeof KEYPOINT_FAMILIES)[KeypointFamily][number] | `keypoint_${number}`;

export function isKeypointFamily(name: string): name is KeypointFamily {
  return Object.hasOwn(KEYPOINT_FAMILIES, name);
}

/**
 * The names of `count` keypoints: the given family's (which must have that many), else the one
 * family with that count, else `keypoint_0`, `keypoint_1`, ...
 */
export function keypointNames(count: number, family?: KeypointFamily): { readonly family?: KeypointFamily; readonly names: readonly KeypointName[] } {
  const chosen = family ?? KEYPOINT_FAMILY_NAMES.find((f) => KEYPOINT_FAMILIES[f].length === count);
  if (chosen && KEYPOINT_FAMILIES[chosen].length === count) return { family: chosen, names: KEYPOINT_FAMILIES[chosen] };
  return { names: Array.from({ length: count }, (_, i): KeypointName => `keypoint_${i}`) };
}
