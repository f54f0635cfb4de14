/**
 * The MIL operations (iOS 15 opset, CoreML5) this project writes and its executor runs, besides
 * `const`. The emitter may only emit these, and the executor's registry is a record over them,
 * so an op added on one side and not the other does not compile.
 */
export const MIL_OP_TYPES = [
  'add',
  'sub',
  'mul',
  'real_div',
  'maximum',
  'minimum',
  'relu',
  'abs',
  'sigmoid',
  'tanh',
  'clip',
  'conv',
  'max_pool',
  'reshape',
  'transpose',
  'concat',
  'pad',
  'depth_to_space',
  'resize_bilinear',
  'upsample_bilinear',
  'matmul',
  'cast',
  'reduce_mean',
  'slice_by_index',
] as const;

export type MilOpType = (typeof MIL_OP_TYPES)[number];

export function isMilOpType(type: string): type is MilOpType {
  return (MIL_OP_TYPES as readonly string[]).includes(type);
}
