/** The unary function layer: f(scale * x + shift) for one of eight functions. */
import type { UnaryFunctionLayerParams } from '../../coreml/types.js';
import { enumField, expectInputs, onlyFields, outputTensor, type LayerContext } from './layer-context.js';
import type { Tensor } from './tensor.js';

const OPERATIONS = ['SQRT', 'RSQRT', 'INVERSE', 'POWER', 'EXP', 'LOG', 'ABS', 'THRESHOLD'] as const;

export function unary(ctx: LayerContext, p: UnaryFunctionLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['type', 'alpha', 'epsilon', 'shift', 'scale']);
  expectInputs(ctx, inputs, 1);
  const op = enumField(ctx, 'type', p.type, OPERATIONS);
  // scale and epsilon fall back to their documented defaults when unset or zero.
  const scale = p.scale || 1;
  const epsilon = p.epsilon || 1e-6;
  const shift = p.shift ?? 0;
  const alpha = p.alpha ?? 0;
  const x = inputs[0]!;
  const out = outputTensor(ctx, x.shape);
  const a = x.data;
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = apply(op, scale * a[i]! + shift, alpha, epsilon);
  return [out];
}

function apply(op: (typeof OPERATIONS)[number], x: number, alpha: number, epsilon: number): number {
  switch (op) {
    case 'SQRT':
      return Math.sqrt(x);
    case 'RSQRT':
      return 1 / Math.sqrt(x + epsilon);
    case 'INVERSE':
      return 1 / (x + epsilon);
    case 'POWER':
      return x ** alpha;
    case 'EXP':
      return Math.exp(x);
    case 'LOG':
      return Math.log(x);
    case 'ABS':
      return Math.abs(x);
    case 'THRESHOLD':
      return Math.max(alpha, x);
  }
}
