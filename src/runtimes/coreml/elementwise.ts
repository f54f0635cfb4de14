/**
 * Elementwise arithmetic with NumPy broadcasting: the classic add / multiply (any number of
 * inputs, or one input and the scalar alpha), the rank-N add / subtract / multiply / divide
 * broadcastables, and the classic scale and bias layers whose parameters broadcast over [C, H, W].
 * The classic layers document only a few broadcast patterns ([B,1,1,1], [B,C,1,1], [B,1,H,W]);
 * NumPy broadcasting contains all of them.
 */
import type { BiasLayerParams, LayerParams, ScaleLayerParams, WeightParams } from '../../coreml/types.js';
import { map } from './activation.js';
import { expectInputs, expectRank, layerError, onlyFields, type LayerContext } from './layer-context.js';
import { broadcastIndex, broadcastShape, sizeOf, tensor, type Tensor } from './tensor.js';
import { readWeights } from './weights.js';

type Binary = (a: number, b: number) => number;

const plus: Binary = (a, b) => a + b;
const times: Binary = (a, b) => a * b;

export function add(ctx: LayerContext, p: LayerParams['add'], inputs: readonly Tensor[]): Tensor[] {
  return [classic(ctx, p, inputs, plus, (x, alpha) => x + alpha)];
}

export function multiply(ctx: LayerContext, p: LayerParams['multiply'], inputs: readonly Tensor[]): Tensor[] {
  return [classic(ctx, p, inputs, times, (x, alpha) => x * alpha)];
}

function classic(ctx: LayerContext, p: { alpha?: number }, inputs: readonly Tensor[], op: Binary, withAlpha: Binary): Tensor {
  onlyFields(ctx, p, ['alpha']);
  expectInputs(ctx, inputs, 1, Infinity);
  // alpha is documented to apply only when there is a single input.
  if (inputs.length === 1) return map(inputs[0]!, (x) => withAlpha(x, p.alpha ?? 0));
  return inputs.slice(1).reduce((acc, next) => broadcast(ctx, acc, next, op), inputs[0]!);
}

function binaryLayer(op: Binary) {
  return (ctx: LayerContext, p: Record<string, never>, inputs: readonly Tensor[]): Tensor[] => {
    onlyFields(ctx, p, []);
    expectInputs(ctx, inputs, 2);
    return [broadcast(ctx, inputs[0]!, inputs[1]!, op)];
  };
}

export const addBroadcastable = binaryLayer(plus);
export const subtractBroadcastable = binaryLayer((a, b) => a - b);
export const multiplyBroadcastable = binaryLayer(times);
export const divideBroadcastable = binaryLayer((a, b) => a / b);

function broadcast(ctx: LayerContext, a: Tensor, b: Tensor, op: Binary): Tensor {
  const shape = broadcastShape([a.shape, b.shape]);
  if (!shape) throw layerError(ctx, undefined, `shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not broadcast`);
  const out = tensor(shape);
  const ia = broadcastIndex(a.shape, shape);
  const ib = broadcastIndex(b.shape, shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = op(a.data[ia[i]!]!, b.data[ib[i]!]!);
  return out;
}

export function scale(ctx: LayerContext, p: ScaleLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['shapeScale', 'scale', 'hasBias', 'shapeBias', 'bias']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  expectRank(ctx, x, 3);
  let out = broadcastParameter(ctx, x, 'scale', p.shapeScale, p.scale, times);
  if (!p.hasBias && (p.bias || p.shapeBias)) throw layerError(ctx, 'bias', 'is set while hasBias is false');
  if (p.hasBias) out = broadcastParameter(ctx, out, 'bias', p.shapeBias, p.bias, plus);
  return [out];
}

export function bias(ctx: LayerContext, p: BiasLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['shape', 'bias']);
  expectInputs(ctx, inputs, 1);
  expectRank(ctx, inputs[0]!, 3);
  return [broadcastParameter(ctx, inputs[0]!, 'bias', p.shape, p.bias, plus)];
}

/** Applies a parameter of shape [1], [C], [1, H, W] or [C, H, W] over the input's last three axes. */
function broadcastParameter(
  ctx: LayerContext,
  x: Tensor,
  field: string,
  shape: readonly number[] | undefined,
  weights: WeightParams | undefined,
  op: Binary,
): Tensor {
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  const dims = shape ?? [];
  const asCHW = dims.length === 1 ? [dims[0]!, 1, 1] : dims.length === 3 ? [...dims] : undefined;
  const allowed = asCHW && (asCHW[0] === 1 || asCHW[0] === c) && ((asCHW[1] === 1 && asCHW[2] === 1) || (asCHW[1] === h && asCHW[2] === w));
  if (!allowed) throw layerError(ctx, field, `shape [${dims.join(', ')}] is not [1], [C], [1, H, W] or [C, H, W] for input [${x.shape.join(', ')}]`);
  const values = readWeights(ctx, field, weights, sizeOf(asCHW));
  return broadcast(ctx, x, tensor(asCHW, values), op);
}
