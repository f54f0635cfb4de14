/** Ops that move, join or pad data: reshape, transpose, concat, pad. */
import { strides, transposeTensor } from '../../tensor.js';
import { opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import { floatTensor, sizeOf } from '../tensor.js';

/** One entry may be -1 (inferred from the element count); every other entry is positive. */
export const reshape: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'shape']);
  const x = p.float('x');
  const shape = p.ints('shape');
  const known = shape.filter((d) => d !== -1);
  if (shape.length - known.length > 1 || known.some((d) => !Number.isInteger(d) || d < 1)) {
    throw opError(ctx, 'shape', `entries must be positive with at most one -1, got [${shape.join(', ')}]`);
  }
  const resolved = shape.map((d) => (d === -1 ? x.data.length / sizeOf(known) : d));
  if (sizeOf(resolved) !== x.data.length || !resolved.every(Number.isInteger)) {
    throw opError(ctx, 'shape', `[${shape.join(', ')}] does not hold the ${x.data.length} elements of x [${x.shape.join(', ')}]`);
  }
  const out = p.output(x.dtype, resolved);
  out.data.set(x.data);
  return [out];
};

/** Output axis i is input axis perm[i]; negative axes count from the end. */
export const transpose: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'perm']);
  const x = p.float('x');
  const rank = x.shape.length;
  const perm = p.ints('perm').map((a) => (a < 0 ? a + rank : a));
  if (perm.length !== rank || [...perm].sort((a, b) => a - b).some((a, i) => a !== i)) {
    throw opError(ctx, 'perm', `must be a permutation of the ${rank} axes of x, got [${perm.join(', ')}]`);
  }
  const moved = transposeTensor(x, perm);
  return [floatTensor(x.dtype, moved.shape, moved.data)];
};

export const concat: MilOpExecutor = (ctx, p) => {
  p.only(['values', 'axis', 'interleave']);
  const values = p.floats('values');
  const first = values[0]!;
  const rank = first.shape.length;
  const given = p.int('axis');
  const axis = given < 0 ? given + rank : given;
  if (axis < 0 || axis >= rank) throw opError(ctx, 'axis', `${given} is out of range for rank ${rank}`);
  if (p.bool('interleave', false)) throw opError(ctx, 'interleave', 'true is not implemented');
  values.forEach((v, i) => {
    if (v.shape.length !== rank || v.shape.some((d, a) => a !== axis && d !== first.shape[a])) {
      throw opError(ctx, `values[${i}]`, `shape [${v.shape.join(', ')}] differs from [${first.shape.join(', ')}] off axis ${axis}`);
    }
  });
  const shape = [...first.shape];
  shape[axis] = values.reduce((sum, v) => sum + v.shape[axis]!, 0);
  const out = p.output(first.dtype, shape);
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const v of values) {
      const run = v.shape[axis]! * inner;
      out.data.set(v.data.subarray(o * run, (o + 1) * run), at);
      at += run;
    }
  }
  return [out];
};

/**
 * pad = [before, after] pairs for the last N axes (N <= rank). `constant` fills with
 * constant_val, `reflect` mirrors without repeating the edge, `replicate` repeats the edge.
 */
export const pad: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'pad', 'mode', 'constant_val']);
  const x = p.float('x');
  const amounts = p.ints('pad');
  const rank = x.shape.length;
  if (amounts.length % 2 !== 0 || amounts.length > 2 * rank || amounts.some((v) => v < 0)) {
    throw opError(ctx, 'pad', `must hold non-negative before/after pairs for at most ${rank} axes, got [${amounts.join(', ')}]`);
  }
  const mode = p.string('mode', ['constant', 'reflect', 'replicate'] as const, 'constant');
  const value = p.floatScalar('constant_val', x.dtype, 0);
  const lead = rank - amounts.length / 2;
  const before = x.shape.map((_, a) => (a < lead ? 0 : amounts[2 * (a - lead)]!));
  const after = x.shape.map((_, a) => (a < lead ? 0 : amounts[2 * (a - lead) + 1]!));
  x.shape.forEach((d, a) => {
    const limit = mode === 'reflect' ? d - 1 : mode === 'replicate' ? d : Infinity;
    if (before[a]! > limit || after[a]! > limit) throw opError(ctx, 'pad', `${mode} padding of axis ${a} (size ${d}) can be at most ${limit}`);
  });
  const shape = x.shape.map((d, a) => d + before[a]! + after[a]!);
  const out = p.output(x.dtype, shape);
  if (mode === 'constant') padConstant(x.data, x.shape, before, shape, value, out.data);
  else padMirrored(x.data, x.shape, before, shape, mode, out.data);
  return [out];
};

/**
 * Constant padding: the fill value everywhere, then the input copied to its place in blocks: from
 * the innermost padded axis inwards the input is one contiguous run in both arrays (channel
 * padding copies whole images).
 */
function padConstant(x: Float32Array, inShape: readonly number[], before: readonly number[], shape: readonly number[], value: number, out: Float32Array): void {
  out.fill(value);
  const rank = shape.length;
  if (x.length === 0) return;
  if (rank === 0) {
    out[0] = x[0]!;
    return;
  }
  const outStrides = strides(shape);
  let padded = rank - 1;
  while (padded > 0 && shape[padded] === inShape[padded]) padded--;
  const block = sizeOf(inShape.slice(padded));
  const index = new Array<number>(rank).fill(0);
  for (let from = 0; from < x.length; from += block) {
    let to = 0;
    for (let a = 0; a < rank; a++) to += (index[a]! + before[a]!) * outStrides[a]!;
    out.set(x.subarray(from, from + block), to);
    for (let a = padded - 1; a >= 0; a--) {
      if (++index[a]! < inShape[a]!) break;
      index[a] = 0;
    }
  }
}

/** Reflect and replicate padding, element by element: each output reads the input index its position maps to. */
function padMirrored(
  x: Float32Array,
  inShape: readonly number[],
  before: readonly number[],
  shape: readonly number[],
  mode: 'reflect' | 'replicate',
  out: Float32Array,
): void {
  const rank = shape.length;
  const inStrides = strides(inShape);
  const index = new Array<number>(rank).fill(0);
  for (let n = 0; n < out.length; n++) {
    let source = 0;
    for (let a = 0; a < rank; a++) source += sourceIndex(index[a]! - before[a]!, inShape[a]!, mode) * inStrides[a]!;
    out[n] = x[source]!;
    for (let a = rank - 1; a >= 0; a--) {
      index[a]!++;
      if (index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
}

/** The input index an output index maps to along one axis. */
function sourceIndex(i: number, size: number, mode: 'reflect' | 'replicate'): number {
  if (i >= 0 && i < size) return i;
  if (mode === 'replicate') return i < 0 ? 0 : size - 1;
  return i < 0 ? -i : 2 * (size - 1) - i;
}
