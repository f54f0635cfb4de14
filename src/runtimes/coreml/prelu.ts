/** The PReLU activation: x >= 0 ? x : alpha[c] * x, with c the channel axis (-3). */
import type { ActivationParams } from '../../coreml/types.js';
import { expectRank, layerError, onlyFields, outputTensor, type LayerContext } from './layer-context.js';
import type { Tensor } from './tensor.js';
import { readWeights } from './weights.js';
import { preluFloats } from '../float32-ops.js';

export function preluActivation(ctx: LayerContext, p: NonNullable<ActivationParams['PReLU']>, x: Tensor): Tensor {
  onlyFields(ctx, p, ['alpha'], 'PReLU.');
  expectRank(ctx, x, 3);
  const rank = x.shape.length;
  const channels = x.shape[rank - 3]!;
  const plane = x.shape[rank - 2]! * x.shape[rank - 1]!;
  const count = p.alpha?.floatValue?.length ?? (p.alpha?.float16Value?.length ?? 0) / 2;
  if (count !== 1 && count !== channels)
    throw layerError(ctx, 'PReLU.alpha', `holds ${count} values; the input [${x.shape.join(', ')}] needs 1 or ${channels}`);
  const alpha = readWeights(ctx, 'PReLU.alpha', p.alpha, count);
  const out = outputTensor(ctx, x.shape);
  preluFloats(x.data, plane, alpha, out.data);
  return out;
}
