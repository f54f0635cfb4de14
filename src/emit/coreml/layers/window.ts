import type { Conv2dAttrs, DepthwiseConv2dAttrs, MaxPool2dAttrs, Pads } from '../../../ir/attrs.js';
import { at, dim } from '../../../ir/shape-util.js';
import { requireLayout, requireNoActivation } from '../../lowering-checks.js';
import type { ConvolutionLayerParams, ValidPadding } from '../../../coreml/types.js';
import { EmitError } from '../../../ir/errors.js';
import type { CoremlLowering, CoremlLoweringContext } from '../lowering.js';
import type { LoweredNode } from '../../../ir/graph.js';

/**
 * Window ops: convolutions (depthwise ones as one group per channel, like the seed model) and
 * max pooling. Padding is always explicit (`valid` with amounts): the IR has resolved SAME and
 * any folded PAD into [top, left, bottom, right] already, which `same` could not express.
 */

export const lowerConv2d: CoremlLowering<Conv2dAttrs> = (node, ctx) => {
  requireNoActivation('coreml', node.name, node.attrs.activation);
  const kernel = ctx.value(at(node.inputs, 1, 'CONV_2D kernel'));
  requireLayout(kernel, 'OIHW');
  convolution(node, ctx, { outputChannels: dim(kernel.shape, 0), kernelChannels: dim(kernel.shape, 1), nGroups: 1 });
};

export const lowerDepthwiseConv2d: CoremlLowering<DepthwiseConv2dAttrs> = (node, ctx) => {
  requireNoActivation('coreml', node.name, node.attrs.activation);
  const kernel = ctx.value(at(node.inputs, 1, 'DEPTHWISE_CONV_2D kernel'));
  requireLayout(kernel, 'C1HW');
  const x = ctx.value(at(node.inputs, 0, 'DEPTHWISE_CONV_2D input'));
  convolution(node, ctx, { outputChannels: dim(kernel.shape, 0), kernelChannels: 1, nGroups: dim(x.shape, 1) });
};

export const lowerMaxPool2d: CoremlLowering<MaxPool2dAttrs> = (node, ctx) => {
  requireNoActivation('coreml', node.name, node.attrs.activation);
  ctx.add(
    { pooling: { type: 'MAX', kernelSize: [...node.attrs.filter], stride: [...node.attrs.strides], valid: validPadding(node.attrs.pads) } },
    [at(node.inputs, 0, 'MAX_POOL_2D input')],
    node.outputs,
  );
};

function convolution(
  node: LoweredNode<Conv2dAttrs | DepthwiseConv2dAttrs>,
  ctx: CoremlLoweringContext,
  channels: Pick<ConvolutionLayerParams, 'outputChannels' | 'kernelChannels' | 'nGroups'>,
): void {
  const [input, kernelId, biasId] = node.inputs;
  if (input === undefined || kernelId === undefined) throw new EmitError('coreml', `node ${node.name} needs an input and a kernel`);
  const kernel = ctx.value(kernelId);
  const bias = biasId === undefined ? {} : { hasBias: true, bias: ctx.weights(ctx.constant(biasId, `${node.name} bias`)) };
  const params: ConvolutionLayerParams = {
    ...channels,
    kernelSize: [dim(kernel.shape, 2), dim(kernel.shape, 3)],
    stride: [...node.attrs.strides],
    dilationFactor: [...node.attrs.dilations],
    valid: validPadding(node.attrs.pads),
    weights: ctx.weights(ctx.constant(kernelId, `${node.name} kernel`)),
    ...bias,
  };
  ctx.add({ convolution: params }, [input], node.outputs);
}

/** Explicit [H, W] amounts, H first, as BorderAmounts lists them. */
function validPadding([top, left, bottom, right]: Pads): ValidPadding {
  return {
    paddingAmounts: {
      borderAmounts: [
        { startEdgeSize: top, endEdgeSize: bottom },
        { startEdgeSize: left, endEdgeSize: right },
      ],
    },
  };
}
