import { KernelError } from './kernel-error.js';
import { outputSize } from './padding.js';

/** Stride, dilation and explicit padding shared by the sliding-window kernels. */
export interface WindowOptions {
  /** [height, width]. */
  readonly strides: readonly [number, number];
  /** [top, left, bottom, right] in input cells; the caller resolves SAME/VALID. */
  readonly pads: readonly [number, number, number, number];
}

/**
 * For one axis: the output size and, per output cell, the half-open range of filter taps
 * that land inside the input. TFLite's reference kernels skip out-of-range taps one by one;
 * precomputing the range skips the same taps without a branch in the inner loops.
 */
export interface AxisWindows {
  readonly size: number;
  /** Input coordinate of tap 0 for each output cell (may be negative). */
  readonly origin: Int32Array;
  readonly first: Int32Array;
  readonly end: Int32Array;
}

export function axisWindows(
  kernel: string,
  inSize: number,
  taps: number,
  stride: number,
  dilation: number,
  before: number,
  after: number,
): AxisWindows {
  if (!(stride >= 1 && dilation >= 1 && taps >= 1 && before >= 0 && after >= 0)) {
    throw new KernelError(
      kernel,
      `bad window (taps ${taps}, stride ${stride}, dilation ${dilation}, pads ${before},${after})`,
    );
  }
  const size = outputSize(inSize, taps, stride, dilation, { before, after });
  if (size < 1) {
    throw new KernelError(kernel, `a window of ${taps} taps does not fit an axis of ${inSize} + ${before} + ${after}`);
  }
  const origin = new Int32Array(size);
  const first = new Int32Array(size);
  const end = new Int32Array(size);
  for (let o = 0; o < size; o++) {
    const at = o * stride - before;
    origin[o] = at;
    // Tap f is inside when 0 <= at + f*dilation < inSize.
    first[o] = Math.max(0, Math.ceil(-at / dilation));
    end[o] = Math.min(taps, Math.ceil((inSize - at) / dilation));
  }
  return { size, origin, first, end };
}
