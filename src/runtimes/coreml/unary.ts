/** The unary function layer: f(scale * x + shift) for one of eight functions. */
import type { UnaryFunctionLayerParams } from '../../coreml/types.js';
import { map } from './activation.js';
import { enumField, expectInputs, onlyFields, type LayerContext } from './layer-context.js';
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
  const f: Record<(typeof OPERATIONS)[number], (x: number) => number> = {
    SQRT: Math.sqrt,
    RSQRT: (x) => 1 / Math.sqrt(x + epsilon),
    INVERSE: (x) => 1 / (x + epsilon),
    POWER: (x) => x ** alpha,
    EXP: Math.exp,
    LOG: Math.log,
    ABS: Math.abs,
    THRESHOLD: (x) => Math.max(alpha, x),
  };
  const fn = f[op];
  return [map(inputs[0]!, (x) => fn(scale * x + shift))];
}
