/** Rank-N reductions: reduceMean over the listed axes (negative count from the end) or all of them. */
import type { ReduceMeanLayerParams } from '../../coreml/types.js';
import { expectInputs, layerError, normalizeAxis, onlyFields, type LayerContext } from './layer-context.js';
import { sizeOf, strides, tensor, type Tensor } from './tensor.js';

export function reduceMean(ctx: LayerContext, p: ReduceMeanLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['axes', 'keepDims', 'reduceAll']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const rank = x.shape.length;
  if (!p.reduceAll && (p.axes?.length ?? 0) === 0) throw layerError(ctx, 'axes', 'is empty and reduceAll is not set');
  const axes = p.reduceAll ? x.shape.map((_, axis) => axis) : (p.axes ?? []).map((axis) => normalizeAxis(ctx, 'axes', axis, rank));
  const kept = x.shape.map((d, axis) => (axes.includes(axis) ? 1 : d));
  const outStrides = strides(kept);
  const sums = new Float64Array(sizeOf(kept));
  const index = new Array<number>(rank).fill(0);
  for (let i = 0; i < x.data.length; i++) {
    let o = 0;
    for (let axis = 0; axis < rank; axis++) o += (axes.includes(axis) ? 0 : index[axis]!) * outStrides[axis]!;
    sums[o]! += x.data[i]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      if (++index[axis]! < x.shape[axis]!) break;
      index[axis] = 0;
    }
  }
  const count = x.data.length / sums.length;
  const shape = p.keepDims ? kept : x.shape.filter((_, axis) => !axes.includes(axis));
  // Core ML blobs have no rank 0: reducing every axis without keepDims leaves [1].
  return [
    tensor(
      shape.length === 0 ? [1] : shape,
      Float32Array.from(sums, (s) => s / count),
    ),
  ];
}
