/** Joining and splitting along an axis: concat (axis -3 or -5), concatND, stack, splitND. */
import type { LayerParams, SplitNDLayerParams } from '../../coreml/types.js';
import { expectInputs, expectRank, layerError, normalizeAxis, onlyFields, outputTensor, type LayerContext } from './layer-context.js';
import { sizeOf, tensor, type Tensor } from './tensor.js';

export function concat(ctx: LayerContext, p: LayerParams['concat'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['sequenceConcat']);
  expectInputs(ctx, inputs, 2, Infinity);
  const minRank = p.sequenceConcat ? 5 : 3;
  inputs.forEach((x) => expectRank(ctx, x, minRank));
  return [concatAlong(ctx, inputs, inputs[0]!.shape.length - minRank)];
}

export function concatND(ctx: LayerContext, p: LayerParams['concatND'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['axis']);
  expectInputs(ctx, inputs, 2, Infinity);
  return [concatAlong(ctx, inputs, normalizeAxis(ctx, 'axis', p.axis ?? 0, inputs[0]!.shape.length))];
}

/** Inputs of one shape, stacked along a new output axis (negative axes count from the output's end). */
export function stack(ctx: LayerContext, p: LayerParams['stack'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['axis']);
  expectInputs(ctx, inputs, 2, Infinity);
  const shape = inputs[0]!.shape;
  const axis = normalizeAxis(ctx, 'axis', p.axis ?? 0, shape.length + 1);
  const withAxis = [...shape.slice(0, axis), 1, ...shape.slice(axis)];
  for (const x of inputs) {
    if (x.shape.length !== shape.length || x.shape.some((d, i) => d !== shape[i])) {
      throw layerError(ctx, undefined, `stack needs equal shapes, got [${shape.join(', ')}] and [${x.shape.join(', ')}]`);
    }
  }
  return [
    concatAlong(
      ctx,
      inputs.map((x) => tensor(withAxis, x.data)),
      axis,
    ),
  ];
}

function concatAlong(ctx: LayerContext, inputs: readonly Tensor[], axis: number): Tensor {
  const first = inputs[0]!.shape;
  for (const x of inputs) {
    const fits = x.shape.length === first.length && x.shape.every((d, i) => i === axis || d === first[i]);
    if (!fits) throw layerError(ctx, undefined, `inputs [${first.join(', ')}] and [${x.shape.join(', ')}] differ off axis ${axis}`);
  }
  const outer = sizeOf(first.slice(0, axis));
  const inner = sizeOf(first.slice(axis + 1));
  const outShape = [...first];
  outShape[axis] = inputs.reduce((sum, x) => sum + x.shape[axis]!, 0);
  const out = outputTensor(ctx, outShape);
  const outRow = outShape[axis]! * inner;
  let offset = 0;
  for (const x of inputs) {
    const row = x.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) out.data.set(x.data.subarray(o * row, (o + 1) * row), o * outRow + offset);
    offset += row;
  }
  return out;
}

/** Splits into splitSizes pieces, or numSplits equal ones. */
export function splitND(ctx: LayerContext, p: SplitNDLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['axis', 'numSplits', 'splitSizes']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const axis = normalizeAxis(ctx, 'axis', p.axis ?? 0, x.shape.length);
  const dim = x.shape[axis]!;
  let sizes = p.splitSizes ?? [];
  if (sizes.length === 0) {
    const n = p.numSplits ?? 0;
    if (n <= 0 || dim % n !== 0) throw layerError(ctx, 'numSplits', `${n} does not divide axis size ${dim}`);
    sizes = new Array<number>(n).fill(dim / n);
  }
  if (sizes.reduce((a, b) => a + b, 0) !== dim) throw layerError(ctx, 'splitSizes', `[${sizes.join(', ')}] does not sum to axis size ${dim}`);
  if (sizes.length !== ctx.outputCount) throw layerError(ctx, 'splitSizes', `makes ${sizes.length} pieces, the layer lists ${ctx.outputCount} outputs`);
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  let start = 0;
  return sizes.map((size) => {
    const shape = [...x.shape];
    shape[axis] = size;
    const out = outputTensor(ctx, shape);
    for (let o = 0; o < outer; o++) {
      const from = (o * dim + start) * inner;
      out.data.set(x.data.subarray(from, from + size * inner), o * size * inner);
    }
    start += size;
    return out;
  });
}
