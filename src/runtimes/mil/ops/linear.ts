/**
 * matmul: x [..., M, K] times y [..., K, N] (after the transpose flags), batch axes broadcast
 * like NumPy. Both operands need rank 2 or more. Sums in float64, rounded once.
 */
import { broadcastShape } from '../../tensor.js';
import { opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import { sizeOf, type FloatTensor } from '../tensor.js';

export const matmul: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'y', 'transpose_x', 'transpose_y']);
  const x = p.float('x');
  const y = p.floatOf('y', x.dtype);
  if (x.shape.length < 2 || y.shape.length < 2)
    throw opError(ctx, x.shape.length < 2 ? 'x' : 'y', 'rank 1 operands are not implemented; both need rank 2 or more');
  const tx = p.bool('transpose_x', false);
  const ty = p.bool('transpose_y', false);
  const [m, k] = matrixDims(x, tx);
  const [k2, n] = matrixDims(y, ty);
  if (k !== k2) throw opError(ctx, 'y', `inner sizes differ: x gives ${k}, y gives ${k2}`);
  const xBatch = x.shape.slice(0, -2);
  const yBatch = y.shape.slice(0, -2);
  const batch = broadcastShape(xBatch, yBatch);
  if (!batch) throw opError(ctx, 'y', `batch axes [${yBatch.join(', ')}] do not broadcast with [${xBatch.join(', ')}]`);
  const out = p.output(x.dtype, [...batch, m, n]);
  const count = sizeOf(batch);
  // Where x[i][q] and y[q][j] lie, after the transpose flags: a step per index.
  const [xi, xq] = tx ? [1, m] : [k, 1];
  const [yq, yj] = ty ? [1, k] : [n, 1];
  const xd = x.data;
  const yd = y.data;
  for (let b = 0; b < count; b++) {
    const xo = batchOffset(b, batch, xBatch) * m * k;
    const yo = batchOffset(b, batch, yBatch) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let q = 0, a = xo + i * xi, c = yo + j * yj; q < k; q++, a += xq, c += yq) sum += xd[a]! * yd[c]!;
        out.data[(b * m + i) * n + j] = sum;
      }
    }
  }
  return [out];
};

function matrixDims(t: FloatTensor, transposed: boolean): [number, number] {
  const [r, c] = t.shape.slice(-2) as [number, number];
  return transposed ? [c, r] : [r, c];
}

/** Which matrix of an operand with batch axes `own` the b-th output matrix reads. */
function batchOffset(b: number, batch: readonly number[], own: readonly number[]): number {
  let offset = 0;
  let stride = 1;
  let rest = b;
  for (let a = batch.length - 1; a >= 0; a--) {
    const index = rest % batch[a]!;
    rest = Math.floor(rest / batch[a]!);
    const ownAxis = a - (batch.length - own.length);
    if (ownAxis >= 0) {
      const size = own[ownAxis]!;
      if (size !== 1) offset += index * stride;
      stride *= size;
    }
  }
  return offset;
}
