/**
 * The executor's values are the shared runtime tensors (shape and row-major float32 data).
 * Core ML blobs have no rank 0, so a scalar is shape [1].
 */
import { sizeOf, type Tensor } from '../tensor.js';

export { type Tensor, type BinaryOp, sizeOf, strides, broadcastShape, broadcastBinary, transposeTensor } from '../tensor.js';

/** A tensor over `data` (not copied), zero-filled when none is given. */
export function tensor(shape: readonly number[], data: Float32Array = new Float32Array(sizeOf(shape))): Tensor {
  return { shape: [...shape], data };
}

/** The product of the leading axes before the last `trailing` ones (the "batch" of a classic layer). */
export function leadingSize(shape: readonly number[], trailing: number): number {
  return sizeOf(shape.slice(0, shape.length - trailing));
}
