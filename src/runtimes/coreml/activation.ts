/** Elementwise activations (linear, ReLU, leaky ReLU, tanh, sigmoid) and clip. */
import type { ActivationParams, LayerParams } from '../../coreml/types.js';
import { expectInputs, layerError, onlyFields, type LayerContext } from './layer-context.js';
import { preluActivation } from './prelu.js';
import { tensor, type Tensor } from './tensor.js';

const NONLINEARITIES = ['linear', 'ReLU', 'leakyReLU', 'tanh', 'sigmoid'] as const;

export function activation(ctx: LayerContext, p: ActivationParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, [...NONLINEARITIES, 'PReLU']);
  expectInputs(ctx, inputs, 1);
  const set = NONLINEARITIES.filter((k) => p[k] !== undefined);
  if (set.length + (p.PReLU ? 1 : 0) !== 1) throw layerError(ctx, 'NonlinearityType', `exactly one activation must be set, found ${set.length + (p.PReLU ? 1 : 0)}`);
  // PReLU carries per-channel parameters, so it is not an element-wise map.
  if (p.PReLU) return [preluActivation(ctx, p.PReLU, inputs[0]!)];
  return [map(inputs[0]!, nonlinearity(ctx, p, set[0]!))];
}

function nonlinearity(ctx: LayerContext, p: ActivationParams, kind: (typeof NONLINEARITIES)[number]): (x: number) => number {
  switch (kind) {
    case 'linear': {
      onlyFields(ctx, p.linear!, ['alpha', 'beta'], 'linear.');
      const { alpha = 0, beta = 0 } = p.linear!;
      return (x) => alpha * x + beta;
    }
    case 'ReLU':
      onlyFields(ctx, p.ReLU!, [], 'ReLU.');
      return (x) => Math.max(0, x);
    case 'leakyReLU': {
      onlyFields(ctx, p.leakyReLU!, ['alpha'], 'leakyReLU.');
      const alpha = p.leakyReLU!.alpha ?? 0;
      return (x) => (x >= 0 ? x : alpha * x);
    }
    case 'tanh':
      onlyFields(ctx, p.tanh!, [], 'tanh.');
      return Math.tanh;
    case 'sigmoid':
      onlyFields(ctx, p.sigmoid!, [], 'sigmoid.');
      return (x) => 1 / (1 + Math.exp(-x));
  }
}

/** min(max(x, minVal), maxVal) */
export function clip(ctx: LayerContext, p: LayerParams['clip'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['minVal', 'maxVal']);
  expectInputs(ctx, inputs, 1);
  const { minVal = 0, maxVal = 0 } = p;
  return [map(inputs[0]!, (x) => Math.min(Math.max(x, minVal), maxVal))];
}

export function map(input: Tensor, f: (x: number) => number): Tensor {
  const out = tensor(input.shape);
  for (let i = 0; i < out.data.length; i++) out.data[i] = f(input.data[i]!);
  return out;
}
