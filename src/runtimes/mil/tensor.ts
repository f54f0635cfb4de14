/**
 * The MIL executor's values: typed tensors, row-major. Float tensors of either precision keep
 * their elements in a Float32Array; a float16 tensor holds only values a half float can hold
 * (the executor rounds every float16 result, see execute.ts). A scalar has shape [].
 */
import { sizeOf } from '../tensor.js';

export { sizeOf } from '../tensor.js';

export type FloatType = 'fp16' | 'fp32';

export interface FloatTensor {
  readonly dtype: FloatType;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface IntTensor {
  readonly dtype: 'int32';
  readonly shape: readonly number[];
  readonly data: Int32Array;
}

export interface BoolTensor {
  readonly dtype: 'bool';
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

export interface StringTensor {
  readonly dtype: 'string';
  readonly shape: readonly number[];
  readonly data: readonly string[];
}

export type MilTensor = FloatTensor | IntTensor | BoolTensor | StringTensor;
export type MilDType = MilTensor['dtype'];

export function floatTensor(dtype: FloatType, shape: readonly number[], data: Float32Array = new Float32Array(sizeOf(shape))): FloatTensor {
  return { dtype, shape: [...shape], data };
}

export function isFloat(t: MilTensor): t is FloatTensor {
  return t.dtype === 'fp16' || t.dtype === 'fp32';
}
