import { KernelError } from './kernel-error.js';
import { sizeOf, strides, type Tensor } from './tensor.js';

/**
 * TFLite PAD / PADV2 for any rank: `paddings[axis]` = [before, after] cells filled with
 * `value`. The input block is copied one innermost row at a time.
 */
export function pad(input: Tensor, paddings: readonly (readonly [number, number])[], value = 0): Tensor {
  const rank = input.shape.length;
  if (paddings.length !== rank) {
    throw new KernelError('PAD', `${paddings.length} paddings for a rank-${rank} tensor`);
  }
  for (const [before, after] of paddings) {
    if (!(Number.isInteger(before) && Number.isInteger(after) && before >= 0 && after >= 0)) {
      throw new KernelError('PAD', `bad paddings ${JSON.stringify(paddings)}`);
    }
  }
  const shape = input.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
  const out = new Float32Array(sizeOf(shape)).fill(value);
  if (input.data.length === 0) return { shape, data: out };
  if (rank === 0) {
    out[0] = input.data[0]!;
    return { shape, data: out };
  }
  const outStrides = strides(shape);
  const inner = input.shape[rank - 1]!;
  const rows = input.data.length / inner;
  const index = new Array<number>(rank - 1).fill(0);
  for (let row = 0; row < rows; row++) {
    let dst = paddings[rank - 1]![0];
    for (let axis = 0; axis < rank - 1; axis++) dst += (index[axis]! + paddings[axis]![0]) * outStrides[axis]!;
    out.set(input.data.subarray(row * inner, (row + 1) * inner), dst);
    for (let axis = rank - 2; axis >= 0; axis--) {
      if (++index[axis]! < input.shape[axis]!) break;
      index[axis] = 0;
    }
  }
  return { shape, data: out };
}
