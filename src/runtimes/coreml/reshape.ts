/**
 * Layers that change the shape and, for the channel-last orders, the element order: the classic
 * rank-5 reshape and flatten, and the rank-N reshapeStatic, squeeze and expandDims.
 */
import type { FlattenLayerParams, LayerParams, ReshapeLayerParams } from '../../coreml/types.js';
import { enumField, expectInputs, expectRank, layerError, normalizeAxis, onlyFields, type LayerContext } from './layer-context.js';
import { leadingSize, sizeOf, tensor, transposeTensor, type Tensor } from './tensor.js';

/**
 * Classic reshape of [Seq, B, C, H, W]. A 3-long targetShape [C, H, W] reshapes every (Seq, B)
 * item; a 4-long one [Seq, C, H, W] also changes the sequence length (and needs B = 1).
 * CHANNEL_LAST flattens each item in H, W, C order and refills the target in that order.
 */
export function reshape(ctx: LayerContext, p: ReshapeLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['targetShape', 'mode']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  expectRank(ctx, x, 5, 5);
  const mode = enumField(ctx, 'mode', p.mode, ['CHANNEL_FIRST', 'CHANNEL_LAST'] as const);
  const target = p.targetShape ?? [];
  if ((target.length !== 3 && target.length !== 4) || !target.every((d) => Number.isInteger(d) && d > 0)) {
    throw layerError(ctx, 'targetShape', `must be 3 or 4 positive sizes, got [${target.join(', ')}]`);
  }
  const [seq, batch, c, h, w] = x.shape as [number, number, number, number, number];
  const [seqOut, chw] = target.length === 3 ? [seq, target] : [target[0]!, target.slice(1)];
  if (target.length === 4 && batch !== 1) throw layerError(ctx, 'targetShape', `a 4-long target needs batch 1, the input has ${batch}`);
  const outShape = [seqOut, batch, ...chw];
  if (sizeOf(outShape) !== x.data.length) {
    throw layerError(ctx, 'targetShape', `[${target.join(', ')}] does not hold the ${x.data.length} elements of [${x.shape.join(', ')}]`);
  }
  if (mode === 'CHANNEL_FIRST') return [tensor(outShape, x.data)];
  const items = seq * batch;
  const hwc = transposeTensor(tensor([items, c, h, w], x.data), [0, 2, 3, 1]);
  const [co, ho, wo] = chw as [number, number, number];
  const refilled = transposeTensor(tensor([seqOut * batch, ho, wo, co], hwc.data), [0, 3, 1, 2]);
  return [tensor(outShape, refilled.data)];
}

/** [..., C, H, W] -> [..., C*H*W, 1, 1], in C, H, W or (CHANNEL_LAST) H, W, C order. */
export function flatten(ctx: LayerContext, p: FlattenLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['mode']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  expectRank(ctx, x, 3);
  const mode = enumField(ctx, 'mode', p.mode, ['CHANNEL_FIRST', 'CHANNEL_LAST'] as const);
  const rank = x.shape.length;
  const [c, h, w] = x.shape.slice(rank - 3) as [number, number, number];
  const outShape = [...x.shape.slice(0, rank - 3), c * h * w, 1, 1];
  if (mode === 'CHANNEL_FIRST') return [tensor(outShape, x.data)];
  const hwc = transposeTensor(tensor([leadingSize(x.shape, 3), c, h, w], x.data), [0, 2, 3, 1]);
  return [tensor(outShape, hwc.data)];
}

/** Row-major reshape to targetShape; one entry may be -1 (inferred). */
export function reshapeStatic(ctx: LayerContext, p: LayerParams['reshapeStatic'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['targetShape']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const target = p.targetShape ?? [];
  const inferred = target.filter((d) => d === -1).length;
  if (target.length === 0 || inferred > 1 || target.some((d) => !Number.isInteger(d) || d === 0 || d < -1)) {
    throw layerError(ctx, 'targetShape', `[${target.join(', ')}] is not a shape with at most one -1`);
  }
  const known = sizeOf(target.filter((d) => d !== -1));
  const shape = target.map((d) => (d === -1 ? x.data.length / known : d));
  if (!shape.every(Number.isInteger) || sizeOf(shape) !== x.data.length) {
    throw layerError(ctx, 'targetShape', `[${target.join(', ')}] does not hold the ${x.data.length} elements of [${x.shape.join(', ')}]`);
  }
  return [tensor(shape, x.data)];
}

/** Removes size-1 axes: the listed ones, or all with squeezeAll. Rank never drops below 1. */
export function squeeze(ctx: LayerContext, p: LayerParams['squeeze'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['axes', 'squeezeAll']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const rank = x.shape.length;
  const listed = p.axes ?? [];
  if (p.squeezeAll && listed.length > 0) throw layerError(ctx, 'axes', 'is set together with squeezeAll');
  if (!p.squeezeAll && listed.length === 0) throw layerError(ctx, 'axes', 'is empty and squeezeAll is false');
  const axes = p.squeezeAll ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : listed.map((a) => normalizeAxis(ctx, 'axes', a, rank));
  for (const axis of axes) {
    if (x.shape[axis] !== 1) throw layerError(ctx, 'axes', `axis ${axis} has size ${x.shape[axis]}, not 1`);
  }
  const shape = x.shape.filter((_, i) => !axes.includes(i));
  return [tensor(shape.length > 0 ? shape : [1], x.data)];
}

/** Inserts size-1 axes; the axes index the output, so negative ones count from its end. */
export function expandDims(ctx: LayerContext, p: LayerParams['expandDims'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['axes']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const listed = p.axes ?? [];
  if (listed.length === 0) throw layerError(ctx, 'axes', 'is empty');
  const rank = x.shape.length + listed.length;
  const axes = listed.map((a) => normalizeAxis(ctx, 'axes', a, rank));
  if (new Set(axes).size !== axes.length) throw layerError(ctx, 'axes', `[${listed.join(', ')}] repeats an axis`);
  const rest = [...x.shape];
  const shape = Array.from({ length: rank }, (_, i) => (axes.includes(i) ? 1 : rest.shift()!));
  return [tensor(shape, x.data)];
}
