/** Softmax along axis -3 (the classic layer) or along any axis (softmaxND). */
import type { LayerParams } from '../../coreml/types.js';
import { expectInputs, expectRank, normalizeAxis, onlyFields, type LayerContext } from './layer-context.js';
import { sizeOf, tensor, type Tensor } from './tensor.js';

export function softmax(ctx: LayerContext, p: LayerParams['softmax'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, []);
  expectInputs(ctx, inputs, 1);
  expectRank(ctx, inputs[0]!, 3);
  return [softmaxAlong(inputs[0]!, inputs[0]!.shape.length - 3)];
}

export function softmaxND(ctx: LayerContext, p: LayerParams['softmaxND'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['axis']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  return [softmaxAlong(x, normalizeAxis(ctx, 'axis', p.axis ?? 0, x.shape.length))];
}

function softmaxAlong(x: Tensor, axis: number): Tensor {
  const n = x.shape[axis]!;
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outer = sizeOf(x.shape.slice(0, axis));
  const out = tensor(x.shape);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let max = -Infinity;
      for (let k = 0; k < n; k++) max = Math.max(max, x.data[base + k * inner]!);
      let sum = 0;
      for (let k = 0; k < n; k++) sum += Math.exp(x.data[base + k * inner]! - max);
      for (let k = 0; k < n; k++) out.data[base + k * inner] = Math.exp(x.data[base + k * inner]! - max) / sum;
    }
  }
  return out;
}
