/** Elementwise activations (linear, ReLU, leaky ReLU, tanh, sigmoid) and clip. */
import type { ActivationParams, LayerParams } from '../../coreml/types.js';
import { expectInputs, layerError, onlyFields, outputTensor, type LayerContext } from './layer-context.js';
import { preluActivation } from './prelu.js';
import { tensor, type Tensor } from './tensor.js';
import { clipFloats } from '../float32-ops.js';

const NONLINEARITIES = ['linear', 'ReLU', 'leakyReLU', 'tanh', 'sigmoid'] as const;

export function activation(ctx: LayerContext, p: ActivationParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, [...NONLINEARITIES, 'PReLU']);
  expectInputs(ctx, inputs, 1);
  const set = NONLINEARITIES.filter((k) => p[k] !== undefined);
  if (set.length + (p.PReLU ? 1 : 0) !== 1)
    throw layerError(ctx, 'NonlinearityType', `exactly one activation must be set, found ${set.length + (p.PReLU ? 1 : 0)}`);
  // PReLU carries per-channel parameters, so it is not an element-wise map.
  if (p.PReLU) return [preluActivation(ctx, p.PReLU, inputs[0]!)];
  const x = inputs[0]!;
  const a = x.data;
  if (set[0] === 'ReLU') {
    onlyFields(ctx, p.ReLU!, [], 'ReLU.');
    // max(x, 0) with Math.max's rules (-0 gives +0, NaN stays NaN), as a clip with no upper bound.
    return [tensor(x.shape, clipFloats(a, 0, Number.POSITIVE_INFINITY, ctx.buffers.takeForOverwrite(a.length)))];
  }
  const out = outputTensor(ctx, x.shape);
  const o = out.data;
  // One plain loop per function: the executor runs these on every activation of every model.
  switch (set[0]!) {
    case 'linear': {
      onlyFields(ctx, p.linear!, ['alpha', 'beta'], 'linear.');
      const { alpha = 0, beta = 0 } = p.linear!;
      for (let i = 0; i < o.length; i++) o[i] = alpha * a[i]! + beta;
      break;
    }
    case 'leakyReLU': {
      onlyFields(ctx, p.leakyReLU!, ['alpha'], 'leakyReLU.');
      const alpha = p.leakyReLU!.alpha ?? 0;
      for (let i = 0; i < o.length; i++) {
        const v = a[i]!;
        o[i] = v >= 0 ? v : alpha * v;
      }
      break;
    }
    case 'tanh':
      onlyFields(ctx, p.tanh!, [], 'tanh.');
      for (let i = 0; i < o.length; i++) o[i] = Math.tanh(a[i]!);
      break;
    case 'sigmoid':
      onlyFields(ctx, p.sigmoid!, [], 'sigmoid.');
      for (let i = 0; i < o.length; i++) o[i] = 1 / (1 + Math.exp(-a[i]!));
      break;
  }
  return [out];
}

/** min(max(x, minVal), maxVal) */
export function clip(ctx: LayerContext, p: LayerParams['clip'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['minVal', 'maxVal']);
  expectInputs(ctx, inputs, 1);
  const { minVal = 0, maxVal = 0 } = p;
  const x = inputs[0]!;
  const out = outputTensor(ctx, x.shape);
  clipFloats(x.data, minVal, maxVal, out.data);
  return [out];
}
