import { KernelError } from './kernel-error.js';
import { sizeOf, strides, type Tensor } from './tensor.js';

/** numpy broadcasting: align shapes on the right; each pair of dims must match or one be 1. */
export function broadcastShape(kernel: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new KernelError(kernel, `shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` read as `rank` dims aligned on the right, with 0 where a dim broadcasts. */
function broadcastStrides(shape: readonly number[], rank: number): number[] {
  const own = strides(shape);
  const out = new Array<number>(rank).fill(0);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] !== 1) out[rank - shape.length + i] = own[i]!;
  }
  return out;
}

function binary(kernel: string, a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const shape = broadcastShape(kernel, a.shape, b.shape);
  const out = new Float32Array(sizeOf(shape));
  const x = a.data;
  const y = b.data;
  if (x.length === out.length && y.length === out.length) {
    for (let i = 0; i < out.length; i++) out[i] = f(x[i]!, y[i]!);
    return { shape, data: out };
  }
  if (out.length === 0) return { shape, data: out };
  // Walk the output in row-major order with an odometer over all but the last axis; the
  // last axis runs as a plain loop with each input's (possibly zero) stride.
  const rank = shape.length;
  const sa = broadcastStrides(a.shape, rank);
  const sb = broadcastStrides(b.shape, rank);
  const inner = shape[rank - 1]!;
  const ia = sa[rank - 1]!;
  const ib = sb[rank - 1]!;
  const index = new Array<number>(rank).fill(0);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < out.length; ) {
    for (let i = 0, pa = offA, pb = offB; i < inner; i++, pa += ia, pb += ib) out[o++] = f(x[pa]!, y[pb]!);
    for (let axis = rank - 2; axis >= 0; axis--) {
      index[axis]!++;
      offA += sa[axis]!;
      offB += sb[axis]!;
      if (index[axis]! < shape[axis]!) break;
      offA -= sa[axis]! * shape[axis]!;
      offB -= sb[axis]! * shape[axis]!;
      index[axis] = 0;
    }
  }
  return { shape, data: out };
}

export function add(a: Tensor, b: Tensor): Tensor {
  return binary('ADD', a, b, (x, y) => x + y);
}

export function sub(a: Tensor, b: Tensor): Tensor {
  return binary('SUB', a, b, (x, y) => x - y);
}

export function mul(a: Tensor, b: Tensor): Tensor {
  return binary('MUL', a, b, (x, y) => x * y);
}

/** TFLite MINIMUM picks the first operand unless the second is strictly smaller. */
export function minimum(a: Tensor, b: Tensor): Tensor {
  return binary('MINIMUM', a, b, (x, y) => (x < y ? x : y));
}

/** TFLite MAXIMUM picks the first operand unless the second is strictly larger. */
export function maximum(a: Tensor, b: Tensor): Tensor {
  return binary('MAXIMUM', a, b, (x, y) => (x > y ? x : y));
}
