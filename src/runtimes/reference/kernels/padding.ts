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
export function outputSize(
  inSize: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: AxisPadding,
): number {
  const effectiveKernel = (kernel - 1) * dilation + 1;
  return Math.floor((inSize + padding.before + padding.after - effectiveKernel) / stride) + 1;
}
