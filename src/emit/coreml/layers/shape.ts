import type { ConcatenationAttrs, DepthToSpaceAttrs, PadAttrs, ReshapeAttrs, StridedSliceAttrs, TransposeAttrs } from '../../../ir/attrs.js';
import { at, sliceCounts } from '../../../ir/shape-util.js';
import { requireLayout, requireNoActivation } from '../../lowering-checks.js';
import type { CoremlLowering } from '../lowering.js';

/**
 * Ops that move or pad data. They use Core ML's rank-N layers (reshapeStatic, transpose,
 * concatND, constantPad), which take the IR's shapes and axes as they are, and
 * reorganizeData for DEPTH_TO_SPACE on NCHW data.
 */

export const lowerReshape: CoremlLowering<ReshapeAttrs> = (node, ctx) =>
  ctx.add({ reshapeStatic: { targetShape: [...node.attrs.shape] } }, [at(node.inputs, 0, 'RESHAPE input')], node.outputs);

export const lowerTranspose: CoremlLowering<TransposeAttrs> = (node, ctx) =>
  ctx.add({ transpose: { axes: [...node.attrs.perm] } }, [at(node.inputs, 0, 'TRANSPOSE input')], node.outputs);

export const lowerConcatenation: CoremlLowering<ConcatenationAttrs> = (node, ctx) => {
  requireNoActivation('coreml', node.name, node.attrs.activation);
  ctx.add({ concatND: { axis: node.attrs.axis } }, node.inputs, node.outputs);
};

/** Zero padding of any axis; BlazeBlock channel padding is the only PAD left after foldPad. */
export const lowerPad: CoremlLowering<PadAttrs> = (node, ctx) =>
  ctx.add({ constantPad: { value: 0, padAmounts: node.attrs.paddings.flat() } }, [at(node.inputs, 0, 'PAD input')], node.outputs);

/** TensorFlow's DEPTH_TO_SPACE channel order is what Core ML's DEPTH_TO_SPACE mode uses (not PIXEL_SHUFFLE). */
export const lowerDepthToSpace: CoremlLowering<DepthToSpaceAttrs> = (node, ctx) => {
  const input = at(node.inputs, 0, 'DEPTH_TO_SPACE input');
  requireLayout(ctx.value(input), 'NCHW');
  ctx.add({ reorganizeData: { mode: 'DEPTH_TO_SPACE', blockSize: node.attrs.blockSize } }, [input], node.outputs);
};

/**
 * STRIDED_SLICE as sliceStatic, then reshapeStatic where shrunk or new axes change the rank.
 * sliceStatic reads a negative end from the back, so an end of -1 (through index 0, walking
 * backwards) is an end mask instead.
 */
export const lowerStridedSlice: CoremlLowering<StridedSliceAttrs> = (node, ctx) => {
  const input = at(node.inputs, 0, 'STRIDED_SLICE input');
  const output = at(node.outputs, 0, 'STRIDED_SLICE output');
  const { begin, end, strides, shape } = node.attrs;
  const sliced = sliceCounts(node.attrs).join() === shape.join() ? output : ctx.temp(`${node.name}_sliced`);
  ctx.add(
    {
      sliceStatic: {
        beginIds: [...begin],
        beginMasks: begin.map(() => false),
        endIds: end.map((e) => Math.max(e, 0)),
        endMasks: end.map((e) => e < 0),
        strides: [...strides],
      },
    },
    [input],
    [sliced],
  );
  if (sliced !== output) ctx.add({ reshapeStatic: { targetShape: [...shape] } }, [sliced], [output]);
};
