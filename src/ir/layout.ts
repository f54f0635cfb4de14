import type { AnyTypedArray } from './dtype.js';
import type { Layout, Shape } from './graph.js';
import { LayoutError } from './errors.js';

/**
 * The permutation that takes data laid out as `from` to `to`: output axis i is input axis
 * perm[i] (the ONNX Transpose convention). perm('NHWC', 'NCHW') = [0, 3, 1, 2].
 */
export function perm(from: Layout, to: Layout): number[] {
  if (from.length !== to.length || [...from].sort().join('') !== [...to].sort().join('')) {
    throw new LayoutError(`${from}->${to}`, 'layouts must name the same axes');
  }
  return [...to].map((axis) => from.indexOf(axis));
}

export function permuteShape(shape: Shape, p: readonly number[]): number[] {
  return p.map((axis) => {
    const d = shape[axis];
    if (d === undefined) throw new LayoutError(`[${shape.join(',')}]`, `permutation [${p.join(',')}] does not fit`);
    return d;
  });
}

export function invertPerm(p: readonly number[]): number[] {
  const inverse = new Array<number>(p.length);
  p.forEach((axis, i) => (inverse[axis] = i));
  return inverse;
}

export function isIdentityPerm(p: readonly number[]): boolean {
  return p.every((axis, i) => axis === i);
}

/** Transposes row-major data of any element type (copying). */
export function permuteData<T extends AnyTypedArray>(data: T, shape: Shape, p: readonly number[]): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  if (isIdentityPerm(p)) {
    out.set(data as never);
    return out;
  }
  if (shape.length > 4) return permuteAnyRank(data, out, shape, p);
  const { outShape, step } = loopAxes(shape, p);
  const [d0, d1, d2, d3] = outShape as [number, number, number, number];
  const [s0, s1, s2, s3] = step as [number, number, number, number];
  if (data.BYTES_PER_ELEMENT === 4) {
    permute4Bytes(new Int32Array(data.buffer, data.byteOffset, data.length), new Int32Array(out.buffer, out.byteOffset, out.length), outShape, step);
    return out;
  }
  const src = data as unknown as { [i: number]: number | bigint };
  const dst = out as unknown as { [i: number]: number | bigint };
  let i = 0;
  for (let a = 0; a < d0; a++) {
    for (let b = 0; b < d1; b++) {
      for (let c = 0; c < d2; c++) {
        let source = a * s0 + b * s1 + c * s2;
        for (let d = 0; d < d3; d++, source += s3) dst[i++] = src[source] as number;
      }
    }
  }
  return out;
}

/**
 * The output axes of a transpose as permuteData's four-deep loop walks them, each with its
 * step in the input. Unit axes are dropped, and neighbours that are contiguous in the input
 * too are merged (a kernel's kh, kw going OHWI to OIHW), so the innermost loop runs long;
 * then leading unit axes pad the list to four, so one loop serves every rank up to 4.
 */
function loopAxes(shape: Shape, p: readonly number[]): { readonly outShape: number[]; readonly step: number[] } {
  const inStrides = stridesOf(shape);
  const outShape: number[] = [];
  const step: number[] = [];
  permuteShape(shape, p).forEach((size, axis) => {
    if (size === 1) return;
    const stride = inStrides[p[axis] as number] as number;
    const last = outShape.length - 1;
    if (last >= 0 && step[last] === stride * size) {
      outShape[last] = (outShape[last] as number) * size;
      step[last] = stride;
      return;
    }
    outShape.push(size);
    step.push(stride);
  });
  while (outShape.length < 4) {
    outShape.unshift(1);
    step.unshift(0);
  }
  return { outShape, step };
}

/**
 * The four-deep loop of permuteData for float32 and int32 data (nearly all of it), moved as
 * int32 bit patterns. A loop of its own that only ever sees Int32Array runs several times
 * faster than the shared one, which sees every element type; and integer copies keep every
 * float bit, NaN payloads included.
 */
function permute4Bytes(src: Int32Array, dst: Int32Array, outShape: readonly number[], step: readonly number[]): void {
  const [d0, d1, d2, d3] = outShape as [number, number, number, number];
  const [s0, s1, s2, s3] = step as [number, number, number, number];
  let i = 0;
  for (let a = 0; a < d0; a++) {
    for (let b = 0; b < d1; b++) {
      for (let c = 0; c < d2; c++) {
        let source = a * s0 + b * s1 + c * s2;
        for (let d = 0; d < d3; d++, source += s3) dst[i++] = src[source] as number;
      }
    }
  }
}

function permuteAnyRank<T extends AnyTypedArray>(data: T, out: T, shape: Shape, p: readonly number[]): T {
  const rank = shape.length;
  const outShape = permuteShape(shape, p);
  const inStrides = stridesOf(shape);
  const step = p.map((axis) => inStrides[axis] ?? 0);
  const index = new Array<number>(rank).fill(0);
  const src = data as unknown as { [i: number]: number | bigint };
  const dst = out as unknown as { [i: number]: number | bigint };
  let source = 0;
  for (let i = 0; i < data.length; i++) {
    dst[i] = src[source] as number;
    for (let axis = rank - 1; axis >= 0; axis--) {
      const size = outShape[axis] as number;
      const stride = step[axis] as number;
      if (++(index[axis] as number) < size) {
        source += stride;
        break;
      }
      index[axis] = 0;
      source -= stride * (size - 1);
    }
  }
  return out;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis] as number;
  }
  return strides;
}
