/** Slicing: the classic slice along C, H or W, and sliceStatic with Python slice semantics. */
import type { SliceLayerParams, SliceStaticLayerParams } from '../../coreml/types.js';
import { enumField, expectInputs, expectRank, layerError, onlyFields, type LayerContext } from './layer-context.js';
import { sizeOf, strides, tensor, type Tensor } from './tensor.js';

/** One axis of a slice: the first index, the step and the count of taken elements. */
interface AxisRange {
  readonly start: number;
  readonly step: number;
  readonly count: number;
}

/** [startIndex, endIndex) with a positive stride along axis -3, -2 or -1; negative indices count from the end. */
export function slice(ctx: LayerContext, p: SliceLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['startIndex', 'endIndex', 'stride', 'axis']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const which = enumField(ctx, 'axis', p.axis, ['CHANNEL_AXIS', 'HEIGHT_AXIS', 'WIDTH_AXIS'] as const);
  const fromEnd = which === 'CHANNEL_AXIS' ? 3 : which === 'HEIGHT_AXIS' ? 2 : 1;
  expectRank(ctx, x, fromEnd);
  const axis = x.shape.length - fromEnd;
  const n = x.shape[axis]!;
  const stride = p.stride ?? 0;
  if (stride <= 0) throw layerError(ctx, 'stride', `must be positive, got ${stride}`);
  const start = resolveIndex(p.startIndex ?? 0, n);
  const end = resolveIndex(p.endIndex ?? 0, n);
  if (start < 0 || start > n || end < 0 || end > n) {
    throw layerError(ctx, 'startIndex/endIndex', `[${p.startIndex ?? 0}, ${p.endIndex ?? 0}) is outside an axis of size ${n}`);
  }
  const count = Math.max(0, Math.ceil((end - start) / stride));
  const ranges = x.shape.map((d, i): AxisRange => (i === axis ? { start, step: stride, count } : { start: 0, step: 1, count: d }));
  return [gather(x, ranges)];
}

/**
 * x[b0:e0:s0, b1:e1:s1, ...] as in Python: a begin (end) mask means the slice runs from the start
 * (to the end) whatever the step's sign, and out-of-range indices are clamped.
 */
export function sliceStatic(ctx: LayerContext, p: SliceStaticLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['beginIds', 'beginMasks', 'endIds', 'endMasks', 'strides', 'squeezeMasks']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const rank = x.shape.length;
  const lists = { beginIds: p.beginIds, beginMasks: p.beginMasks, endIds: p.endIds, endMasks: p.endMasks, strides: p.strides };
  for (const [field, list] of Object.entries(lists)) {
    if ((list?.length ?? 0) !== rank) throw layerError(ctx, field, `needs ${rank} entries (the input rank), got ${list?.length ?? 0}`);
  }
  if (p.squeezeMasks?.some(Boolean)) throw layerError(ctx, 'squeezeMasks', 'squeezing slices is not implemented');
  const ranges = x.shape.map((n, i): AxisRange => {
    const step = p.strides![i]!;
    if (step === 0) throw layerError(ctx, 'strides', `axis ${i} has step 0`);
    const [low, high] = step > 0 ? [0, n] : [-1, n - 1];
    const clamp = (v: number) => Math.min(Math.max(v, low), high);
    const start = p.beginMasks![i] ? (step > 0 ? 0 : n - 1) : clamp(resolveIndex(p.beginIds![i]!, n));
    const end = p.endMasks![i] ? (step > 0 ? n : -1) : clamp(resolveIndex(p.endIds![i]!, n));
    return { start, step, count: Math.max(0, Math.ceil((end - start) / step)) };
  });
  return [gather(x, ranges)];
}

function resolveIndex(index: number, size: number): number {
  return index < 0 ? index + size : index;
}

function gather(x: Tensor, ranges: readonly AxisRange[]): Tensor {
  const outShape = ranges.map((r) => r.count);
  const out = tensor(outShape);
  if (out.data.length === 0) return out;
  const steps = strides(x.shape);
  const counter = new Array<number>(outShape.length).fill(0);
  for (let n = 0; n < sizeOf(outShape); n++) {
    let at = 0;
    for (let axis = 0; axis < ranges.length; axis++) at += (ranges[axis]!.start + counter[axis]! * ranges[axis]!.step) * steps[axis]!;
    out.data[n] = x.data[at]!;
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      if (++counter[axis]! < outShape[axis]!) break;
      counter[axis] = 0;
    }
  }
  return out;
}
