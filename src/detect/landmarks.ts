import { InputError } from '../ir/errors.js';
import type { Projection } from './detect-faces.js';

/** One landmark in the original image; z, MediaPipe's relative depth, is not kept. */
export interface Landmark {
  /** Normalized to the original image, like a detection's keypoints. */
  readonly x: number;
  readonly y: number;
  readonly xPixels: number;
  readonly yPixels: number;
}

/**
 * A landmark model's point output (`count` points of x, y, z in pixels of the model input) as
 * MediaPipe's TensorsToLandmarksCalculator reads it (x / input width, y / input height),
 * projected to the original image.
 */
export function landmarksOf(
  values: Float32Array,
  count: number,
  input: { readonly width: number; readonly height: number },
  projection: Projection,
): Landmark[] {
  if (values.length !== count * 3) throw new InputError(`landmarks: the output holds ${values.length} values, expected ${count} points x 3`);
  return Array.from({ length: count }, (_, i) => {
    const [x, y] = projection.project(values[3 * i]! / input.width, values[3 * i + 1]! / input.height);
    return { x, y, xPixels: x * projection.width, yPixels: y * projection.height };
  });
}
