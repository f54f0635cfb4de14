/**
 * Elementwise arithmetic with NumPy broadcasting: the classic add / multiply (any number of
 * inputs, or one input and the scalar alpha), the rank-N add / subtract / multiply / divide
 * broadcastables, and the classic scale and bias layers whose parameters broadcast over [C, H, W].
 * The classic layers document only a few broadcast patterns ([B,1,1,1], [B,C,1,1], [B,1,H,W]);
 * NumPy broadcasting contains all of them.
 */
import type { BiasLayerParams, LayerParams, ScaleLayerParams, WeightParams } from '../../coreml/types.js';
import { expectInputs, expectRank, layerError, onlyFields, outputTensor, type LayerContext } from './layer-context.js';
import { broadcastBinary, broadcastShape, sizeOf, tensor, type BinaryOp, type Tensor } from './tensor.js';
import { readWeights } from './weights.js';
import { arithmeticFloats, isArithmeticOp } from '../float32-ops.js';

export function add(ctx: LayerContext, p: LayerParams['add'], inputs: readonly Tensor[]): Tensor[] {
  return [classic(ctx, p, inputs, 'add')];
}

export function multiply(ctx: LayerContext, p: LayerParams['multiply'], inputs: readonly Tensor[]): Tensor[] {
  return [classic(ctx, p, inputs, 'mul')];
}

function classic(ctx: LayerContext, p: { alpha?: number }, inputs: readonly Tensor[], op: 'add' | 'mul'): Tensor {
  onlyFields(ctx, p, ['alpha']);
  expectInputs(ctx, inputs, 1, Infinity);
  // alpha is documented to apply only when there is a single input.
  if (inputs.length === 1) return withScalar(ctx, inputs[0]!, op, p.alpha ?? 0);
  let acc = inputs[0]!;
  for (let i = 1; i < inputs.length; i++) acc = broadcast(ctx, acc, inputs[i]!, op);
  return acc;
}

function withScalar(ctx: LayerContext, x: Tensor, op: 'add' | 'mul', alpha: number): Tensor {
  const out = outputTensor(ctx, x.shape);
  const a = x.data;
  const o = out.data;
  if (op === 'add') for (let i = 0; i < o.length; i++) o[i] = a[i]! + alpha;
  else for (let i = 0; i < o.length; i++) o[i] = a[i]! * alpha;
  return out;
}

function binaryLayer(op: BinaryOp) {
  return (ctx: LayerContext, p: Record<string, never>, inputs: readonly Tensor[]): Tensor[] => {
    onlyFields(ctx, p, []);
    expectInputs(ctx, inputs, 2);
    return [broadcast(ctx, inputs[0]!, inputs[1]!, op)];
  };
}

export const addBroadcastable = binaryLayer('add');
export const subtractBroadcastable = binaryLayer('sub');
export const multiplyBroadcastable = binaryLayer('mul');
export const divideBroadcastable = binaryLayer('div');

function broadcast(ctx: LayerContext, a: Tensor, b: Tensor, op: BinaryOp): Tensor {
  const shape = broadcastShape(a.shape, b.shape);
  if (!shape) throw layerError(ctx, undefined, `shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not broadcast`);
  const out = ctx.buffers.takeForOverwrite(sizeOf(shape));
  // Operands of one shape (a residual connection) need no broadcasting: one vector loop.
  const sameShape = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
  if (sameShape && isArithmeticOp(op)) return tensor(shape, arithmeticFloats(op, a.data, b.data, out));
  return tensor(shape, broadcastBinary(op, a, b, shape, out));
}

export function scale(ctx: LayerContext, p: ScaleLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['shapeScale', 'scale', 'hasBias', 'shapeBias', 'bias']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  expectRank(ctx, x, 3);
  let out = broadcastParameter(ctx, x, 'scale', p.shapeScale, p.scale, 'mul');
  if (!p.hasBias && (p.bias || p.shapeBias)) throw layerError(ctx, 'bias', 'is set while hasBias is false');
  if (p.hasBias) out = broadcastParameter(ctx, out, 'bias', p.shapeBias, p.bias, 'add');
  return [out];
}

export function bias(ctx: LayerContext, p: BiasLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['shape', 'bias']);
  expectInputs(ctx, inputs, 1);
  expectRank(ctx, inputs[0]!, 3);
  return [broadcastParameter(ctx, inputs[0]!, 'bias', p.shape, p.bias, 'add')];
}

/** Applies a parameter of shape [1], [C], [1, H, W] or [C, H, W] over the input's last three axes. */
function broadcastParameter(
  ctx: LayerContext,
  x: Tensor,
  field: string,
  shape: readonly number[] | undefined,
  weights: WeightParams | undefined,
  op: BinaryOp,
): Tensor {
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  const dims = shape ?? [];
  const asCHW = dims.length === 1 ? [dims[0]!, 1, 1] : dims.length === 3 ? [...dims] : undefined;
  const allowed = asCHW && (asCHW[0] === 1 || asCHW[0] === c) && ((asCHW[1] === 1 && asCHW[2] === 1) || (asCHW[1] === h && asCHW[2] === w));
  if (!allowed) throw layerError(ctx, field, `shape [${dims.join(', ')}] is not [1], [C], [1, H, W] or [C, H, W] for input [${x.shape.join(', ')}]`);
  const values = readWeights(ctx, field, weights, sizeOf(asCHW));
  return broadcast(ctx, x, tensor(asCHW, values), op);
}
