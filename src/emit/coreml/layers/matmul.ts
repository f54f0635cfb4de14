import type { BatchMatMulAttrs } from '../../../ir/attrs.js';
import { dim } from '../../../ir/shape-util.js';
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
  ctx.add(
    { batchedMatmul: { weightMatrixFirstDimension: x1, weightMatrixSecondDimension: x2, weights: ctx.weights(columnMajor) } },
    [a],
    node.outputs,
  );
};

function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c] as number;
  return out;
}
