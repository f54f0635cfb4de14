import { KernelError } from './kernel-error.js';
import { axisWindows as windowsOf, outputSize, type AxisWindows } from '../../window.js';

export type { AxisWindows } from '../../window.js';

/** Stride, dilation and explicit padding shared by the sliding-window kernels. */
export interface WindowOptions {
  /** [height, width]. */
  readonly strides: readonly [number, number];
  /** [top, left, bottom, right] in input cells; the caller resolves SAME/VALID. */
  readonly pads: readonly [number, number, number, number];
}

/**
 * The windows of one axis. TFLite's reference kernels skip out-of-range taps one by one;
 * the precomputed tap ranges skip the same taps without a branch in the inner loops.
 */
export function axisWindows(kernel: string, inSize: number, taps: number, stride: number, dilation: number, before: number, after: number): AxisWindows {
  if (!(stride >= 1 && dilation >= 1 && taps >= 1 && before >= 0 && after >= 0)) {
    throw new KernelError(kernel, `bad window (taps ${taps}, stride ${stride}, dilation ${dilation}, pads ${before},${after})`);
  }
  const size = outputSize(inSize, taps, stride, dilation, { before, after });
  if (size < 1) {
    throw new KernelError(kernel, `a window of ${taps} taps does not fit an axis of ${inSize} + ${before} + ${after}`);
  }
  return windowsOf(inSize, taps, stride, dilation, before, size);
}
