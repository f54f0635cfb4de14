/**
 * Constants held in the layer: loadConstant ([C, H, W] -> [1, 1, C, H, W]) and loadConstantND. The
 * blob gets a copy of the read weights, since a blob's buffer goes back to the run's pool.
 */
import type { LoadConstantLayerParams } from '../../coreml/types.js';
import { expectInputs, layerError, onlyFields, type LayerContext } from './layer-context.js';
import { sizeOf, tensor, type Tensor } from './tensor.js';
import { readWeights } from './weights.js';

export function loadConstant(ctx: LayerContext, p: LoadConstantLayerParams, inputs: readonly Tensor[]): Tensor[] {
  const shape = constantShape(ctx, p, inputs);
  if (shape.length !== 3) throw layerError(ctx, 'shape', `must be [C, H, W], got [${shape.join(', ')}]`);
  return [tensor([1, 1, ...shape], readWeights(ctx, 'data', p.data, sizeOf(shape)).slice())];
}

export function loadConstantND(ctx: LayerContext, p: LoadConstantLayerParams, inputs: readonly Tensor[]): Tensor[] {
  const shape = constantShape(ctx, p, inputs);
  return [tensor(shape, readWeights(ctx, 'data', p.data, sizeOf(shape)).slice())];
}

function constantShape(ctx: LayerContext, p: LoadConstantLayerParams, inputs: readonly Tensor[]): number[] {
  onlyFields(ctx, p, ['shape', 'data']);
  expectInputs(ctx, inputs, 0);
  const shape = p.shape ?? [];
  if (shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) throw layerError(ctx, 'shape', `[${shape.join(', ')}] is not a shape`);
  return shape;
}
