/**
 * Detections from normalized tensor coordinates back to normalized image coordinates, as
 * MediaPipe's two calculators do it after ImageToTensorCalculator (image-to-tensor.ts):
 *
 * - DetectionLetterboxRemovalCalculator (the LETTERBOX_PADDING output; the 2020 face graphs):
 *     x' = (x - left) / (1 - (left + right)),  y' = (y - top) / (1 - (top + bottom))
 *     width' = width / (1 - (left + right)),   height' = height / (1 - (top + bottom))
 *   for the box's xmin/ymin and for every keypoint.
 * - DetectionProjectionCalculator (the MATRIX output; the face_detection graphs since 2021):
 *     x' = x * m0 + y * m1 + m3,  y' = x * m4 + y * m5 + m7
 *   for every keypoint and for the box's four corners, and the box becomes the axis-aligned
 *   bounds of the four projected corners (a rotated ROI gives a larger, upright box).
 *
 * For the whole-image ROI (no rotation) both give the same result up to float32 rounding.
 * MediaPipe computes in float32; so does this file, one rounding per operation in C++ order.
 * A box is MediaPipe's RelativeBoundingBox (xmin, ymin, width, height). The step from a decoded
 * candidate to a `Detection` is detect/mediapipe-projection.ts.
 *
 * Pure TypeScript without Node imports: it runs unchanged in a browser.
 */
import { InputError } from '../ir/errors.js';
import type { LetterboxTransform } from './letterbox.js';

const f32 = Math.fround;

/** MediaPipe's LocationData::RelativeBoundingBox: normalized to the image it refers to. */
export interface RelativeBox {
  readonly xmin: number;
  readonly ymin: number;
  readonly width: number;
  readonly height: number;
}

/** The row-major 4x4 float32 matrix of ImageToTensorCalculator's MATRIX output. */
export type ProjectionMatrix = Float32Array;

/** A detection's box and keypoints (x0, y0, x1, y1, ...), normalized to the tensor or the image. */
export interface RelativeDetection {
  readonly box: RelativeBox;
  readonly keypoints: readonly number[];
}

/** DetectionLetterboxRemovalCalculator on one point. */
export function removeLetterboxFromPoint(letterbox: LetterboxTransform, x: number, y: number): [number, number] {
  const { left, top, keepX, keepY } = letterboxTerms(letterbox);
  return [f32(f32(f32(x) - left) / keepX), f32(f32(f32(y) - top) / keepY)];
}

/** DetectionLetterboxRemovalCalculator on a box and its keypoints. */
export function removeLetterbox(letterbox: LetterboxTransform, detection: RelativeDetection): RelativeDetection {
  const { left, top, keepX, keepY } = letterboxTerms(letterbox);
  const { box } = detection;
  return {
    box: {
      xmin: f32(f32(f32(box.xmin) - left) / keepX),
      ymin: f32(f32(f32(box.ymin) - top) / keepY),
      width: f32(f32(box.width) / keepX),
      height: f32(f32(box.height) / keepY),
    },
    keypoints: mapPairs(detection.keypoints, (x, y) => removeLetterboxFromPoint(letterbox, x, y)),
  };
}

/** Throws when the padding leaves no image (left + right or top + bottom reaching 1). */
export function checkLetterbox(letterbox: LetterboxTransform): void {
  letterboxTerms(letterbox);
}

function letterboxTerms(letterbox: LetterboxTransform): { left: number; top: number; keepX: number; keepY: number } {
  const left = f32(letterbox.padLeft);
  const top = f32(letterbox.padTop);
  const keepX = f32(1 - f32(left + f32(letterbox.padRight)));
  const keepY = f32(1 - f32(top + f32(letterbox.padBottom)));
  if (!(keepX > 0 && keepY > 0)) {
    throw new InputError(
      `letterbox padding [${letterbox.padLeft}, ${letterbox.padTop}, ${letterbox.padRight}, ${letterbox.padBottom}] leaves no image (left + right and top + bottom must be < 1)`,
    );
  }
  return { left, top, keepX, keepY };
}

/** DetectionProjectionCalculator's point mapping. */
export function projectPointByMatrix(matrix: ProjectionMatrix, x: number, y: number): [number, number] {
  checkMatrix(matrix);
  return projectUnchecked(matrix, f32(x), f32(y));
}

function projectUnchecked(m: ProjectionMatrix, x: number, y: number): [number, number] {
  return [f32(f32(f32(x * m[0]!) + f32(y * m[1]!)) + m[3]!), f32(f32(f32(x * m[4]!) + f32(y * m[5]!)) + m[7]!)];
}

/** DetectionProjectionCalculator on a box (four corners → upright bounds) and its keypoints. */
export function projectByMatrix(matrix: ProjectionMatrix, detection: RelativeDetection): RelativeDetection {
  checkMatrix(matrix);
  const xmin = f32(detection.box.xmin);
  const ymin = f32(detection.box.ymin);
  const xmax = f32(xmin + f32(detection.box.width));
  const ymax = f32(ymin + f32(detection.box.height));
  const corners = [
    projectUnchecked(matrix, xmin, ymin),
    projectUnchecked(matrix, xmax, ymin),
    projectUnchecked(matrix, xmax, ymax),
    projectUnchecked(matrix, xmin, ymax),
  ];
  const left = Math.min(...corners.map((p) => p[0]));
  const top = Math.min(...corners.map((p) => p[1]));
  const right = Math.max(...corners.map((p) => p[0]));
  const bottom = Math.max(...corners.map((p) => p[1]));
  return {
    box: { xmin: left, ymin: top, width: f32(right - left), height: f32(bottom - top) },
    keypoints: mapPairs(detection.keypoints, (x, y) => projectUnchecked(matrix, f32(x), f32(y))),
  };
}

function checkMatrix(matrix: ProjectionMatrix): void {
  if (matrix.length !== 16) throw new InputError(`projection matrix: expected 16 values (4x4 row-major), got ${matrix.length}`);
}

function mapPairs(values: readonly number[], map: (x: number, y: number) => [number, number]): number[] {
  if (values.length % 2 !== 0) throw new InputError(`keypoints: expected (x, y) pairs, got ${values.length} values`);
  const out: number[] = [];
  for (let i = 0; i < values.length; i += 2) out.push(...map(values[i]!, values[i + 1]!));
  return out;
}
