/**
 * Matrix products: the classic inner product (fully connected) and batchedMatmul, with two
 * inputs (NumPy matmul broadcasting, optional transposes) or one input and a weight matrix.
 * Parameters the specification says are ignored in a given arity are refused instead, since a
 * model that sets them was not written with that arity in mind.
 */
import type { BatchedMatMulLayerParams, InnerProductLayerParams } from '../../coreml/types.js';
import { expectInputs, layerError, onlyFields, type LayerContext } from './layer-context.js';
import { broadcastShape, sizeOf, strides, tensor, type Tensor } from './tensor.js';
import { readWeights } from './weights.js';

/**
 * y = W x + b with W [C_out, C_in]. Ranks 1..3 keep their leading axes; rank 4 [x1, x2, x3, x4]
 * gives [x1, C_out, 1, 1] and rank 5 [x1, x2, x3, x4, x5] gives [x1, x2, C_out, 1, 1].
 */
export function innerProduct(ctx: LayerContext, p: InnerProductLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['inputChannels', 'outputChannels', 'hasBias', 'weights', 'bias']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  const rank = x.shape.length;
  const cIn = p.inputChannels ?? 0;
  const cOut = p.outputChannels ?? 0;
  const rows = rank <= 3 ? sizeOf(x.shape.slice(0, -1)) : rank === 4 ? x.shape[0]! : x.shape[0]! * x.shape[1]!;
  if (rank > 5 || rows * cIn !== x.data.length) throw layerError(ctx, 'inputChannels', `${cIn} does not fit input [${x.shape.join(', ')}]`);
  const outShape = rank <= 3 ? [...x.shape.slice(0, -1), cOut] : rank === 4 ? [x.shape[0]!, cOut, 1, 1] : [x.shape[0]!, x.shape[1]!, cOut, 1, 1];
  const weights = readWeights(ctx, 'weights', p.weights, cOut * cIn);
  if (!p.hasBias && p.bias) throw layerError(ctx, 'bias', 'is set while hasBias is false');
  const bias = p.hasBias ? readWeights(ctx, 'bias', p.bias, cOut) : new Float32Array(cOut);
  const out = tensor(outShape);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < cOut; o++) {
      let sum = bias[o]!;
      for (let i = 0; i < cIn; i++) sum += weights[o * cIn + i]! * x.data[r * cIn + i]!;
      out.data[r * cOut + o] = sum;
    }
  }
  return [out];
}

export function batchedMatmul(ctx: LayerContext, p: BatchedMatMulLayerParams, inputs: readonly Tensor[]): Tensor[] {
  expectInputs(ctx, inputs, 1, 2);
  return [inputs.length === 2 ? twoInputs(ctx, p, inputs[0]!, inputs[1]!) : withWeights(ctx, p, inputs[0]!)];
}

/** [..., X1] times the [X1, X2] weight matrix (stored column-major) plus bias [X2]. */
function withWeights(ctx: LayerContext, p: BatchedMatMulLayerParams, a: Tensor): Tensor {
  onlyFields(ctx, p, ['weightMatrixFirstDimension', 'weightMatrixSecondDimension', 'hasBias', 'weights', 'bias']);
  const x1 = p.weightMatrixFirstDimension ?? 0;
  const x2 = p.weightMatrixSecondDimension ?? 0;
  if (a.shape[a.shape.length - 1] !== x1) throw layerError(ctx, 'weightMatrixFirstDimension', `${x1} != last input axis of [${a.shape.join(', ')}]`);
  const weights = readWeights(ctx, 'weights', p.weights, x1 * x2);
  if (!p.hasBias && p.bias) throw layerError(ctx, 'bias', 'is set while hasBias is false');
  const bias = p.hasBias ? readWeights(ctx, 'bias', p.bias, x2) : new Float32Array(x2);
  const rows = a.data.length / x1;
  const out = tensor(a.shape.length === 1 ? [x2] : [...a.shape.slice(0, -1), x2]);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < x2; j++) {
      let sum = bias[j]!;
      for (let i = 0; i < x1; i++) sum += a.data[r * x1 + i]! * weights[j * x1 + i]!;
      out.data[r * x2 + j] = sum;
    }
  }
  return out;
}

/** NumPy matmul: batch axes broadcast; a 1-D a becomes [1, D] and a 1-D b becomes [D, 1]. */
function twoInputs(ctx: LayerContext, p: BatchedMatMulLayerParams, a: Tensor, b: Tensor): Tensor {
  onlyFields(ctx, p, ['transposeA', 'transposeB']);
  const aShape = a.shape.length === 1 ? [1, a.shape[0]!] : [...a.shape];
  const bShape = b.shape.length === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const matrix = (shape: readonly number[], transposed: boolean | undefined) => {
    const [r, c] = shape.slice(-2) as [number, number];
    return transposed ? { rows: c, cols: r, rowStride: 1, colStride: c } : { rows: r, cols: c, rowStride: c, colStride: 1 };
  };
  const ma = matrix(aShape, p.transposeA);
  const mb = matrix(bShape, p.transposeB);
  if (ma.cols !== mb.rows) throw layerError(ctx, undefined, `inner sizes differ: [${a.shape.join(', ')}] x [${b.shape.join(', ')}]`);
  const batch = broadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
  if (!batch) throw layerError(ctx, undefined, `batch axes of [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not broadcast`);
  const out = tensor([...batch, ma.rows, mb.cols]);
  const batchOffset = (shape: readonly number[], n: number) => {
    // The start of matrix n of the broadcast batch within a tensor whose batch axes are `shape`.
    const steps = strides(shape);
    let offset = 0;
    let rest = n;
    for (let axis = batch.length - 1; axis >= 0; axis--) {
      const index = rest % batch[axis]!;
      rest = Math.floor(rest / batch[axis]!);
      const own = axis - (batch.length - shape.length);
      if (own >= 0 && shape[own] !== 1) offset += index * steps[own]!;
    }
    return offset;
  };
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const aSize = aShape.slice(-2).reduce((x, y) => x * y, 1);
  const bSize = bShape.slice(-2).reduce((x, y) => x * y, 1);
  for (let n = 0; n < sizeOf(batch); n++) {
    const aBase = batchOffset(aBatch, n) * aSize;
    const bBase = batchOffset(bBatch, n) * bSize;
    const outBase = n * ma.rows * mb.cols;
    for (let i = 0; i < ma.rows; i++) {
      for (let j = 0; j < mb.cols; j++) {
        let sum = 0;
        for (let k = 0; k < ma.cols; k++) {
          sum += a.data[aBase + i * ma.rowStride + k * ma.colStride]! * b.data[bBase + k * mb.rowStride + j * mb.colStride]!;
        }
        out.data[outBase + i * mb.cols + j] = sum;
      }
    }
  }
  return out;
}
