import { KernelError } from './kernel-error.js';
import { sizeOf, strides, type Tensor } from './tensor.js';

export interface StridedSliceOptions {
  /** Per input axis: the first index taken, in [0, dim). */
  readonly begin: readonly number[];
  /** Per input axis: the index the walk stops at (excluded), in [-1, dim]. */
  readonly end: readonly number[];
  /** Per input axis, non-zero; negative walks backwards. */
  readonly strides: readonly number[];
  /** The output shape: the slice's counts with unit axes added or dropped. */
  readonly shape: readonly number[];
}

/** TFLite STRIDED_SLICE on resolved indices (see src/read/strided-slice.ts), in row-major order. */
export function stridedSlice(input: Tensor, options: StridedSliceOptions): Tensor {
  const rank = input.shape.length;
  if (options.begin.length !== rank || options.end.length !== rank || options.strides.length !== rank) {
    throw new KernelError('STRIDED_SLICE', `begin, end and strides need ${rank} entries`);
  }
  const counts = input.shape.map((d, axis) => {
    const [b, e, s] = [options.begin[axis]!, options.end[axis]!, options.strides[axis]!];
    if (s === 0 || b < 0 || b >= d || e < -1 || e > d) throw new KernelError('STRIDED_SLICE', `axis ${axis}: [${b}, ${e}) step ${s} does not fit ${d}`);
    return Math.max(0, Math.ceil((e - b) / s));
  });
  if (sizeOf(counts) !== sizeOf(options.shape)) {
    throw new KernelError('STRIDED_SLICE', `slice [${counts.join(',')}] does not fill output [${options.shape.join(',')}]`);
  }
  const inStrides = strides(input.shape);
  const out = new Float32Array(sizeOf(counts));
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let at = 0;
    for (let axis = 0; axis < rank; axis++) at += (options.begin[axis]! + index[axis]! * options.strides[axis]!) * inStrides[axis]!;
    out[o] = input.data[at]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++index[axis]! < counts[axis]!) break;
      index[axis] = 0;
    }
  }
  return { shape: [...options.shape], data: out };
}
