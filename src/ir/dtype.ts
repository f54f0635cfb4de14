/**
 * The one dtype table. Each IR dtype is tied to its TypedArray at the type level and to the
 * numeric codes of every format we read or write, so no module keeps its own mapping.
 * The codes are plain numbers on purpose: this module must not import any format's schema.
 */
export interface DTypeArrays {
  float32: Float32Array;
  float16: Uint16Array;
  int32: Int32Array;
  int64: BigInt64Array;
  uint8: Uint8Array;
  int8: Int8Array;
  uint16: Uint16Array;
  int16: Int16Array;
}

export type DType = keyof DTypeArrays;
export type TypedArrayOf<D extends DType> = DTypeArrays[D];
export type AnyTypedArray = DTypeArrays[DType];

interface DTypeInfo<D extends DType> {
  readonly bytes: number;
  readonly create: (length: number) => TypedArrayOf<D>;
  /** Elements of host byte order over `length` elements of `buffer` from `byteOffset`, which must be aligned. */
  readonly view: (buffer: ArrayBufferLike, byteOffset: number, length: number) => TypedArrayOf<D>;
  /** TFLite `TensorType` enum value. */
  readonly tflite: number;
  /** ONNX `TensorProto.DataType` value. */
  readonly onnx: number;
  /** CoreML `ArrayFeatureType.ArrayDataType` value, where CoreML has the type. */
  readonly coreml?: number;
}

export const DTYPES: { readonly [D in DType]: DTypeInfo<D> } = {
  float32: { bytes: 4, create: (n) => new Float32Array(n), view: (b, o, n) => new Float32Array(b, o, n), tflite: 0, onnx: 1, coreml: 65568 },
  float16: { bytes: 2, create: (n) => new Uint16Array(n), view: (b, o, n) => new Uint16Array(b, o, n), tflite: 1, onnx: 10, coreml: 65552 },
  int32: { bytes: 4, create: (n) => new Int32Array(n), view: (b, o, n) => new Int32Array(b, o, n), tflite: 2, onnx: 6, coreml: 131104 },
  uint8: { bytes: 1, create: (n) => new Uint8Array(n), view: (b, o, n) => new Uint8Array(b, o, n), tflite: 3, onnx: 2 },
  int64: { bytes: 8, create: (n) => new BigInt64Array(n), view: (b, o, n) => new BigInt64Array(b, o, n), tflite: 4, onnx: 7 },
  int16: { bytes: 2, create: (n) => new Int16Array(n), view: (b, o, n) => new Int16Array(b, o, n), tflite: 7, onnx: 5 },
  int8: { bytes: 1, create: (n) => new Int8Array(n), view: (b, o, n) => new Int8Array(b, o, n), tflite: 9, onnx: 3 },
  uint16: { bytes: 2, create: (n) => new Uint16Array(n), view: (b, o, n) => new Uint16Array(b, o, n), tflite: 16, onnx: 4 },
};

export function dtypeFromTflite(code: number): DType | undefined {
  return (Object.keys(DTYPES) as DType[]).find((d) => DTYPES[d].tflite === code);
}

export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Reverses the bytes of each element in place (little- <-> big-endian). */
function swapElements(bytes: Uint8Array, size: number): Uint8Array {
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  return bytes;
}

/**
 * Little-endian bytes as a typed array of `dtype` without a copy, where the host is
 * little-endian and the bytes are aligned for the element size; else typedArrayFromBytes.
 * The result aliases `bytes` whenever it can: for data nobody writes (a model's constants).
 */
export function typedArrayOverBytes<D extends DType>(dtype: D, bytes: Uint8Array): TypedArrayOf<D> {
  const info: DTypeInfo<D> = DTYPES[dtype];
  if (HOST_IS_LITTLE_ENDIAN && bytes.byteOffset % info.bytes === 0) return info.view(bytes.buffer, bytes.byteOffset, bytes.byteLength / info.bytes);
  return typedArrayFromBytes(dtype, bytes);
}

/** Reinterprets little-endian bytes as a typed array of `dtype` (copying, so alignment never matters). */
export function typedArrayFromBytes<D extends DType>(dtype: D, bytes: Uint8Array): TypedArrayOf<D> {
  const info: DTypeInfo<D> = DTYPES[dtype];
  const out = info.create(bytes.byteLength / info.bytes);
  const target = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  target.set(bytes);
  if (!HOST_IS_LITTLE_ENDIAN && info.bytes > 1) swapElements(target, info.bytes);
  return out;
}

/**
 * The little-endian bytes of a typed array: a view on little-endian hosts (every platform
 * Node ships for today), a byte-swapped copy elsewhere.
 */
export function bytesOf(array: AnyTypedArray): Uint8Array {
  const view = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  if (HOST_IS_LITTLE_ENDIAN || array.BYTES_PER_ELEMENT === 1) return view;
  return swapElements(view.slice(), array.BYTES_PER_ELEMENT);
}
