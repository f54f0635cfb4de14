import type { Conv2DOptions } from '../schema/tflite.js';
import { relayConstant } from '../ir/layout.js';
import type { OpDef } from './op-def.js';
import { applyActivation, at, dim, input, readConvWindow, requireLayout, requireNoActivation, windowOutputShape, type ConvWindowAttrs } from './common.js';
import { conv2d } from '../runtimes/reference/kernels/index.js';
import { ints, withoutZeroBias } from '../emit/onnx/lowering.js';
import { lowerConv2d } from '../emit/coreml/layers/window.js';

export type Conv2dAttrs = ConvWindowAttrs;

/** Inputs: activation NHWC, kernel OHWI (OIHW after the layout pass), optional bias [O]. */
export const CONV_2D: OpDef<Conv2dAttrs, Conv2DOptions> = {
  tfliteOptions: 'Conv2DOptions',
  fromTflite(ctx) {
    const o = ctx.options;
    if (!o) return ctx.unsupported('missing Conv2DOptions');
    const [x, w] = ctx.inputs;
    if (!x || !w) return ctx.unsupported('expects an activation and a kernel');
    return { attrs: readConvWindow(ctx, o, x.shape, [dim(w.shape, 1), dim(w.shape, 2)]) };
  },
  inferOutputs(attrs, inputs) {
    const x = input(inputs, 0, 'CONV_2D');
    const w = input(inputs, 1, 'CONV_2D');
    const kernel = w.layout === 'OIHW' ? ([dim(w.shape, 2), dim(w.shape, 3)] as const) : ([dim(w.shape, 1), dim(w.shape, 2)] as const);
    return [{ dtype: x.dtype, shape: windowOutputShape(x, kernel, dim(w.shape, 0), attrs) }];
  },
  evaluate(attrs, inputs) {
    const conv = conv2d(at(inputs, 0, 'CONV_2D input'), at(inputs, 1, 'CONV_2D kernel'), inputs[2] ?? null, attrs);
    return [applyActivation(attrs.activation, conv)];
  },
  layout: 'spatial',
  relayWeights: (value, position) => (position === 1 ? relayConstant(value, 'OIHW') : value),
  coreml: lowerConv2d,
  onnx(node, ctx) {
    requireNoActivation('onnx', node.name, node.attrs.activation);
    const w = ctx.value(at(node.inputs, 1, 'CONV_2D kernel'));
    requireLayout(w, 'OIHW');
    const [t, l, b, r] = node.attrs.pads;
    ctx.add('Conv', withoutZeroBias(ctx, node.inputs), node.outputs, {
      kernel_shape: ints([dim(w.shape, 2), dim(w.shape, 3)]),
      strides: ints(node.attrs.strides),
      dilations: ints(node.attrs.dilations),
      pads: ints([t, l, b, r]),
    });
  },
};
