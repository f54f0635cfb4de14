/** reduce_mean and slice_by_index, the ops the MediaPipe landmark and palm models add. */
import { strides } from '../../tensor.js';
import { opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import { floatTensor, sizeOf } from '../tensor.js';

/** Mean over `axes` (negative count from the end), kept as 1s with keep_dims; sums in float64. */
export const reduceMean: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'axes', 'keep_dims']);
  const x = p.float('x');
  const rank = x.shape.length;
  const axes = p.ints('axes').map((a) => (a < 0 ? a + rank : a));
  if (axes.length === 0 || axes.some((a) => !Number.isInteger(a) || a < 0 || a >= rank))
    throw opError(ctx, 'axes', `must name axes of the rank ${rank} input, got [${p.ints('axes').join(', ')}]`);
  const keepDims = p.bool('keep_dims', false);
  const kept = x.shape.map((d, a) => (axes.includes(a) ? 1 : d));
  // Where each input axis moves the sum being added to: not at all along a reduced axis.
  const outStrides = strides(kept).map((s, a) => (axes.includes(a) ? 0 : s));
  const sums = new Float64Array(sizeOf(kept));
  const trailing = axes.every((a) => a >= rank - axes.length) && new Set(axes).size === axes.length;
  if (trailing) {
    // Each mean is over one contiguous block (a global pool over H and W): the same additions in the same order.
    const block = x.data.length / sums.length;
    for (let b = 0, i = 0; b < sums.length; b++) {
      let s = 0;
      for (const end = i + block; i < end; i++) s += x.data[i]!;
      sums[b] = s;
    }
  } else {
    const index = new Array<number>(rank).fill(0);
    let o = 0;
    for (let i = 0; i < x.data.length; i++) {
      sums[o]! += x.data[i]!;
      for (let a = rank - 1; a >= 0; a--) {
        o += outStrides[a]!;
        if (++index[a]! < x.shape[a]!) break;
        o -= index[a]! * outStrides[a]!;
        index[a] = 0;
      }
    }
  }
  const count = x.data.length / sums.length;
  const shape = keepDims ? kept : x.shape.filter((_, a) => !axes.includes(a));
  return [
    floatTensor(
      x.dtype,
      shape,
      Float32Array.from(sums, (s) => s / count),
    ),
  ];
};

/**
 * x[begin:end:stride] per axis, with Python's reading of the indices: a negative index counts
 * from the end, and out-of-range ones are clamped (to -1 .. dim - 1 for a negative stride).
 * The masks are left to the emitter (it writes indices that need none).
 */
export const sliceByIndex: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'begin', 'end', 'stride']);
  const x = p.float('x');
  const rank = x.shape.length;
  const begin = p.ints('begin', undefined, rank);
  const end = p.ints('end', undefined, rank);
  const step = p.ints('stride', new Array<number>(rank).fill(1), rank);
  const ranges = x.shape.map((n, a) => {
    const s = step[a]!;
    if (s === 0) throw opError(ctx, 'stride', `axis ${a} has stride 0`);
    const clamp = (v: number): number => {
      const i = v < 0 ? v + n : v;
      return s > 0 ? Math.min(Math.max(i, 0), n) : Math.min(Math.max(i, -1), n - 1);
    };
    const b = clamp(begin[a]!);
    return { begin: b, step: s, count: Math.max(0, Math.ceil((clamp(end[a]!) - b) / s)) };
  });
  const shape = ranges.map((r) => r.count);
  const out = p.output(x.dtype, shape);
  const inStrides = strides(x.shape);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.data.length; o++) {
    let at = 0;
    for (let a = 0; a < rank; a++) at += (ranges[a]!.begin + index[a]! * ranges[a]!.step) * inStrides[a]!;
    out.data[o] = x.data[at]!;
    for (let a = rank - 1; a >= 0; a--) {
      if (++index[a]! < shape[a]!) break;
      index[a] = 0;
    }
  }
  return [out];
};
