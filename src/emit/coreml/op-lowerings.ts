import type { OpAttrs, OpType } from '../../ir/attrs.js';
import type { NodeMap } from '../../ir/graph.js';
import type { CoremlLowering, CoremlLoweringContext } from './lowering.js';
import { lowerArithmetic, lowerExtremum, lowerLogistic, lowerRelu, lowerRelu6 } from './layers/elementwise.js';
import { lowerBatchMatmul, lowerFullyConnected } from './layers/matmul.js';
import { lowerPrelu } from './layers/prelu.js';
import { lowerMean } from './layers/reduce.js';
import { refuseCast, refuseDensify, refuseDequantize } from './layers/refused.js';
import { lowerResizeBilinear } from './layers/resize.js';
import { lowerConcatenation, lowerDepthToSpace, lowerPad, lowerReshape, lowerStridedSlice, lowerTranspose } from './layers/shape.js';
import { lowerConv2d, lowerDepthwiseConv2d, lowerMaxPool2d } from './layers/window.js';

/** Each op's Core ML NeuralNetwork layers, grouped by family in `layers/`. */
export const COREML_LOWERINGS: { readonly [K in OpType]: CoremlLowering<OpAttrs[K]> } = {
  CONV_2D: lowerConv2d,
  DEPTHWISE_CONV_2D: lowerDepthwiseConv2d,
  MAX_POOL_2D: lowerMaxPool2d,
  ADD: lowerArithmetic('add'),
  SUB: lowerArithmetic('sub'),
  MUL: lowerArithmetic('mul'),
  MINIMUM: lowerExtremum('min'),
  MAXIMUM: lowerExtremum('max'),
  RELU: lowerRelu,
  RELU6: lowerRelu6,
  LOGISTIC: lowerLogistic,
  RESHAPE: lowerReshape,
  CONCATENATION: lowerConcatenation,
  PAD: lowerPad,
  TRANSPOSE: lowerTranspose,
  DEPTH_TO_SPACE: lowerDepthToSpace,
  RESIZE_BILINEAR: lowerResizeBilinear,
  DEQUANTIZE: refuseDequantize,
  DENSIFY: refuseDensify,
  CAST: refuseCast,
  BATCH_MATMUL: lowerBatchMatmul,
  PRELU: lowerPrelu,
  MEAN: lowerMean,
  FULLY_CONNECTED: lowerFullyConnected,
  STRIDED_SLICE: lowerStridedSlice,
};

/** Lowers one node with its op's entry. */
export function lowerToCoreml<K extends OpType>(node: NodeMap[K], ctx: CoremlLoweringContext): void {
  const lower: CoremlLowering<OpAttrs[K]> = COREML_LOWERINGS[node.op];
  lower(node, ctx);
}
