/**
 * Which function runs each layer kind. Typed as a record over every kind our schema declares,
 * so a layer type added to the schema without an executor is a compile error.
 */
import type { LayerKind, LayerParams } from '../../coreml/types.js';
import { activation, clip } from './activation.js';
import { concat, concatND, splitND, stack } from './concat.js';
import { loadConstant, loadConstantND } from './constant.js';
import { convolution } from './conv.js';
import { add, addBroadcastable, bias, divideBroadcastable, multiply, multiplyBroadcastable, scale, subtractBroadcastable } from './elementwise.js';
import type { LayerContext } from './layer-context.js';
import { batchedMatmul, innerProduct } from './matmul.js';
import { constantPad, padding } from './padding.js';
import { permute, transpose } from './permute.js';
import { pooling } from './pooling.js';
import { reduceMean } from './reduce.js';
import { reorganizeData } from './reorganize.js';
import { expandDims, flatten, reshape, reshapeStatic, squeeze } from './reshape.js';
import { slice, sliceStatic } from './slice.js';
import { softmax, softmaxND } from './softmax.js';
import type { Tensor } from './tensor.js';
import { unary } from './unary.js';
import { upsample } from './upsample.js';

export type LayerExecutor<K extends LayerKind> = (ctx: LayerContext, params: LayerParams[K], inputs: readonly Tensor[]) => Tensor[];

export const LAYER_EXECUTORS: { readonly [K in LayerKind]: LayerExecutor<K> } = {
  convolution,
  pooling,
  activation,
  innerProduct,
  softmax,
  padding,
  upsample,
  unary,
  add,
  multiply,
  scale,
  bias,
  loadConstant,
  reshape,
  flatten,
  permute,
  concat,
  reorganizeData,
  slice,
  clip,
  addBroadcastable,
  divideBroadcastable,
  multiplyBroadcastable,
  subtractBroadcastable,
  stack,
  softmaxND,
  splitND,
  concatND,
  transpose,
  sliceStatic,
  batchedMatmul,
  loadConstantND,
  squeeze,
  expandDims,
  reshapeStatic,
  constantPad,
  reduceMean,
};
