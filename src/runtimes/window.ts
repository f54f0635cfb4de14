/**
 * Sliding-window geometry along one axis, shared by the convolution and pooling loops of both
 * reference runtimes: padding, output size, and per output cell the taps that land inside the
 * input, precomputed so the loops need no bounds test per tap.
 */
import { samePadding, windowOutputSize, type AxisPadding } from '../ir/shape-util.js';

export { samePadding, type AxisPadding } from '../ir/shape-util.js';

/** Where a window's padding goes along one axis, and how many outputs it gives. */
export interface AxisWindow {
  readonly padBefore: number;
  readonly padAfter: number;
  readonly out: number;
}

/**
 * TensorFlow SAME along one axis for a window of effective (dilated) size `kernel`: out =
 * ceil(in / stride), total padding max(0, (out - 1) * stride + kernel - in), an odd cell going
 * after the input ('after', bottom/right heavy) or before it.
 */
export function sameWindow(inSize: number, kernel: number, stride: number, oddCell: 'after' | 'before'): AxisWindow {
  const { before, after } = samePadding(inSize, kernel, stride);
  const padBefore = oddCell === 'after' ? before : after;
  return { padBefore, padAfter: before + after - padBefore, out: Math.ceil(inSize / stride) };
}

/** Explicit padding along one axis: undefined when the window (effective size) exceeds the padded input. */
export function paddedWindow(inSize: number, kernel: number, stride: number, before: number, after: number): AxisWindow | undefined {
  if (inSize + before + after < kernel) return undefined;
  return { padBefore: before, padAfter: after, out: outputSize(inSize, kernel, stride, 1, { before, after }) };
}

/** Output cells of a strided, dilated window slid over an explicitly padded axis. */
export function outputSize(inSize: number, kernel: number, stride: number, dilation: number, padding: AxisPadding): number {
  return windowOutputSize(inSize, kernel, stride, dilation, padding.before, padding.after);
}

/** Per output cell of one axis: where tap 0 lands, and the half-open range of taps inside the input. */
export interface AxisWindows {
  readonly size: number;
  /** Input coordinate of tap 0 for each output cell (negative inside the leading padding). */
  readonly origin: Int32Array;
  readonly first: Int32Array;
  readonly end: Int32Array;
  /** The output cells [interiorStart, interiorEnd) have every tap inside the input. */
  readonly interiorStart: number;
  readonly interiorEnd: number;
}

/** The windows of `size` outputs (which the caller has checked to be at least 1). */
export function axisWindows(inSize: number, taps: number, stride: number, dilation: number, before: number, size: number): AxisWindows {
  const origin = new Int32Array(size);
  const first = new Int32Array(size);
  const end = new Int32Array(size);
  let interiorStart = size;
  let interiorEnd = size;
  for (let o = 0; o < size; o++) {
    const at = o * stride - before;
    origin[o] = at;
    // Tap f is inside when 0 <= at + f*dilation < inSize.
    first[o] = Math.max(0, Math.ceil(-at / dilation));
    end[o] = Math.min(taps, Math.ceil((inSize - at) / dilation));
    const whole = first[o] === 0 && end[o] === taps;
    if (whole && interiorStart === size) interiorStart = o;
    if (!whole && interiorStart < size && interiorEnd === size) interiorEnd = o;
  }
  return { size, origin, first, end, interiorStart, interiorEnd: Math.max(interiorStart, interiorEnd) };
}
