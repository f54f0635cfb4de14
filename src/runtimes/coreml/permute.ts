/** Axis permutations: the classic permute of [Seq, C, H, W] around the batch axis, and transpose. */
import type { LayerParams } from '../../coreml/types.js';
import { expectInputs, expectRank, layerError, onlyFields, type LayerContext } from './layer-context.js';
import { transposeTensor, type Tensor } from './tensor.js';

/**
 * Input [Seq, B, C, H, W]; axis permutes the four axes Seq, C, H, W (numbered 0..3) and B stays
 * at index 1, so axis [0, 3, 1, 2] gives [Seq, B, W, C, H]. Unset axis means no change.
 */
export function permute(ctx: LayerContext, p: LayerParams['permute'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['axis']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  expectRank(ctx, x, 5, 5);
  const axis = p.axis ?? [];
  if (axis.length === 0) return [x];
  checkPermutation(ctx, 'axis', axis, 4);
  // Positions of Seq, C, H, W in the rank-5 tensor.
  const rank5 = [0, 2, 3, 4];
  const [a, b, c, d] = axis.map((i) => rank5[i]!) as [number, number, number, number];
  return [transposeTensor(x, [a, 1, b, c, d])];
}

/** Output axis i is input axis axes[i]. */
export function transpose(ctx: LayerContext, p: LayerParams['transpose'], inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['axes']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const axes = p.axes ?? [];
  checkPermutation(ctx, 'axes', axes, x.shape.length);
  return [transposeTensor(x, axes)];
}

function checkPermutation(ctx: LayerContext, field: string, axes: readonly number[], rank: number): void {
  const sorted = [...axes].sort((a, b) => a - b);
  if (axes.length !== rank || !sorted.every((v, i) => v === i)) {
    throw layerError(ctx, field, `[${axes.join(', ')}] is not a permutation of 0..${rank - 1}`);
  }
}
