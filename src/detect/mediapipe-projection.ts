/**
 * From a decoded candidate (normalized tensor coordinates) to a `Detection` in the image, through
 * MediaPipe's DetectionLetterboxRemovalCalculator or DetectionProjectionCalculator
 * (image/letterbox-removal.ts), with the box as MediaPipe holds it: xmin, ymin and
 * width = xmax - xmin in float32, as TensorsToDetectionsCalculator and the weighted NMS set it.
 */
import { InputError } from '../ir/errors.js';
import type { LetterboxTransform } from '../image/letterbox.js';
import {
  checkLetterbox,
  type ProjectionMatrix,
  projectByMatrix,
  type RelativeDetection,
  removeLetterbox,
  removeLetterboxFromPoint,
} from '../image/letterbox-removal.js';
import { KEYPOINT_NAMES, type KeypointName } from '../models/keypoints.js';
import type { Candidate } from './decode-detections.js';
import type { Projection } from './detect-faces.js';
import type { Detection } from './detection.js';

const f32 = Math.fround;

/** Where the tensor sits in the image: the LETTERBOX_PADDING or the MATRIX output of ImageToTensorCalculator. */
export type TensorPlacement =
  | { readonly letterbox: LetterboxTransform }
  | { readonly matrix: ProjectionMatrix; readonly width: number; readonly height: number };

/** A candidate's box as MediaPipe's RelativeBoundingBox, with its keypoints. */
export function candidateToRelative(candidate: Candidate): RelativeDetection {
  const xmin = f32(candidate.xmin);
  const ymin = f32(candidate.ymin);
  return {
    box: { xmin, ymin, width: f32(f32(candidate.xmax) - xmin), height: f32(f32(candidate.ymax) - ymin) },
    keypoints: candidate.keypoints,
  };
}

/**
 * A candidate in tensor coordinates → a detection in the image, its keypoints named `names`
 * (BlazeFace's by default). Pixel values are the normalized ones times the image size,
 * unrounded; xmax and ymax are xmin + width and ymin + height.
 */
export function toImageDetection(candidate: Candidate, placement: TensorPlacement, names: readonly KeypointName[] = KEYPOINT_NAMES): Detection {
  if (candidate.keypoints.length !== 2 * names.length) {
    throw new InputError(`detection: ${candidate.keypoints.length / 2} keypoints, ${names.length} keypoint names`);
  }
  const relative = candidateToRelative(candidate);
  const { box, keypoints } = 'letterbox' in placement ? removeLetterbox(placement.letterbox, relative) : projectByMatrix(placement.matrix, relative);
  const width = 'letterbox' in placement ? placement.letterbox.sourceWidth : placement.width;
  const height = 'letterbox' in placement ? placement.letterbox.sourceHeight : placement.height;
  return {
    score: candidate.score,
    box: { ...box, xmax: box.xmin + box.width, ymax: box.ymin + box.height },
    boxPixels: { x: box.xmin * width, y: box.ymin * height, width: box.width * width, height: box.height * height },
    keypoints: names.map((name, k) => {
      const x = keypoints[2 * k]!;
      const y = keypoints[2 * k + 1]!;
      return { name, x, y, xPixels: x * width, yPixels: y * height };
    }),
  };
}

/**
 * DetectionLetterboxRemovalCalculator's point mapping as the `Projection` that `postprocess`
 * takes. postprocess maps a box by two corners, which for this axis-aligned mapping equals
 * MediaPipe's xmin/width form up to float32 rounding.
 */
export function letterboxRemovalProjection(letterbox: LetterboxTransform): Projection {
  checkLetterbox(letterbox);
  return {
    project: (x, y) => removeLetterboxFromPoint(letterbox, x, y),
    width: letterbox.sourceWidth,
    height: letterbox.sourceHeight,
  };
}
