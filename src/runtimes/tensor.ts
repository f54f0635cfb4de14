/**
 * The values both reference runtimes compute with (the IR interpreter's NHWC kernels and the
 * Core ML executor): a shape and row-major float32 data, with the shape arithmetic,
 * broadcasting and transposition they share. Loops here are flat and typed: no closure or array
 * is made per element, since every model evaluation runs through them.
 */
import { elementCount, type Shape } from '../ir/graph.js';
import { permuteData, permuteShape, stridesOf } from '../ir/layout.js';

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  return elementCount(shape);
}

/** Row-major element strides: strides[i] is the distance between neighbours along axis i. */
export function strides(shape: Shape): number[] {
  return stridesOf(shape);
}

/** Output axis i is input axis perm[i]; the caller checks that perm is a permutation. */
export function transposeTensor(input: Tensor, perm: readonly number[]): Tensor {
  return { shape: permuteShape(input.shape, perm), data: permuteData(input.data, input.shape, perm) };
}

/**
 * NumPy broadcasting: shapes are aligned at the last axis and each pair of sizes must be equal
 * or include a 1. Undefined when they do not broadcast.
 */
export function broadcastShape(a: Shape, b: Shape): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** The element-wise operations the runtimes broadcast; `min` is `a < b ? a : b`, `max` likewise. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max';

/** a op b with NumPy broadcasting to `shape` (which broadcastShape gave), as float32 into `out`. */
export function broadcastBinary(
  op: BinaryOp,
  a: Tensor,
  b: Tensor,
  shape: readonly number[],
  out: Float32Array = new Float32Array(elementCount(shape)),
): Float32Array {
  if (out.length === 0) return out;
  const x = a.data;
  const y = b.data;
  if (x.length === out.length && y.length === out.length) {
    binaryRun(op, out, 0, x, 0, 1, y, 0, 1, out.length);
    return out;
  }
  forEachBroadcastRun(a.shape, b.shape, shape, (o, pa, ia, pb, ib, n) => binaryRun(op, out, o, x, pa, ia, y, pb, ib, n));
  return out;
}

/**
 * The runs of a broadcast of `aShape` and `bShape` to `shape`: each run is `n` outputs from `o`
 * that read both inputs with a fixed step (`ia`, `ib`; 0 where an input broadcasts) from `pa` and
 * `pb`, and an odometer over the outer axes moves the starts. Neighbouring axes that both inputs
 * read as one are merged first, so a per-channel or scalar operand makes runs of whole planes
 * rather than of single rows.
 */
export function forEachBroadcastRun(
  aShape: Shape,
  bShape: Shape,
  shape: readonly number[],
  visit: (o: number, pa: number, ia: number, pb: number, ib: number, n: number) => void,
): void {
  const dims: number[] = [];
  const stepA: number[] = [];
  const stepB: number[] = [];
  const sa = broadcastStrides(aShape, shape.length);
  const sb = broadcastStrides(bShape, shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const size = shape[axis]!;
    if (size === 1) continue;
    const inner = dims.length - 1;
    if (inner >= 0 && sa[axis] === stepA[inner]! * dims[inner]! && sb[axis] === stepB[inner]! * dims[inner]!) {
      dims[inner]! *= size;
      continue;
    }
    dims.push(size);
    stepA.push(sa[axis]!);
    stepB.push(sb[axis]!);
  }
  const total = elementCount(shape);
  const run = dims[0] ?? 1;
  const ia = stepA[0] ?? 0;
  const ib = stepB[0] ?? 0;
  const index = new Int32Array(dims.length);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < total; o += run) {
    visit(o, offA, ia, offB, ib, run);
    for (let d = 1; d < dims.length; d++) {
      index[d]!++;
      offA += stepA[d]!;
      offB += stepB[d]!;
      if (index[d]! < dims[d]!) break;
      offA -= stepA[d]! * dims[d]!;
      offB -= stepB[d]! * dims[d]!;
      index[d] = 0;
    }
  }
}

/** Strides of `shape` read as `rank` axes aligned on the right, 0 where an axis broadcasts. */
function broadcastStrides(shape: Shape, rank: number): number[] {
  const own = stridesOf(shape);
  const out = new Array<number>(rank).fill(0);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] !== 1) out[rank - shape.length + i] = own[i]!;
  }
  return out;
}

/** One run of `n` outputs; one loop per operation keeps each loop monomorphic. */
function binaryRun(
  op: BinaryOp,
  out: Float32Array,
  o: number,
  x: Float32Array,
  pa: number,
  ia: number,
  y: Float32Array,
  pb: number,
  ib: number,
  n: number,
): void {
  const end = o + n;
  switch (op) {
    case 'add':
      for (; o < end; o++, pa += ia, pb += ib) out[o] = x[pa]! + y[pb]!;
      return;
    case 'sub':
      for (; o < end; o++, pa += ia, pb += ib) out[o] = x[pa]! - y[pb]!;
      return;
    case 'mul':
      for (; o < end; o++, pa += ia, pb += ib) out[o] = x[pa]! * y[pb]!;
      return;
    case 'div':
      for (; o < end; o++, pa += ia, pb += ib) out[o] = x[pa]! / y[pb]!;
      return;
    case 'min':
      for (; o < end; o++, pa += ia, pb += ib) {
        const u = x[pa]!;
        const v = y[pb]!;
        out[o] = u < v ? u : v;
      }
      return;
    case 'max':
      for (; o < end; o++, pa += ia, pb += ib) {
        const u = x[pa]!;
        const v = y[pb]!;
        out[o] = u > v ? u : v;
      }
      return;
  }
}

/**
 * max(0, x) of float32 data, computed on the bit patterns: a comparison per element mispredicts
 * on about half of a network's activations and then costs ten times the loop itself. A set sign
 * bit (negative values, -0, -Infinity) gives +0; a NaN stays NaN with `nan` 'keep' (Math.max(0, x))
 * and becomes +0 with 'zero' (x > 0 ? x : 0).
 */
export function relu(x: Float32Array, nan: 'keep' | 'zero', out: Float32Array = new Float32Array(x.length)): Float32Array {
  const src = new Int32Array(x.buffer, x.byteOffset, x.length);
  const dst = new Int32Array(out.buffer);
  if (nan === 'keep') {
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      dst[i] = v & (~(v >> 31) | nanMask(v));
    }
  } else {
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      dst[i] = v & ~((v >> 31) | nanMask(v));
    }
  }
  return out;
}

/** All ones when the float32 with these bits is a NaN (exponent all ones, fraction not zero), else 0. */
function nanMask(bits: number): number {
  return (0x7f800000 - (bits & 0x7fffffff)) >> 31;
}
