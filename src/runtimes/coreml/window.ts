/**
 * Output size and padding of a sliding window (convolution, pooling) along H and W, for the
 * ValidPadding (explicit amounts, then "valid") and SamePadding (TensorFlow SAME with a chosen
 * heavy side) options.
 */
import type { BorderAmounts, SamePadding, ValidPadding } from '../../coreml/types.js';
import { enumField, layerError, onlyFields, type LayerContext } from './layer-context.js';
import { paddedWindow, sameWindow, type AxisWindow } from '../window.js';

export type { AxisWindow } from '../window.js';

/** Explicit [H, W] start/end amounts; an empty list means no padding. */
export function borderAmounts(ctx: LayerContext, field: string, amounts: BorderAmounts | undefined): [[number, number], [number, number]] {
  const edges = amounts?.borderAmounts ?? [];
  if (edges.length === 0)
    return [
      [0, 0],
      [0, 0],
    ];
  if (edges.length !== 2) throw layerError(ctx, field, `must list [H, W] edges, got ${edges.length}`);
  return [edge(edges[0]!), edge(edges[1]!)];
}

function edge(e: { startEdgeSize?: number; endEdgeSize?: number }): [number, number] {
  return [e.startEdgeSize ?? 0, e.endEdgeSize ?? 0];
}

/**
 * Windows along H and W. `kernel` is the effective (dilated) size. valid: out = floor((in +
 * before + after - k) / stride) + 1. same: out = ceil(in / stride), total padding
 * max(0, (out - 1) * stride + k - in), the odd pixel at the bottom/right (BOTTOM_RIGHT_HEAVY) or
 * top/left (TOP_LEFT_HEAVY).
 */
export function slidingWindows(
  ctx: LayerContext,
  padding: { valid?: ValidPadding; same?: SamePadding },
  input: readonly [number, number],
  kernel: readonly [number, number],
  stride: readonly [number, number],
): [AxisWindow, AxisWindow] {
  if (padding.valid && padding.same) throw layerError(ctx, 'valid/same', 'both padding types are set');
  if (padding.same) {
    onlyFields(ctx, padding.same, ['asymmetryMode'], 'same.');
    const mode = enumField(ctx, 'same.asymmetryMode', padding.same.asymmetryMode, ['BOTTOM_RIGHT_HEAVY', 'TOP_LEFT_HEAVY'] as const);
    return [0, 1].map((axis) => sameWindow(input[axis]!, kernel[axis]!, stride[axis]!, mode === 'BOTTOM_RIGHT_HEAVY' ? 'after' : 'before')) as [
      AxisWindow,
      AxisWindow,
    ];
  }
  if (!padding.valid) throw layerError(ctx, 'valid/same', 'no padding type is set');
  onlyFields(ctx, padding.valid, ['paddingAmounts'], 'valid.');
  const pads = borderAmounts(ctx, 'valid.paddingAmounts', padding.valid.paddingAmounts);
  return [0, 1].map((axis) => {
    const [before, after] = pads[axis]!;
    const window = paddedWindow(input[axis]!, kernel[axis]!, stride[axis]!, before, after);
    if (!window) throw layerError(ctx, 'kernelSize', `window ${kernel[axis]} exceeds the padded input ${input[axis]! + before + after}`);
    return window;
  }) as [AxisWindow, AxisWindow];
}
