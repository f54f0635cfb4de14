/**
 * The executor's values: a shape and row-major float32 data. Core ML blobs have no rank 0, so a
 * scalar is shape [1].
 */
import { permuteData, sizeOf } from '../strided.js';

export { broadcastIndex, broadcastShape, sizeOf, stridesOf } from '../strided.js';

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export function tensor(shape: readonly number[], data: Float32Array = new Float32Array(sizeOf(shape))): Tensor {
  return { shape: [...shape], data };
}

/** The product of the leading axes before the last `trailing` ones (the "batch" of a classic layer). */
export function leadingSize(shape: readonly number[], trailing: number): number {
  return sizeOf(shape.slice(0, shape.length - trailing));
}

/** Moves axes: output axis i is input axis perm[i]. */
export function permute(input: Tensor, perm: readonly number[]): Tensor {
  return permuteData(input.shape, input.data, perm);
}
