/** Rank-N reductions: reduceMean over the listed axes (negative count from the end) or all of them. */
import type { ReduceMeanLayerParams } from '../../coreml/types.js';
import { expectInputs, layerError, normalizeAxis, onlyFields, type LayerContext } from './layer-context.js';
import { sizeOf, tensor, type Tensor } from './tensor.js';

export function reduceMean(ctx: LayerContext, p: ReduceMeanLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['axes', 'keepDims', 'reduceAll']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const rank = x.shape.length;
  if (!p.reduceAll && (p.axes?.length ?? 0) === 0) throw layerError(ctx, 'axes', 'is empty and reduceAll is not set');
  const axes = p.reduceAll ? x.shape.map((_, axis) => axis) : (p.axes ?? []).map((axis) => normalizeAxis(ctx, 'axes', axis, rank));
  const kept = x.shape.map((d, axis) => (axes.includes(axis) ? 1 : d));
  const sums = new Float64Array(sizeOf(kept));
  // Neighbouring axes that are both reduced or both kept act as one: the elements keep their
  // order, so each sum adds its elements in the same order. The last such axis is a run read in
  // one loop, into one sum (reduced) or into consecutive sums (kept).
  const dims: number[] = [];
  const reduced: boolean[] = [];
  x.shape.forEach((d, axis) => {
    const r = axes.includes(axis);
    if (dims.length > 0 && reduced[reduced.length - 1] === r) dims[dims.length - 1]! *= d;
    else {
      dims.push(d);
      reduced.push(r);
    }
  });
  if (dims.length === 0) [dims[0], reduced[0]] = [1, false];
  const outer = dims.length - 1;
  const step = new Array<number>(outer).fill(0);
  for (let d = outer - 1, size = reduced[outer] ? 1 : dims[outer]!; d >= 0; d--) {
    if (reduced[d]) continue;
    step[d] = size;
    size *= dims[d]!;
  }
  const run = dims[outer]!;
  const data = x.data;
  const index = new Array<number>(outer).fill(0);
  for (let i = 0, o = 0; i < data.length; i += run) {
    if (reduced[outer]) {
      let s = sums[o]!;
      for (let j = 0; j < run; j++) s += data[i + j]!;
      sums[o] = s;
    } else {
      for (let j = 0; j < run; j++) sums[o + j]! += data[i + j]!;
    }
    for (let d = outer - 1; d >= 0; d--) {
      o += step[d]!;
      if (++index[d]! < dims[d]!) break;
      o -= step[d]! * dims[d]!;
      index[d] = 0;
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
