import type { BatchMatMulAttrs } from '../../../ir/attrs.js';
import { EmitError } from '../../../ir/errors.js';
import type { MilLowering } from '../lowering.js';

/** BATCH_MATMUL is matmul: same broadcasting of the batch axes, same transpose flags. */
export const lowerBatchMatmul: MilLowering<BatchMatMulAttrs> = (node, ctx) => {
  const [x, y] = node.inputs;
  if (x === undefined || y === undefined || node.inputs.length !== 2) throw new EmitError('mlprogram', `node ${node.name} needs two inputs`);
  ctx.op(
    'matmul',
    {
      x: ctx.ref(x),
      y: ctx.ref(y),
      transpose_x: ctx.bool(`${node.name}_transpose_x`, node.attrs.adjX),
      transpose_y: ctx.bool(`${node.name}_transpose_y`, node.attrs.adjY),
    },
    node.outputs,
  );
};
