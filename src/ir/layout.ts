import type { AnyTypedArray } from './dtype.js';
import type { Layout, Shape, Value } from './graph.js';
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
  // Pad to rank 4 with leading unit axes so one four-deep loop serves every rank up to 4.
  const rank = shape.length;
  if (rank > 4) return permuteAnyRank(data, out, shape, p);
  const lead = 4 - rank;
  const outShape = [...Array<number>(lead).fill(1), ...permuteShape(shape, p)];
  const inStrides = stridesOf(shape);
  const step = [...Array<number>(lead).fill(0), ...p.map((axis) => inStrides[axis] as number)];
  const [d0, d1, d2, d3] = outShape as [number, number, number, number];
  const [s0, s1, s2, s3] = step as [number, number, number, number];
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

/** A constant re-laid from its current layout to `to`, data included. */
export function relayConstant(value: Value, to: Layout): Value {
  if (!value.data) throw new LayoutError(value.id, 'only constants can be re-laid in place');
  const p = perm(value.layout, to);
  return { ...value, layout: to, shape: permuteShape(value.shape, p), data: permuteData(value.data, value.shape, p) };
}
