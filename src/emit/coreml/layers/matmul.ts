import type { BatchMatMulAttrs, FullyConnectedAttrs } from '../../../ir/attrs.js';
import { at, dim } from '../../../ir/shape-util.js';
import { requireNoActivation } from '../../lowering-checks.js';
import { EmitError } from '../../../ir/errors.js';
import type { CoremlLowering } from '../lowering.js';

/**
 * BATCH_MATMUL. A constant right operand (the decoder's corner matrix) goes into the layer as
 * its weight matrix [X1, X2], which Core ML stores column-major: element (i, j) at j * X1 + i,
 * so the row-major [X1, X2] constant is written transposed (or as it is when adjY already
 * transposes it). Two activations use the two-input form with its transpose flags.
 */
export const lowerBatchMatmul: CoremlLowering<BatchMatMulAttrs> = (node, ctx) => {
  const [a, b] = node.inputs;
  if (a === undefined || b === undefined) throw new EmitError('coreml', `node ${node.name} needs two inputs`);
  const right = ctx.value(b);
  if (!right.data) {
    ctx.add({ batchedMatmul: { transposeA: node.attrs.adjX, transposeB: node.attrs.adjY } }, [a, b], node.outputs);
    return;
  }
  if (right.shape.length !== 2) throw new EmitError('coreml', `node ${node.name}: a constant right operand must be a matrix, got [${right.shape.join(',')}]`);
  if (node.attrs.adjX) throw new EmitError('coreml', `node ${node.name}: adj_x with a constant right operand has no single Core ML layer`);
  const data = ctx.constant(b, `${node.name} matrix`);
  const [rows, cols] = [dim(right.shape, 0), dim(right.shape, 1)];
  // Row-major [rows, cols] read column-major is its transpose, which is what adjY asks for.
  const [x1, x2] = node.attrs.adjY ? [cols, rows] : [rows, cols];
  const columnMajor = node.attrs.adjY ? data : transposed(data, rows, cols);
  ctx.add({ batchedMatmul: { weightMatrixFirstDimension: x1, weightMatrixSecondDimension: x2, weights: ctx.weights(columnMajor) } }, [a], node.outputs);
};

function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] as number;
  return out;
}

/**
 * FULLY_CONNECTED as batchedMatmul with a weight matrix [X1 = I, X2 = O] and bias: TFLite's
 * row-major [O, I] weights are that matrix column-major, so they go in as they are. The layer
 * multiplies along the last axis; an input that is not [batches, I] is reshaped to it first
 * unless keep_num_dims keeps its leading axes.
 */
export const lowerFullyConnected: CoremlLowering<FullyConnectedAttrs> = (node, ctx) => {
  requireNoActivation('coreml', node.name, node.attrs.activation);
  const [input, weights, bias] = node.inputs;
  if (input === undefined || weights === undefined) throw new EmitError('coreml', `node ${node.name} needs an input and weights`);
  const w = ctx.value(weights);
  if (!w.data) throw new EmitError('coreml', `node ${node.name}: FULLY_CONNECTED weights must be constant`);
  const [outputs, depth] = [dim(w.shape, 0), dim(w.shape, 1)];
  const x = ctx.value(input);
  let rows = input;
  if (!node.attrs.keepNumDims && (x.shape.length !== 2 || dim(x.shape, 1) !== depth)) {
    rows = ctx.temp(`${node.name}_rows`);
    ctx.add({ reshapeStatic: { targetShape: [x.shape.reduce((a, b) => a * b, 1) / depth, depth] } }, [input], [rows]);
  }
  const withBias = bias === undefined ? {} : { hasBias: true, bias: ctx.weights(ctx.constant(bias, `${node.name} bias`)) };
  ctx.add(
    {
      batchedMatmul: {
        weightMatrixFirstDimension: depth,
        weightMatrixSecondDimension: outputs,
        weights: ctx.weights(ctx.constant(weights, `${node.name} weights`)),
        ...withBias,
      },
    },
    [rows],
    [at(node.outputs, 0, 'FULLY_CONNECTED output')],
  );
};
