import { KernelError } from './kernel-error.js';
import { sizeOf, strides, type Tensor } from './tensor.js';

/**
 * TFLite MEAN over `axes` (non-negative, any order): each output is the sum of its inputs in
 * row-major order divided by their count. The reduced axes stay as 1s with `keepDims`, else
 * they are dropped.
 */
export function mean(input: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  const rank = input.shape.length;
  if (axes.some((a) => !Number.isInteger(a) || a < 0 || a >= rank)) {
    throw new KernelError('MEAN', `axes [${axes.join(',')}] out of range for rank ${rank}`);
  }
  const reduced = input.shape.map((_, axis) => axes.includes(axis));
  const kept = input.shape.map((d, axis) => (reduced[axis] ? 1 : d));
  const outStrides = strides(kept);
  const count = sizeOf(input.shape.filter((_, axis) => reduced[axis]));
  const sums = new Float64Array(sizeOf(kept));
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < input.data.length; i++) {
    let o = 0;
    for (let axis = 0; axis < rank; axis++) if (!reduced[axis]) o += index[axis]! * outStrides[axis]!;
    sums[o]! += input.data[i]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++index[axis]! < input.shape[axis]!) break;
      index[axis] = 0;
    }
  }
  const data = Float32Array.from(sums, (s) => s / count);
  return { shape: keepDims ? kept : input.shape.filter((_, axis) => !reduced[axis]), data };
}
