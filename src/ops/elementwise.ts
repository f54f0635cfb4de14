import type { AddOptions, MulOptions, SubOptions } from '../schema/tflite.js';
import type { Activation, OpDef } from './op-def.js';
import { applyActivation, at, broadcastShapes, input, readActivation, requireNoActivation } from './common.js';
import { add, logistic, maximum, minimum, mul, relu, relu6, sub } from '../runtimes/reference/kernels/index.js';
import type { Tensor } from '../runtimes/reference/kernels/tensor.js';
import type { CoremlLowering } from '../emit/coreml/lowering.js';
import { lowerArithmetic, lowerExtremum, lowerLogistic, lowerRelu, lowerRelu6 } from '../emit/coreml/layers/elementwise.js';

/**
 * Element-wise ops share one shape: NumPy broadcasting, no layout of their own. Binary ops
 * with a fused activation (ADD, SUB, MUL) carry it until `expandFusedActivation` splits it off.
 */
export interface FusedActivationAttrs {
  readonly activation: Activation;
}

type EmptyAttrs = Record<string, never>;

function binaryWithActivation<O extends { readonly fusedActivationFunction: number }>(
  optionsName: string,
  kernel: (a: Tensor, b: Tensor) => Tensor,
  onnxOp: string,
  coreml: CoremlLowering<FusedActivationAttrs>,
): OpDef<FusedActivationAttrs, O> {
  return {
    tfliteOptions: optionsName,
    fromTflite: (ctx) => ({ attrs: { activation: ctx.options ? readActivation(ctx, ctx.options.fusedActivationFunction) : 'NONE' } }),
    inferOutputs: (_attrs, inputs) => {
      const a = input(inputs, 0, onnxOp);
      return [{ dtype: a.dtype, shape: broadcastShapes(a.shape, input(inputs, 1, onnxOp).shape) }];
    },
    evaluate: (attrs, inputs) => [applyActivation(attrs.activation, kernel(at(inputs, 0, onnxOp), at(inputs, 1, onnxOp)))],
    layout: 'elementwise',
    coreml,
    onnx(node, ctx) {
      requireNoActivation('onnx', node.name, node.attrs.activation);
      ctx.add(onnxOp, node.inputs, node.outputs);
    },
  };
}

function binary(kernel: (a: Tensor, b: Tensor) => Tensor, onnxOp: string, coreml: CoremlLowering<EmptyAttrs>): OpDef<EmptyAttrs> {
  return {
    tfliteOptions: null,
    fromTflite: () => ({ attrs: {} }),
    inferOutputs: (_attrs, inputs) => {
      const a = input(inputs, 0, onnxOp);
      return [{ dtype: a.dtype, shape: broadcastShapes(a.shape, input(inputs, 1, onnxOp).shape) }];
    },
    evaluate: (_attrs, inputs) => [kernel(at(inputs, 0, onnxOp), at(inputs, 1, onnxOp))],
    layout: 'elementwise',
    coreml,
    onnx: (node, ctx) => ctx.add(onnxOp, node.inputs, node.outputs),
  };
}

function unary(kernel: (x: Tensor) => Tensor, onnxOp: string, coreml: CoremlLowering<EmptyAttrs>): OpDef<EmptyAttrs> {
  return {
    tfliteOptions: null,
    fromTflite: () => ({ attrs: {} }),
    inferOutputs: (_attrs, inputs) => {
      const x = input(inputs, 0, onnxOp);
      return [{ dtype: x.dtype, shape: x.shape }];
    },
    evaluate: (_attrs, inputs) => [kernel(at(inputs, 0, onnxOp))],
    layout: 'elementwise',
    coreml,
    onnx: (node, ctx) => ctx.add(onnxOp, node.inputs, node.outputs),
  };
}

export const ADD = binaryWithActivation<AddOptions>('AddOptions', add, 'Add', lowerArithmetic('add'));
export const SUB = binaryWithActivation<SubOptions>('SubOptions', sub, 'Sub', lowerArithmetic('sub'));
export const MUL = binaryWithActivation<MulOptions>('MulOptions', mul, 'Mul', lowerArithmetic('mul'));
export const MINIMUM = binary(minimum, 'Min', lowerExtremum('min'));
export const MAXIMUM = binary(maximum, 'Max', lowerExtremum('max'));
export const RELU = unary(relu, 'Relu', lowerRelu);
export const LOGISTIC = unary(logistic, 'Sigmoid', lowerLogistic);

/** ONNX has no Relu6; Clip takes its bounds as inputs from opset 11 on. */
export const RELU6: OpDef<EmptyAttrs> = {
  ...unary(relu6, 'Clip', lowerRelu6),
  onnx(node, ctx) {
    const low = ctx.constant(`${node.name}_min`, 'float32', [], new Float32Array([0]));
    const high = ctx.constant(`${node.name}_max`, 'float32', [], new Float32Array([6]));
    ctx.add('Clip', [at(node.inputs, 0, 'RELU6 input'), low, high], node.outputs);
  },
};
