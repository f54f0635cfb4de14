/**
 * Builds tiny TFLite files for per-op fixtures (STYLE.md item 13) with the generated
 * flatbuffer encoder: one float32 graph input, constant tensors with their buffers (float32,
 * float16 halves, int32, or sparse), a few operators, and the outputs. The real TFLite
 * runtime produces the expected tensors for these files, so nothing here computes results;
 * the sparse encoder below is written from TFLite's format description, independently of
 * `src/passes/densify.ts`, so the two can disagree.
 */
import {
  BuiltinOperator,
  DimensionType,
  encodeModel,
  TensorType,
  type BufferInit,
  type BuiltinOptionsInit,
  type DimensionMetadataInit,
  type OperatorCodeInit,
  type OperatorInit,
  type SparseIndexVectorInit,
  type SparsityParametersInit,
  type TensorInit,
} from '../../src/schema/tflite.js';
import { seeded } from '../runtimes/reference/kernels/seeded.js';

export type OpName = keyof typeof BuiltinOperator;

/** Index of a tensor in the model being built. */
export type TensorRef = number;

/** A constant tensor's data. Float16 data is given as raw half bit patterns. */
export type ConstantData =
  | { readonly dtype: 'float32'; readonly data: ArrayLike<number> }
  | { readonly dtype: 'float16'; readonly halves: ArrayLike<number> }
  | { readonly dtype: 'int32'; readonly data: ArrayLike<number> }
  | { readonly dtype: 'sparse'; readonly sparse: SparseTensor };

/** A sparse constant as TFLite stores it: the kept values plus SparsityParameters. */
export interface SparseTensor {
  readonly valueType: 'float32' | 'float16';
  /** Kept values in traversal order (half bit patterns for float16). */
  readonly values: ArrayLike<number>;
  readonly sparsity: SparsityParametersInit;
}

const TYPE_CODE = { float32: TensorType.FLOAT32, float16: TensorType.FLOAT16, int32: TensorType.INT32 } as const;

/** Builds one subgraph; tensors, buffers and operator codes are appended as they are declared. */
export class TfliteModelBuilder {
  private readonly tensors: TensorInit[] = [];
  private readonly buffers: BufferInit[] = [{}]; // buffer 0: the empty sentinel
  private readonly operators: OperatorInit[] = [];
  private readonly opCodes: OperatorCodeInit[] = [];
  private readonly opCodeIndex = new Map<OpName, number>();
  private readonly inputs: TensorRef[] = [];
  private readonly outputs: TensorRef[] = [];
  private readonly shapes: (readonly number[])[] = [];

  /** The float32 graph input (the runtime wrapper accepts exactly one). */
  input(name: string, shape: readonly number[]): TensorRef {
    const ref = this.activation(name, shape);
    this.inputs.push(ref);
    return ref;
  }

  constant(name: string, shape: readonly number[], constant: ConstantData): TensorRef {
    const count = shape.reduce((a, b) => a * b, 1);
    let type: number;
    let bytes: Uint8Array;
    let sparsity: SparsityParametersInit | undefined;
    switch (constant.dtype) {
      case 'float32':
        type = TensorType.FLOAT32;
        bytes = leBytes(Float32Array.from(constant.data));
        break;
      case 'float16':
        type = TensorType.FLOAT16;
        bytes = leBytes(Uint16Array.from(constant.halves));
        break;
      case 'int32':
        type = TensorType.INT32;
        bytes = leBytes(Int32Array.from(constant.data));
        break;
      case 'sparse': {
        const { valueType, values } = constant.sparse;
        type = TYPE_CODE[valueType];
        bytes = leBytes(valueType === 'float32' ? Float32Array.from(values) : Uint16Array.from(values));
        sparsity = constant.sparse.sparsity;
        break;
      }
    }
    const length = constant.dtype === 'float16' ? constant.halves.length : constant.dtype === 'sparse' ? undefined : constant.data.length;
    if (length !== undefined && length !== count) throw new Error(`constant ${name}: ${length} values for shape [${shape.join(',')}]`);
    this.buffers.push({ data: bytes });
    return this.addTensor({ name, shape: [...shape], type, buffer: this.buffers.length - 1, ...(sparsity ? { sparsity } : {}) }, shape);
  }

  /** Appends an operator writing one new float32 (or `outputType`) tensor; returns it. */
  op(
    op: OpName,
    inputs: readonly TensorRef[],
    output: { readonly name: string; readonly shape: readonly number[]; readonly type?: 'float32' | 'float16' },
    options?: BuiltinOptionsInit,
  ): TensorRef {
    const out = this.activation(output.name, output.shape, TYPE_CODE[output.type ?? 'float32']);
    this.operators.push({ opcodeIndex: this.opcode(op), inputs: [...inputs], outputs: [out], ...(options ? { builtinOptions: options } : {}) });
    return out;
  }

  output(ref: TensorRef): void {
    this.outputs.push(ref);
  }

  shapeOf(ref: TensorRef): readonly number[] {
    const shape = this.shapes[ref];
    if (!shape) throw new Error(`no tensor ${ref}`);
    return shape;
  }

  finish(description = 'one-op fixture'): Uint8Array {
    return encodeModel({
      version: 3,
      description,
      operatorCodes: this.opCodes,
      subgraphs: [{ name: 'main', tensors: this.tensors, inputs: this.inputs, outputs: this.outputs, operators: this.operators }],
      buffers: this.buffers,
    });
  }

  private activation(name: string, shape: readonly number[], type: number = TensorType.FLOAT32): TensorRef {
    return this.addTensor({ name, shape: [...shape], type, buffer: 0 }, shape);
  }

  private addTensor(tensor: TensorInit, shape: readonly number[]): TensorRef {
    this.tensors.push(tensor);
    this.shapes.push(shape);
    return this.tensors.length - 1;
  }

  private opcode(op: OpName): number {
    const known = this.opCodeIndex.get(op);
    if (known !== undefined) return known;
    const code = BuiltinOperator[op];
    // Newer writers set both fields, the byte clamped at 127 (PLACEHOLDER_FOR_GREATER_OP_CODES).
    this.opCodes.push({ deprecatedBuiltinCode: Math.min(code, 127), builtinCode: code, version: 1 });
    this.opCodeIndex.set(op, this.opCodes.length - 1);
    return this.opCodes.length - 1;
  }
}

export interface OneOpSpec {
  readonly op: OpName;
  readonly input: readonly number[];
  /** Constant inputs after the activation, in operator input order. */
  readonly constants?: readonly { readonly shape: readonly number[]; readonly data: ConstantData }[];
  readonly output: readonly number[];
  readonly options?: BuiltinOptionsInit;
}

/** `input` → op(input, ...constants) → `output`: the plain one-op file. */
export function oneOpModel(spec: OneOpSpec): Uint8Array {
  const m = new TfliteModelBuilder();
  const x = m.input('input', spec.input);
  const constants = (spec.constants ?? []).map((c, i) => m.constant(`${spec.op.toLowerCase()}_const${i}`, c.shape, c.data));
  m.output(m.op(spec.op, [x, ...constants], { name: 'output', shape: spec.output }, spec.options));
  return m.finish(`one-op fixture: ${spec.op}`);
}

function leBytes(array: Float32Array | Uint16Array | Int32Array): Uint8Array {
  // Typed arrays are little-endian on every platform Node runs on; copy to own the bytes.
  return new Uint8Array(array.buffer.slice(array.byteOffset, array.byteOffset + array.byteLength));
}

/** Deterministic values in [-scale, scale) from a seed (the kernels' mulberry32 generator). */
export function seededFloats(count: number, seed: number, scale = 1): Float32Array {
  return seeded(count, seed).map((v) => v * scale);
}

/**
 * Random normal float16 bit patterns with magnitudes in [2^-6, 2): sign, exponent and
 * mantissa drawn directly, so no float-to-half rounding is involved.
 */
export function seededHalves(count: number, seed: number): Uint16Array {
  const u = seededFloats(count * 3, seed);
  return Uint16Array.from({ length: count }, (_, i) => {
    const sign = (u[3 * i] as number) < 0 ? 0x8000 : 0;
    const exponent = 15 - 6 + Math.floor((((u[3 * i + 1] as number) + 1) / 2) * 7); // biased 9..15
    const mantissa = Math.floor((((u[3 * i + 2] as number) + 1) / 2) * 1024) & 0x3ff;
    return sign | (exponent << 10) | mantissa;
  });
}

/** Sets `fraction` of the entries to zero (deterministically), for sparse kernels. */
export function withZeros(data: Float32Array, fraction: number, seed: number): Float32Array {
  const u = seededFloats(data.length, seed);
  return data.map((v, i) => (((u[i] as number) + 1) / 2 < fraction ? 0 : v));
}

export type IndexType = 'uint8' | 'uint16' | 'int32';

export interface SparseLayout {
  /** Storage per traversal level: 'dense' or 'csr'. Default: CSR on the last dense dimension's level, the rest (block levels included) DENSE. */
  readonly formats?: readonly ('dense' | 'csr')[];
  /** Default: identity over the dense dimensions, then the block dimensions in order. */
  readonly traversalOrder?: readonly number[];
  /** Dense dimension that each block dimension subdivides, with its block size. */
  readonly blocks?: readonly { readonly dim: number; readonly size: number }[];
  readonly indexType: IndexType;
}

/**
 * Encodes a dense row-major tensor in TFLite's sparse format (SparsityParameters): the
 * dense dimensions, blocked ones divided by their block size, then one dimension per block,
 * visited in `traversalOrder`; a DENSE level keeps every child, a SPARSE_CSR level keeps the
 * children whose subtree holds a non-zero, listing them per parent in array_segments /
 * array_indices. For float16 (half bit patterns) both +0 and -0 count as zero; a zero inside
 * a kept subtree (a DENSE level or a block) is stored as it is, sign included.
 */
export function encodeSparse(dense: ArrayLike<number>, shape: readonly number[], layout: SparseLayout, valueType: 'float32' | 'float16'): SparseTensor {
  const rank = shape.length;
  const blocks = layout.blocks ?? [];
  const levels = rank + blocks.length;
  const traversalOrder = layout.traversalOrder ?? [...Array(levels).keys()];
  const formats = layout.formats ?? traversalOrder.map((d) => (d === rank - 1 ? 'csr' : 'dense'));
  const blockSize = shape.map((_, d) => blocks.find((b) => b.dim === d)?.size ?? 1);
  // Extent of each expanded dimension: dense dims (divided by their block), then block dims.
  const extent = [...shape.map((n, d) => n / (blockSize[d] as number)), ...blocks.map((b) => b.size)];
  if (extent.some((e) => !Number.isInteger(e))) throw new Error('block size does not divide its dimension');
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const isZero = (v: number): boolean => (valueType === 'float16' ? (v & 0x7fff) === 0 : v === 0);

  /** Row-major offset of a full expanded coordinate (indexed by expanded dim). */
  const offsetOf = (coord: readonly number[]): number =>
    shape.reduce((sum, _, d) => {
      const blockIndex = blocks.findIndex((b) => b.dim === d);
      const inBlock = blockIndex < 0 ? 0 : (coord[rank + blockIndex] as number);
      return sum + ((coord[d] as number) * (blockSize[d] as number) + inBlock) * (strides[d] as number);
    }, 0);

  /** Whether any element below a node (coordinates fixed for the first `level` levels) is non-zero. */
  const subtreeNonZero = (level: number, coord: number[]): boolean => {
    if (level === levels) return !isZero(dense[offsetOf(coord)] as number);
    const d = traversalOrder[level] as number;
    for (let i = 0; i < (extent[d] as number); i++) {
      coord[d] = i;
      if (subtreeNonZero(level + 1, coord)) return true;
    }
    return false;
  };

  let nodes: number[][] = [new Array<number>(levels).fill(0)];
  const dimMetadata: DimensionMetadataInit[] = [];
  for (let level = 0; level < levels; level++) {
    const d = traversalOrder[level] as number;
    const size = extent[d] as number;
    const next: number[][] = [];
    if (formats[level] === 'dense') {
      for (const node of nodes) for (let i = 0; i < size; i++) next.push(node.map((c, j) => (j === d ? i : c)));
      dimMetadata.push({ format: DimensionType.DENSE, denseSize: size });
    } else {
      const segments = [0];
      const indices: number[] = [];
      for (const node of nodes) {
        for (let i = 0; i < size; i++) {
          const child = node.map((c, j) => (j === d ? i : c));
          if (subtreeNonZero(level + 1, [...child])) {
            next.push(child);
            indices.push(i);
          }
        }
        segments.push(indices.length);
      }
      dimMetadata.push({
        format: DimensionType.SPARSE_CSR,
        arraySegments: indexVector(segments, layout.indexType),
        arrayIndices: indexVector(indices, layout.indexType),
      });
    }
    nodes = next;
  }
  return {
    valueType,
    values: nodes.map((coord) => dense[offsetOf(coord)] as number),
    sparsity: { traversalOrder: [...traversalOrder], blockMap: blocks.map((b) => b.dim), dimMetadata },
  };
}

function indexVector(values: readonly number[], type: IndexType): SparseIndexVectorInit {
  const limit = { uint8: 0xff, uint16: 0xffff, int32: 0x7fffffff }[type];
  if (values.some((v) => v > limit)) throw new Error(`index ${Math.max(...values)} does not fit ${type}`);
  if (type === 'uint8') return { type: 'Uint8Vector', value: { values: Uint8Array.from(values) } };
  if (type === 'uint16') return { type: 'Uint16Vector', value: { values: Uint16Array.from(values) } };
  return { type: 'Int32Vector', value: { values: Int32Array.from(values) } };
}

/**
 * Float16 bit patterns that must decode exactly: signed zeros, the smallest and largest
 * subnormals of both signs, the smallest normal, one, and the largest finite half.
 */
export const SPECIAL_HALVES: readonly number[] = [0x0000, 0x8000, 0x0001, 0x8001, 0x03ff, 0x83ff, 0x0200, 0x0400, 0x3c00, 0x7bff];

/** Seeded halves with SPECIAL_HALVES written over every `every`-th entry (cycling through them). */
export function halvesWithSpecials(count: number, seed: number, every = 5): Uint16Array {
  const halves = seededHalves(count, seed);
  for (let i = 0, k = 0; i < count; i += every, k++) halves[i] = SPECIAL_HALVES[k % SPECIAL_HALVES.length] as number;
  return halves;
}
