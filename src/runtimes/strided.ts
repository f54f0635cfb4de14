/**
 * Row-major index arithmetic both reference executors share: strides, NumPy broadcasting and
 * axis permutation over flat arrays.
 */

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Row-major strides: strides[i] is the distance between neighbours along axis i. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i]!;
  }
  return strides;
}

/**
 * NumPy broadcasting: shapes are aligned at the last axis, and each axis must be equal or 1.
 * Returns undefined when the shapes do not broadcast.
 */
export function broadcastShape(shapes: readonly (readonly number[])[]): number[] | undefined {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    for (let i = 0; i < shape.length; i++) {
      const axis = rank - shape.length + i;
      const dim = shape[i]!;
      if (dim === out[axis] || dim === 1) continue;
      if (out[axis] !== 1) return undefined;
      out[axis] = dim;
    }
  }
  return out;
}

/**
 * For every element of `outShape`, the index of the element of `shape` that broadcasts onto it.
 * Computed once per layer so elementwise loops stay flat.
 */
export function broadcastIndex(shape: readonly number[], outShape: readonly number[]): Int32Array {
  const total = sizeOf(outShape);
  const index = new Int32Array(total);
  const rank = outShape.length;
  const inStrides = stridesOf(shape);
  // Stride 0 on broadcast (size-1 or missing) axes.
  const strideFor = outShape.map((_, axis) => {
    const i = axis - (rank - shape.length);
    return i >= 0 && shape[i] !== 1 ? inStrides[i]! : 0;
  });
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let n = 0; n < total; n++) {
    index[n] = at;
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]!++;
      at += strideFor[axis]!;
      if (counter[axis]! < outShape[axis]!) break;
      at -= strideFor[axis]! * counter[axis]!;
      counter[axis] = 0;
    }
  }
  return index;
}

/** Moves axes of row-major `data` of `shape`: output axis i is input axis perm[i]. */
export function permuteData(shape: readonly number[], data: Float32Array, perm: readonly number[]): { shape: number[]; data: Float32Array } {
  const inStrides = stridesOf(shape);
  const outShape = perm.map((p) => shape[p]!);
  const out = new Float32Array(sizeOf(outShape));
  const walk = perm.map((p) => inStrides[p]!);
  const counter = new Array<number>(outShape.length).fill(0);
  let at = 0;
  for (let n = 0; n < out.length; n++) {
    out[n] = data[at]!;
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      counter[axis]!++;
      at += walk[axis]!;
      if (counter[axis]! < outShape[axis]!) break;
      at -= walk[axis]! * counter[axis]!;
      counter[axis] = 0;
    }
  }
  return { shape: outShape, data: out };
}
