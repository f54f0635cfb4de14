import type { Activation, FusedActivationAttrs, NoAttrs, OpAttrs, OpType } from '../../ir/attrs.js';
import { EmitError } from '../../ir/errors.js';
import type { NodeMap } from '../../ir/graph.js';
import { at } from '../../ir/shape-util.js';
import {
  add,
  batchMatMul,
  concatenation,
  conv2d,
  depthToSpace,
  depthwiseConv2d,
  fullyConnected,
  logistic,
  maximum,
  maxPool2d,
  mean,
  minimum,
  mul,
  pad,
  prelu,
  relu,
  relu6,
  reshape,
  resizeBilinear,
  stridedSlice,
  sub,
  transpose,
  type Tensor,
} from './kernels/index.js';
import type { ConvActivation } from './kernels/conv.js';

/** An op's plain NHWC semantics on float32 tensors, the same as TFLite's reference kernels. */
export type OpKernel<K extends OpType> = (attrs: OpAttrs[K], inputs: readonly Tensor[]) => readonly Tensor[];

/**
 * `x` is the fresh output of the op the activation is fused into, which nothing else holds, so
 * the activation overwrites it instead of allocating a second tensor of the same size.
 */
function applyActivation(activation: Activation, x: Tensor): Tensor {
  switch (activation) {
    case 'NONE':
      return x;
    case 'RELU':
      return relu(x, x.data);
    case 'RELU6':
      return relu6(x, x.data);
    default:
      throw new EmitError('reference', `fused activation ${activation} cannot be evaluated`);
  }
}

/** The convolutions apply RELU and RELU6 as they store their outputs. */
function convActivation(activation: Activation): ConvActivation {
  if (activation === 'NONE' || activation === 'RELU' || activation === 'RELU6') return activation;
  throw new EmitError('reference', `fused activation ${activation} cannot be evaluated`);
}

const binary =
  (kernel: (a: Tensor, b: Tensor) => Tensor, op: OpType): ((attrs: FusedActivationAttrs, inputs: readonly Tensor[]) => readonly Tensor[]) =>
  (attrs, inputs) => [applyActivation(attrs.activation, kernel(at(inputs, 0, op), at(inputs, 1, op)))];

const plainBinary =
  (kernel: (a: Tensor, b: Tensor) => Tensor, op: OpType): ((attrs: NoAttrs, inputs: readonly Tensor[]) => readonly Tensor[]) =>
  (_attrs, inputs) => [kernel(at(inputs, 0, op), at(inputs, 1, op))];

const unary =
  (kernel: (x: Tensor) => Tensor, op: OpType): ((attrs: NoAttrs, inputs: readonly Tensor[]) => readonly Tensor[]) =>
  (_attrs, inputs) => [kernel(at(inputs, 0, op))];

/** Reference tensors are float32 whatever the source type, so these ops are the identity there. */
const identity = (_attrs: NoAttrs, inputs: readonly Tensor[]): readonly Tensor[] => [at(inputs, 0, 'identity input')];

export const OP_KERNELS: { readonly [K in OpType]: OpKernel<K> } = {
  CONV_2D: (attrs, inputs) => [
    conv2d(at(inputs, 0, 'CONV_2D input'), at(inputs, 1, 'CONV_2D kernel'), inputs[2] ?? null, attrs, convActivation(attrs.activation)),
  ],
  DEPTHWISE_CONV_2D: (attrs, inputs) => [
    depthwiseConv2d(
      at(inputs, 0, 'DEPTHWISE_CONV_2D input'),
      at(inputs, 1, 'DEPTHWISE_CONV_2D kernel'),
      inputs[2] ?? null,
      attrs,
      convActivation(attrs.activation),
    ),
  ],
  MAX_POOL_2D: (attrs, inputs) => [applyActivation(attrs.activation, maxPool2d(at(inputs, 0, 'MAX_POOL_2D input'), attrs))],
  ADD: binary(add, 'ADD'),
  SUB: binary(sub, 'SUB'),
  MUL: binary(mul, 'MUL'),
  MINIMUM: plainBinary(minimum, 'MINIMUM'),
  MAXIMUM: plainBinary(maximum, 'MAXIMUM'),
  RELU: unary(relu, 'RELU'),
  RELU6: unary(relu6, 'RELU6'),
  LOGISTIC: unary(logistic, 'LOGISTIC'),
  RESHAPE: (attrs, inputs) => [reshape(at(inputs, 0, 'RESHAPE input'), attrs.shape)],
  CONCATENATION: (attrs, inputs) => [applyActivation(attrs.activation, concatenation(inputs, attrs.axis))],
  PAD: (attrs, inputs) => [pad(at(inputs, 0, 'PAD input'), attrs.paddings)],
  TRANSPOSE: (attrs, inputs) => [transpose(at(inputs, 0, 'TRANSPOSE input'), attrs.perm)],
  DEPTH_TO_SPACE: (attrs, inputs) => [depthToSpace(at(inputs, 0, 'DEPTH_TO_SPACE input'), attrs.blockSize)],
  RESIZE_BILINEAR: (attrs, inputs) => [resizeBilinear(at(inputs, 0, 'RESIZE_BILINEAR input'), attrs.size, attrs)],
  // Widening half to float is exact, and reference tensors are float32 already.
  DEQUANTIZE: identity,
  // Reference tensors are built dense from the constant.
  DENSIFY: identity,
  // Integer targets truncate; float targets keep the float32 value.
  CAST: (attrs, inputs) => {
    const x = at(inputs, 0, 'CAST input');
    return [attrs.to === 'float32' || attrs.to === 'float16' ? x : { shape: x.shape, data: x.data.map(Math.trunc) }];
  },
  BATCH_MATMUL: (attrs, inputs) => [batchMatMul(at(inputs, 0, 'BATCH_MATMUL a'), at(inputs, 1, 'BATCH_MATMUL b'), attrs)],
  PRELU: (_attrs, inputs) => [prelu(at(inputs, 0, 'PRELU input'), at(inputs, 1, 'PRELU alpha'))],
  MEAN: (attrs, inputs) => [mean(at(inputs, 0, 'MEAN input'), attrs.axes, attrs.keepDims)],
  FULLY_CONNECTED: (attrs, inputs) => [
    applyActivation(
      attrs.activation,
      fullyConnected(at(inputs, 0, 'FULLY_CONNECTED input'), at(inputs, 1, 'FULLY_CONNECTED weights'), inputs[2] ?? null, attrs),
    ),
  ],
  STRIDED_SLICE: (attrs, inputs) => [stridedSlice(at(inputs, 0, 'STRIDED_SLICE input'), attrs)],
};

/** Runs one node's kernel. */
export function evaluateNode<K extends OpType>(node: NodeMap[K], inputs: readonly Tensor[]): readonly Tensor[] {
  const kernel: OpKernel<K> = OP_KERNELS[node.op];
  return kernel(node.attrs, inputs);
}
