import type { ConcatenationAttrs, DepthToSpaceAttrs, PadAttrs, ReshapeAttrs, TransposeAttrs } from '../../../ir/attrs.js';
import { at } from '../../../ir/shape-util.js';
import { requireLayout, requireNoActivation } from '../../lowering-checks.js';
import type { MilLowering } from '../lowering.js';

/** Ops that move or pad data; MIL takes the IR's shapes, permutations and axes as they are. */

export const lowerReshape: MilLowering<ReshapeAttrs> = (node, ctx) =>
  ctx.op('reshape', { x: ctx.ref(at(node.inputs, 0, 'RESHAPE input')), shape: ctx.ints(`${node.name}_shape`, node.attrs.shape) }, node.outputs);

export const lowerTranspose: MilLowering<TransposeAttrs> = (node, ctx) =>
  ctx.op('transpose', { x: ctx.ref(at(node.inputs, 0, 'TRANSPOSE input')), perm: ctx.ints(`${node.name}_perm`, node.attrs.perm) }, node.outputs);

export const lowerConcatenation: MilLowering<ConcatenationAttrs> = (node, ctx) => {
  requireNoActivation('mlprogram', node.name, node.attrs.activation);
  ctx.op(
    'concat',
    {
      values: node.inputs.map((id) => ctx.ref(id)),
      axis: ctx.int(`${node.name}_axis`, node.attrs.axis),
      interleave: ctx.bool(`${node.name}_interleave`, false),
    },
    node.outputs,
  );
};

/** Zero padding of every axis (BlazeBlock channel padding is the only PAD left after foldPad). */
export const lowerPad: MilLowering<PadAttrs> = (node, ctx) =>
  ctx.op(
    'pad',
    {
      x: ctx.ref(at(node.inputs, 0, 'PAD input')),
      pad: ctx.ints(`${node.name}_pad`, node.attrs.paddings.flat()),
      mode: ctx.string(`${node.name}_mode`, 'constant'),
      constant_val: ctx.float(`${node.name}_constant_val`, 0),
    },
    node.outputs,
  );

/** MIL's depth_to_space moves channel blocks in TensorFlow's order (DCR), TFLite's order. */
export const lowerDepthToSpace: MilLowering<DepthToSpaceAttrs> = (node, ctx) => {
  const x = at(node.inputs, 0, 'DEPTH_TO_SPACE input');
  requireLayout(ctx.value(x), 'NCHW');
  ctx.op('depth_to_space', { x: ctx.ref(x), block_size: ctx.int(`${node.name}_block_size`, node.attrs.blockSize) }, node.outputs);
};
