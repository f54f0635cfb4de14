import type { Conv2dAttrs, DepthwiseConv2dAttrs, MaxPool2dAttrs, Pads } from '../../../ir/attrs.js';
import type { LoweredNode } from '../../../ir/graph.js';
import { at, dim } from '../../../ir/shape-util.js';
import { requireLayout, requireNoActivation } from '../../lowering-checks.js';
import type { MilLowering, MilLoweringContext } from '../lowering.js';

/**
 * Window ops on NCHW data. Padding is always `custom`: the IR has already resolved SAME and
 * any folded PAD into explicit amounts. MIL lists them per spatial axis, before then after
 * ([top, bottom, left, right]); the IR keeps [top, left, bottom, right].
 */

export const lowerConv2d: MilLowering<Conv2dAttrs> = (node, ctx) => {
  requireLayout(ctx.value(at(node.inputs, 1, 'CONV_2D kernel')), 'OIHW');
  convolution(node, ctx, 1);
};

/** One group per input channel: the kernel [C*multiplier, 1, kh, kw] is already in conv's layout. */
export const lowerDepthwiseConv2d: MilLowering<DepthwiseConv2dAttrs> = (node, ctx) => {
  requireLayout(ctx.value(at(node.inputs, 1, 'DEPTHWISE_CONV_2D kernel')), 'C1HW');
  convolution(node, ctx, dim(ctx.value(at(node.inputs, 0, 'DEPTHWISE_CONV_2D input')).shape, 1));
};

export const lowerMaxPool2d: MilLowering<MaxPool2dAttrs> = (node, ctx) => {
  requireNoActivation('mlprogram', node.name, node.attrs.activation);
  const x = at(node.inputs, 0, 'MAX_POOL_2D input');
  requireLayout(ctx.value(x), 'NCHW');
  ctx.op(
    'max_pool',
    {
      x: ctx.ref(x),
      kernel_sizes: ctx.ints(`${node.name}_kernel_sizes`, node.attrs.filter),
      strides: ctx.ints(`${node.name}_strides`, node.attrs.strides),
      pad_type: ctx.string(`${node.name}_pad_type`, 'custom'),
      pad: ctx.ints(`${node.name}_pad`, milPad(node.attrs.pads)),
      ceil_mode: ctx.bool(`${node.name}_ceil_mode`, false),
    },
    node.outputs,
  );
};

function convolution(node: LoweredNode<Conv2dAttrs | DepthwiseConv2dAttrs>, ctx: MilLoweringContext, groups: number): void {
  requireNoActivation('mlprogram', node.name, node.attrs.activation);
  const input = at(node.inputs, 0, `${node.name} input`);
  const bias = node.inputs[2];
  requireLayout(ctx.value(input), 'NCHW');
  ctx.op(
    'conv',
    {
      x: ctx.ref(input),
      weight: ctx.ref(at(node.inputs, 1, `${node.name} kernel`)),
      ...(bias === undefined ? {} : { bias: ctx.ref(bias) }),
      strides: ctx.ints(`${node.name}_strides`, node.attrs.strides),
      pad_type: ctx.string(`${node.name}_pad_type`, 'custom'),
      pad: ctx.ints(`${node.name}_pad`, milPad(node.attrs.pads)),
      dilations: ctx.ints(`${node.name}_dilations`, node.attrs.dilations),
      groups: ctx.int(`${node.name}_groups`, groups),
    },
    node.outputs,
  );
}

function milPad([top, left, bottom, right]: Pads): number[] {
  return [top, bottom, left, right];
}
