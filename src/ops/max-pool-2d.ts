import type { Pool2DOptions } from '../schema/tflite.js';
import type { Activation, OpDef } from './op-def.js';
import { applyActivation, at, dim, input, readActivation, readPadding, requireNoActivation, resolvePads, windowOutputShape, type Pads, type PaddingMode } from './common.js';
import { maxPool2d } from '../runtimes/reference/kernels/index.js';
import { ints } from '../emit/onnx/lowering.js';
import { lowerMaxPool2d } from '../emit/coreml/layers/window.js';

export interface MaxPool2dAttrs {
  readonly padding: PaddingMode;
  /** Padded cells never win the max (TFLite and ONNX MaxPool agree on this). */
  readonly pads: Pads;
  readonly filter: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly activation: Activation;
}

export const MAX_POOL_2D: OpDef<MaxPool2dAttrs, Pool2DOptions> = {
  tfliteOptions: 'Pool2DOptions',
  fromTflite(ctx) {
    const o = ctx.options;
    if (!o) return ctx.unsupported('missing Pool2DOptions');
    const x = ctx.inputs[0];
    if (!x) return ctx.unsupported('expects an input');
    const filter = [o.filterHeight, o.filterWidth] as const;
    const strides = [o.strideH, o.strideW] as const;
    const padding = readPadding(ctx, o.padding);
    return {
      attrs: { padding, pads: resolvePads(padding, x.shape, filter, strides, [1, 1]), filter, strides, activation: readActivation(ctx, o.fusedActivationFunction) },
    };
  },
  inferOutputs(attrs, inputs) {
    const x = input(inputs, 0, 'MAX_POOL_2D');
    return [{ dtype: x.dtype, shape: windowOutputShape(x, attrs.filter, dim(x.shape, x.layout === 'NCHW' ? 1 : 3), attrs) }];
  },
  evaluate(attrs, inputs) {
    return [applyActivation(attrs.activation, maxPool2d(at(inputs, 0, 'MAX_POOL_2D input'), attrs))];
  },
  layout: 'spatial',
  coreml: lowerMaxPool2d,
  onnx(node, ctx) {
    requireNoActivation('onnx', node.name, node.attrs.activation);
    ctx.add('MaxPool', node.inputs, node.outputs, {
      kernel_shape: ints(node.attrs.filter),
      strides: ints(node.attrs.strides),
      pads: ints(node.attrs.pads),
    });
  },
};
