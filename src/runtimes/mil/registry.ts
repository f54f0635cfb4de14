/**
 * Which function runs each MIL op. A record over every op the project emits (src/coreml/mil-ops.ts),
 * so an op added there without an executor is a compile error. `const` is read by execute.ts.
 */
import type { MilOpType } from '../../coreml/mil-ops.js';
import type { MilOpExecutor } from './op-executor.js';
import { abs, clip, relu, sigmoid, tanh } from './ops/activation.js';
import { cast } from './ops/cast.js';
import { conv } from './ops/conv.js';
import { add, maximum, minimum, mul, realDiv, sub } from './ops/elementwise.js';
import { reduceMean, sliceByIndex } from './ops/family.js';
import { matmul } from './ops/linear.js';
import { maxPool } from './ops/pool.js';
import { depthToSpace } from './ops/reorganize.js';
import { resizeBilinear, upsampleBilinear } from './ops/resize.js';
import { concat, pad, reshape, transpose } from './ops/shape.js';

export const MIL_OPS: { readonly [K in MilOpType]: MilOpExecutor } = {
  add,
  sub,
  mul,
  real_div: realDiv,
  maximum,
  minimum,
  relu,
  abs,
  sigmoid,
  tanh,
  clip,
  conv,
  max_pool: maxPool,
  reshape,
  transpose,
  concat,
  pad,
  depth_to_space: depthToSpace,
  resize_bilinear: resizeBilinear,
  upsample_bilinear: upsampleBilinear,
  matmul,
  cast,
  reduce_mean: reduceMean,
  slice_by_index: sliceByIndex,
};
