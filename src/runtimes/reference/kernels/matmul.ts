import { broadcastShape } from './elementwise.js';
import { KernelError } from './kernel-error.js';
import { sizeOf, strides, type Tensor } from './tensor.js';

export interface BatchMatMulOptions {
  /** Use each matrix of `a` transposed. */
  readonly adjX: boolean;
  /** Use each matrix of `b` transposed. */
  readonly adjY: boolean;
}

/** For each flat index of `outBatch`, the flat index of the matching matrix of `batch`. */
function batchIndices(batch: readonly number[], outBatch: readonly number[]): Int32Array {
  const own = strides(batch);
  const outStrides = strides(outBatch);
  const shift = outBatch.length - batch.length;
  const result = new Int32Array(sizeOf(outBatch));
  for (let i = 0; i < result.length; i++) {
    let at = 0;
    for (let axis = 0; axis < batch.length; axis++) {
      const coord = Math.floor(i / outStrides[axis + shift]!) % outBatch[axis + shift]!;
      if (batch[axis] !== 1) at += coord * own[axis]!;
    }
    result[i] = at;
  }
  return result;
}

/**
 * TFLite BATCH_MATMUL: [..., M, K] x [..., K, N] -> [..., M, N], the leading dims broadcast
 * like numpy. Each output sums over K in order.
 */
export function batchMatMul(a: Tensor, b: Tensor, options: BatchMatMulOptions): Tensor {
  const name = 'BATCH_MATMUL';
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) {
    throw new KernelError(name, `operands need rank >= 2, got [${a.shape.join(',')}] and [${b.shape.join(',')}]`);
  }
  const rowsA = a.shape[ra - 2]!;
  const colsA = a.shape[ra - 1]!;
  const rowsB = b.shape[rb - 2]!;
  const colsB = b.shape[rb - 1]!;
  const [m, k] = options.adjX ? [colsA, rowsA] : [rowsA, colsA];
  const [kb, n] = options.adjY ? [colsB, rowsB] : [rowsB, colsB];
  if (k !== kb) {
    throw new KernelError(name, `inner dims differ: [${a.shape.join(',')}] x [${b.shape.join(',')}]`);
  }
  const batchA = a.shape.slice(0, ra - 2);
  const batchB = b.shape.slice(0, rb - 2);
  const batch = broadcastShape(name, batchA, batchB);
  const mapA = batchIndices(batchA, batch);
  const mapB = batchIndices(batchB, batch);
  // Element (i, p) of the possibly transposed a, and (p, j) of b, as flat offsets in a matrix.
  const [aRow, aK] = options.adjX ? [1, m] : [k, 1];
  const [bK, bCol] = options.adjY ? [1, k] : [n, 1];
  const x = a.data;
  const y = b.data;
  const out = new Float32Array(mapA.length * m * n);
  let o = 0;
  for (let t = 0; t < mapA.length; t++) {
    const baseA = mapA[t]! * m * k;
    const baseB = mapB[t]! * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += x[baseA + i * aRow + p * aK]! * y[baseB + p * bK + j * bCol]!;
        out[o++] = s;
      }
    }
  }
  return { shape: [...batch, m, n], data: out };
}

export interface FullyConnectedOptions {
  /** TFLite keep_num_dims: keep the input's leading dims instead of flattening them to one. */
  readonly keepNumDims?: boolean;
}

/**
 * TFLite FULLY_CONNECTED: the input is read as [batches, I] rows (I = weights' second dim),
 * each multiplied by weights [O, I] transposed, summing over I in order, bias added last.
 */
export function fullyConnected(input: Tensor, weights: Tensor, bias: Tensor | null, options: FullyConnectedOptions = {}): Tensor {
  const name = 'FULLY_CONNECTED';
  if (weights.shape.length !== 2) {
    throw new KernelError(name, `weights must be [O, I], got [${weights.shape.join(',')}]`);
  }
  const [outC, depth] = weights.shape as [number, number];
  if (depth === 0 || input.data.length % depth !== 0) {
    throw new KernelError(name, `input [${input.shape.join(',')}] is not a whole number of ${depth}-wide rows`);
  }
  if (bias !== null && bias.data.length !== outC) {
    throw new KernelError(name, `bias has ${bias.data.length} values for ${outC} outputs`);
  }
  if (options.keepNumDims && input.shape[input.shape.length - 1] !== depth) {
    throw new KernelError(name, `keep_num_dims needs the input's last dim to be ${depth}`);
  }
  const batches = input.data.length / depth;
  const x = input.data;
  const w = weights.data;
  const out = new Float32Array(batches * outC);
  let o = 0;
  for (let r = 0; r < batches; r++) {
    for (let c = 0; c < outC; c++) {
      let s = 0;
      for (let d = 0; d < depth; d++) s += x[r * depth + d]! * w[c * depth + d]!;
      out[o++] = s + (bias === null ? 0 : bias.data[c]!);
    }
  }
  const shape = options.keepNumDims ? [...input.shape.slice(0, -1), outC] : [batches, outC];
  return { shape, data: out };
}
