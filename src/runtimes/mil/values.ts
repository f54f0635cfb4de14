/**
 * MIL types and compile-time values as executor tensors. A value is read only if its type is a
 * tensor of known shape and an element type the executor has (fp16, fp32, int32, bool, string),
 * and its elements are in the field MIL reads for that type: floats for fp32, ints for int32,
 * bools, strings, and little-endian bytes for fp16; or in the weight file, as a blob whose type
 * and size match.
 */
import { blobAt, type BlobEntry } from '../../coreml/blob-storage.js';
import type { MILSpec } from '../../coreml/types.js';
import { typedArrayFromBytes } from '../../ir/dtype.js';
import { CoremlError } from '../../ir/errors.js';
import { halvesToFloats } from '../../ir/float16.js';
import { sizeOf, type MilDType, type MilTensor } from './tensor.js';

export interface TensorSpec {
  readonly dtype: MilDType;
  /** Dimensions; null where the program leaves one unknown. */
  readonly shape: readonly (number | null)[];
}

const DTYPES: Readonly<Record<string, MilDType>> = { FLOAT16: 'fp16', FLOAT32: 'fp32', INT32: 'int32', BOOL: 'bool', STRING: 'string' };

/** The weight files of the package, by the name programs use for them. */
export type WeightFiles = ReadonlyMap<string, { readonly path: string; readonly blobs: ReadonlyMap<number, BlobEntry> }>;

export function tensorSpec(type: MILSpec.ValueType | undefined, where: string, file: string): TensorSpec {
  const t = type?.tensorType;
  if (!t) throw new CoremlError(where, `only tensor types are implemented, got ${Object.keys(type ?? {}).join(', ') || 'no type'}`, file);
  if (t.attributes && Object.keys(t.attributes).length > 0) throw new CoremlError(where, 'tensor type attributes are not implemented', file);
  const dtype = typeof t.dataType === 'string' ? DTYPES[t.dataType] : undefined;
  if (!dtype)
    throw new CoremlError(where, `element type ${String(t.dataType ?? 'UNUSED_TYPE')} is not implemented (FLOAT16, FLOAT32, INT32, BOOL, STRING)`, file);
  const rank = t.rank ?? 0;
  const dims = t.dimensions ?? [];
  if (rank < 0 || dims.length !== rank) throw new CoremlError(where, `rank ${rank} with ${dims.length} dimensions`, file);
  const shape = dims.map((d, i) => {
    if (d.constant) return d.constant.size ?? 0;
    if (d.unknown && !d.unknown.variadic) return null;
    throw new CoremlError(`${where} dimension ${i}`, 'must be a constant or an unknown (not variadic) size', file);
  });
  return { dtype, shape };
}

export function fitsSpec(tensor: MilTensor, spec: TensorSpec): boolean {
  return tensor.dtype === spec.dtype && tensor.shape.length === spec.shape.length && spec.shape.every((d, i) => d === null || d === tensor.shape[i]);
}

export function describeSpec(spec: TensorSpec): string {
  return `${spec.dtype} [${spec.shape.map((d) => d ?? '?').join(', ')}]`;
}

/** A compile-time value (const's val, or a value bound in place) as a tensor. */
export function readValue(value: MILSpec.Value, where: string, weights: WeightFiles, file: string): MilTensor {
  const spec = tensorSpec(value.type, `${where} type`, file);
  if (spec.shape.some((d) => d === null)) throw new CoremlError(where, 'a value needs a fully known shape', file);
  const shape = spec.shape as number[];
  const count = sizeOf(shape);
  if (value.blobFileValue) return blobValue(value.blobFileValue, spec.dtype, shape, count, where, weights, file);
  const tensor = value.immediateValue?.tensor;
  if (!tensor)
    throw new CoremlError(where, 'holds neither a tensor written in place nor a weight file reference (lists, tuples, dictionaries are not implemented)', file);
  const wrong = (field: string): never => {
    throw new CoremlError(where, `a ${spec.dtype} value must be in the ${field} field, got ${Object.keys(tensor).join(', ') || 'none'}`, file);
  };
  const checkCount = (n: number): void => {
    if (n !== count) throw new CoremlError(where, `shape [${shape.join(', ')}] holds ${count} elements, the value has ${n}`, file);
  };
  switch (spec.dtype) {
    case 'fp32': {
      const values = tensor.floats?.values ?? (count === 0 && tensor.floats ? [] : wrong('floats'));
      checkCount(values.length);
      return { dtype: 'fp32', shape, data: Float32Array.from(values) };
    }
    case 'fp16': {
      const bytes = tensor.bytes ? (tensor.bytes.values ?? new Uint8Array(0)) : wrong('bytes');
      checkCount(bytes.byteLength / 2);
      return { dtype: 'fp16', shape, data: halvesToFloats(typedArrayFromBytes('float16', bytes)) };
    }
    case 'int32': {
      const values = tensor.ints ? (tensor.ints.values ?? []) : wrong('ints');
      checkCount(values.length);
      return { dtype: 'int32', shape, data: Int32Array.from(values) };
    }
    case 'bool': {
      const values = tensor.bools ? (tensor.bools.values ?? []) : wrong('bools');
      checkCount(values.length);
      return { dtype: 'bool', shape, data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
    }
    case 'string': {
      const values = tensor.strings ? (tensor.strings.values ?? []) : wrong('strings');
      checkCount(values.length);
      return { dtype: 'string', shape, data: [...values] };
    }
  }
}

function blobValue(
  ref: MILSpec.Value.BlobFileValue,
  dtype: MilDType,
  shape: number[],
  count: number,
  where: string,
  weights: WeightFiles,
  file: string,
): MilTensor {
  const weightFile = weights.get(ref.fileName ?? '');
  if (!weightFile) throw new CoremlError(where, `names weight file ${JSON.stringify(ref.fileName ?? '')}, which the package does not hold`, file);
  const blob = blobAt(weightFile.blobs, ref.offset ?? 0, `${file}/${weightFile.path}`);
  const want = dtype === 'fp16' ? 'float16' : dtype === 'fp32' ? 'float32' : undefined;
  if (!want) throw new CoremlError(where, `a ${dtype} value in the weight file is not implemented`, file);
  if (blob.dataType !== want) throw new CoremlError(where, `is ${dtype}, the blob at offset ${blob.metadataOffset} holds ${blob.dataType}`, file);
  const bytesPer = want === 'float16' ? 2 : 4;
  if (blob.bytes.byteLength !== count * bytesPer) {
    throw new CoremlError(
      where,
      `shape [${shape.join(', ')}] needs ${count * bytesPer} bytes, the blob at offset ${blob.metadataOffset} has ${blob.bytes.byteLength}`,
      file,
    );
  }
  const data = want === 'float16' ? halvesToFloats(typedArrayFromBytes('float16', blob.bytes)) : typedArrayFromBytes('float32', blob.bytes);
  return { dtype, shape, data } as MilTensor;
}
