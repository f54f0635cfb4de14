/**
 * The padding layer (constant, reflection or replication on the last two axes [H, W]) and
 * constantPad (a constant on any axis, before and after).
 */
import type { ConstantPaddingLayerParams, PaddingLayerParams } from '../../coreml/types.js';
import { expectInputs, expectRank, layerError, onlyFields, outputTensor, type LayerContext } from './layer-context.js';
import { sizeOf, strides, type Tensor } from './tensor.js';
import { borderAmounts } from './window.js';

/** Where output index i (in padded coordinates, already shifted by the leading pad) reads from. */
type SourceIndex = (i: number, size: number) => number;

const constantSource: SourceIndex = (i, size) => (i < 0 || i >= size ? -1 : i);
const reflectSource: SourceIndex = (i, size) => (i < 0 ? -i : i >= size ? 2 * (size - 1) - i : i);
const replicateSource: SourceIndex = (i, size) => Math.min(Math.max(i, 0), size - 1);

export function padding(ctx: LayerContext, p: PaddingLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['constant', 'reflection', 'replication', 'paddingAmounts']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  expectRank(ctx, x, 3);
  const set = (['constant', 'reflection', 'replication'] as const).filter((k) => p[k] !== undefined);
  if (set.length !== 1) throw layerError(ctx, 'constant/reflection/replication', `exactly one padding type must be set, found ${set.length}`);
  const kind = set[0]!;
  if (p.constant) onlyFields(ctx, p.constant, ['value'], 'constant.');
  const [[top, bottom], [left, right]] = borderAmounts(ctx, 'paddingAmounts', p.paddingAmounts);
  const rank = x.shape.length;
  const [h, w] = x.shape.slice(rank - 2) as [number, number];
  if (kind === 'reflection' && (Math.max(top, bottom) >= h || Math.max(left, right) >= w)) {
    throw layerError(ctx, 'paddingAmounts', `reflection needs amounts smaller than the input [${h}, ${w}]`);
  }
  const source = kind === 'constant' ? constantSource : kind === 'reflection' ? reflectSource : replicateSource;
  const value = p.constant?.value ?? 0;
  const oh = h + top + bottom;
  const ow = w + left + right;
  const out = outputTensor(ctx, [...x.shape.slice(0, rank - 2), oh, ow]);
  const rows = Array.from({ length: oh }, (_, y) => source(y - top, h));
  const cols = Array.from({ length: ow }, (_, c) => source(c - left, w));
  const planes = sizeOf(x.shape.slice(0, rank - 2));
  for (let plane = 0; plane < planes; plane++) {
    for (let y = 0; y < oh; y++) {
      for (let c = 0; c < ow; c++) {
        const sy = rows[y]!;
        const sx = cols[c]!;
        out.data[(plane * oh + y) * ow + c] = sy < 0 || sx < 0 ? value : x.data[(plane * h + sy) * w + sx]!;
      }
    }
  }
  return [out];
}

/**
 * padAmounts holds (before, after) per input axis. With padToGivenOutputSizeMode a non-zero
 * amount is the wanted size of that axis instead, reached by padding on that side.
 */
export function constantPad(ctx: LayerContext, p: ConstantPaddingLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['value', 'padAmounts', 'padToGivenOutputSizeMode']);
  // A second input would carry the amounts at run time; only static amounts are run.
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const rank = x.shape.length;
  const amounts = p.padAmounts ?? [];
  if (amounts.length !== 2 * rank) throw layerError(ctx, 'padAmounts', `needs ${2 * rank} values for rank ${rank}, got ${amounts.length}`);
  const before: number[] = [];
  const after: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const [a, b] = [amounts[2 * axis]!, amounts[2 * axis + 1]!];
    if (!p.padToGivenOutputSizeMode) {
      before.push(a);
      after.push(b);
      continue;
    }
    if (a > 0 && b > 0) throw layerError(ctx, 'padAmounts', `axis ${axis} sets both sides in padToGivenOutputSizeMode`);
    const dim = x.shape[axis]!;
    before.push(a > 0 ? Math.max(a - dim, 0) : 0);
    after.push(b > 0 ? Math.max(b - dim, 0) : 0);
  }
  const outShape = x.shape.map((d, axis) => d + before[axis]! + after[axis]!);
  const out = outputTensor(ctx, outShape);
  out.data.fill(p.value ?? 0);
  const outStrides = strides(outShape);
  const offset = before.reduce((sum, b, axis) => sum + b * outStrides[axis]!, 0);
  // Copy the input in runs that stay contiguous in the output: everything from the innermost
  // padded axis inwards (a whole input when only its channels are padded, a row when its width is).
  let inner = rank - 1;
  while (inner > 0 && before[inner] === 0 && after[inner] === 0) inner--;
  const runLength = sizeOf(x.shape.slice(inner));
  const counter = new Array<number>(inner).fill(0);
  const [src, dst] = [x.data, out.data];
  for (let run = 0; run * runLength < src.length; run++) {
    let at = offset;
    for (let axis = 0; axis < inner; axis++) at += counter[axis]! * outStrides[axis]!;
    const from = run * runLength;
    if (runLength >= 64) dst.set(src.subarray(from, from + runLength), at);
    else for (let i = 0; i < runLength; i++) dst[at + i] = src[from + i]!;
    for (let axis = inner - 1; axis >= 0; axis--) {
      if (++counter[axis]! < x.shape[axis]!) break;
      counter[axis] = 0;
    }
  }
  return [out];
}
