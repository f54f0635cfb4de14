import { GraphError } from './errors.js';
import type { Shape, Value } from './graph.js';
import type { Pads, StridedSliceAttrs } from './attrs.js';

export function dim(shape: Shape, axis: number): number {
  const d = shape[axis < 0 ? shape.length + axis : axis];
  if (d === undefined) throw new GraphError('shape', `axis ${axis} out of range for [${shape.join(',')}]`);
  return d;
}

export function at<T>(items: readonly T[], index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw new GraphError(what, `missing index ${index}`);
  return item;
}

/** NumPy broadcasting of two shapes. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new GraphError('broadcast', `shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Padding on one spatial axis, in input cells. */
export interface AxisPadding {
  readonly before: number;
  readonly after: number;
}

/**
 * TFLite/TensorFlow SAME padding for one axis. The output has ceil(in/stride) cells and the
 * odd leftover cell goes after, which is why stride-2 convs pad only bottom/right.
 */
export function samePadding(inSize: number, kernel: number, stride: number, dilation = 1): AxisPadding {
  const outSize = Math.ceil(inSize / stride);
  const effectiveKernel = (kernel - 1) * dilation + 1;
  const total = Math.max((outSize - 1) * stride + effectiveKernel - inSize, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before };
}

/** Output cells of a strided, dilated window slid over an explicitly padded axis. */
export function windowOutputSize(size: number, kernel: number, stride: number, dilation: number, before: number, after: number): number {
  const effective = (kernel - 1) * dilation + 1;
  return Math.floor((size + before + after - effective) / stride) + 1;
}

/** Output shape of a window op (convolution or pool) on an NHWC or NCHW input. */
export function windowOutputShape(
  x: Value,
  kernel: readonly [number, number],
  outChannels: number,
  attrs: { readonly pads: Pads; readonly strides: readonly [number, number]; readonly dilations?: readonly [number, number] },
): number[] {
  const nchw = x.layout === 'NCHW';
  const [t, l, b, r] = attrs.pads;
  const [dh, dw] = attrs.dilations ?? [1, 1];
  const h = windowOutputSize(dim(x.shape, nchw ? 2 : 1), kernel[0], attrs.strides[0], dh, t, b);
  const w = windowOutputSize(dim(x.shape, nchw ? 3 : 2), kernel[1], attrs.strides[1], dw, l, r);
  const n = dim(x.shape, 0);
  return nchw ? [n, outChannels, h, w] : [n, h, w, outChannels];
}

/** Elements a strided slice takes on each input axis (before shrunk and new axes reshape them). */
export function sliceCounts(attrs: Pick<StridedSliceAttrs, 'begin' | 'end' | 'strides'>): number[] {
  return attrs.begin.map((begin, axis) => {
    const stride = attrs.strides[axis] ?? 1;
    return Math.max(0, Math.ceil(((attrs.end[axis] ?? 0) - begin) / stride));
  });
}
