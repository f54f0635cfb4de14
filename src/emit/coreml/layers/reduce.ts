import type { MeanAttrs } from '../../../ir/attrs.js';
import { at } from '../../../ir/shape-util.js';
import type { CoremlLowering } from '../lowering.js';

/** MEAN is the rank-N reduceMean with the IR's axes (already in the input's current layout). */
export const lowerMean: CoremlLowering<MeanAttrs> = (node, ctx) =>
  ctx.add({ reduceMean: { axes: [...node.attrs.axes], keepDims: node.attrs.keepDims } }, [at(node.inputs, 0, 'MEAN input')], node.outputs);
