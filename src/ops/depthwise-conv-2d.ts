import type { DepthwiseConv2DOptions } from '../schema/tflite.js';
import { relayConstant } from '../ir/layout.js';
import type { OpDef } from './op-def.js';
import { applyActivation, at, dim, input, readConvWindow, requireLayout, requireNoActivation, windowOutputShape, type ConvWindowAttrs } from './common.js';
import { depthwiseConv2d } from '../runtimes/reference/kernels/index.js';
import { int, ints, withoutZeroBias } from '../emit/onnx/lowering.js';
import { lowerDepthwiseConv2d } from '../emit/coreml/layers/window.js';

export interface DepthwiseConv2dAttrs extends ConvWindowAttrs {
  readonly depthMultiplier: number;
}

/**
 * Inputs: activation NHWC, kernel [1, kh, kw, C*multiplier] ('1HWC'), optional bias. After
 * the layout pass the kernel is [C*multiplier, 1, kh, kw] ('C1HW'): a grouped convolution
 * with one group per input channel.
 */
export const DEPTHWISE_CONV_2D: OpDef<DepthwiseConv2dAttrs, DepthwiseConv2DOptions> = {
  tfliteOptions: 'DepthwiseConv2DOptions',
  fromTflite(ctx) {
    const o = ctx.options;
    if (!o) return ctx.unsupported('missing DepthwiseConv2DOptions');
    const [x, w] = ctx.inputs;
    if (!x || !w) return ctx.unsupported('expects an activation and a kernel');
    // Old files leave depth_multiplier at 0 or inconsistent; the kernel shape is authoritative.
    const depthMultiplier = dim(w.shape, 3) / dim(x.shape, 3);
    if (!Number.isInteger(depthMultiplier)) ctx.unsupported(`kernel channels ${dim(w.shape, 3)} are not a multiple of input channels ${dim(x.shape, 3)}`);
    return { attrs: { ...readConvWindow(ctx, o, x.shape, [dim(w.shape, 1), dim(w.shape, 2)]), depthMultiplier } };
  },
  inferOutputs(attrs, inputs) {
    const x = input(inputs, 0, 'DEPTHWISE_CONV_2D');
    const w = input(inputs, 1, 'DEPTHWISE_CONV_2D');
    const [kh, kw, channels] = w.layout === 'C1HW' ? [dim(w.shape, 2), dim(w.shape, 3), dim(w.shape, 0)] : [dim(w.shape, 1), dim(w.shape, 2), dim(w.shape, 3)];
    return [{ dtype: x.dtype, shape: windowOutputShape(x, [kh, kw], channels, attrs) }];
  },
  evaluate(attrs, inputs) {
    const conv = depthwiseConv2d(at(inputs, 0, 'DEPTHWISE_CONV_2D input'), at(inputs, 1, 'DEPTHWISE_CONV_2D kernel'), inputs[2] ?? null, attrs);
    return [applyActivation(attrs.activation, conv)];
  },
  layout: 'spatial',
  relayWeights: (value, position) => (position === 1 ? relayConstant(value, 'C1HW') : value),
  coreml: lowerDepthwiseConv2d,
  onnx(node, ctx) {
    requireNoActivation('onnx', node.name, node.attrs.activation);
    const x = ctx.value(at(node.inputs, 0, 'DEPTHWISE_CONV_2D input'));
    const w = ctx.value(at(node.inputs, 1, 'DEPTHWISE_CONV_2D kernel'));
    requireLayout(w, 'C1HW');
    ctx.add('Conv', withoutZeroBias(ctx, node.inputs), node.outputs, {
      group: int(dim(x.shape, 1)),
      kernel_shape: ints([dim(w.shape, 2), dim(w.shape, 3)]),
      strides: ints(node.attrs.strides),
      dilations: ints(node.attrs.dilations),
      pads: ints(node.attrs.pads),
    });
  },
};
