import type { OpAttrs, OpType } from '../../ir/attrs.js';
import type { NodeMap } from '../../ir/graph.js';
import type { MilLowering, MilLoweringContext } from './lowering.js';
import { lowerArithmetic, lowerExtremum, lowerRelu6, lowerUnary } from './ops/elementwise.js';
import { lowerBatchMatmul } from './ops/matmul.js';
import { lowerFullyConnected, lowerMean, lowerPrelu, lowerStridedSlice } from './ops/family.js';
import { refuseCast, refuseDensify, refuseDequantize } from './ops/refused.js';
import { lowerResizeBilinear } from './ops/resize.js';
import { lowerConcatenation, lowerDepthToSpace, lowerPad, lowerReshape, lowerTranspose } from './ops/shape.js';
import { lowerConv2d, lowerDepthwiseConv2d, lowerMaxPool2d } from './ops/window.js';

/** Each IR op's MIL operations, grouped by family in `ops/`. */
export const MIL_LOWERINGS: { readonly [K in OpType]: MilLowering<OpAttrs[K]> } = {
  CONV_2D: lowerConv2d,
  DEPTHWISE_CONV_2D: lowerDepthwiseConv2d,
  MAX_POOL_2D: lowerMaxPool2d,
  ADD: lowerArithmetic('add'),
  SUB: lowerArithmetic('sub'),
  MUL: lowerArithmetic('mul'),
  MINIMUM: lowerExtremum('minimum'),
  MAXIMUM: lowerExtremum('maximum'),
  RELU: lowerUnary('relu'),
  RELU6: lowerRelu6,
  LOGISTIC: lowerUnary('sigmoid'),
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
export function lowerToMil<K extends OpType>(node: NodeMap[K], ctx: MilLoweringContext): void {
  const lower: MilLowering<OpAttrs[K]> = MIL_LOWERINGS[node.op];
  lower(node, ctx);
}
