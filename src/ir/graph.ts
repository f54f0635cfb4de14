import type { DType, AnyTypedArray } from './dtype.js';
import type { OpAttrs, OpType } from './attrs.js';

export type ValueId = string;
export type Shape = readonly number[];

/**
 * Dimension letters of a value, outermost first: 'NHWC' and 'NCHW' for activations,
 * 'OHWI'/'OIHW' for convolution kernels, '1HWC' for TFLite depthwise kernels. Values whose
 * axes carry no image meaning (biases, [1,N,16] heads) use a run of '?' of their rank.
 */
export type Layout = string;

/** Compressed storage of a TFLite sparse constant, kept until the DENSIFY fold expands it. */
export interface Sparsity {
  readonly traversalOrder: readonly number[];
  readonly blockMap: readonly number[];
  readonly dimMetadata: readonly DimensionMetadata[];
}

export type DimensionMetadata =
  | { readonly format: 'DENSE'; readonly denseSize: number }
  | {
      readonly format: 'SPARSE_CSR';
      readonly arraySegments: Int32Array | Uint16Array | Uint8Array;
      readonly arrayIndices: Int32Array | Uint16Array | Uint8Array;
    };

export interface Value {
  readonly id: ValueId;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly layout: Layout;
  /** Present for constants. For a sparse constant it holds the compressed values only. */
  readonly data?: AnyTypedArray;
  readonly sparsity?: Sparsity;
  /** Index of the TFLite tensor this value came from, if any. */
  readonly tfliteTensor?: number;
  /** The value this one is a channel-widened copy of: its real channels first, zeros after. */
  readonly widenedFrom?: ValueId;
}

export interface Node<K extends OpType = OpType> {
  readonly op: K;
  /** Unique, stable name: used for ONNX node names and for per-layer reports. */
  readonly name: string;
  readonly inputs: readonly ValueId[];
  readonly outputs: readonly ValueId[];
  readonly attrs: OpAttrs[K];
  /** Index of the TFLite operator this node came from, if any. */
  readonly tfliteOperator?: number;
}

export type NodeMap = { [K in OpType]: Node<K> };

/** The part of a node a per-op function of a stage sees, typed by its op's attributes. */
export interface LoweredNode<A> {
  readonly name: string;
  readonly inputs: readonly ValueId[];
  readonly outputs: readonly ValueId[];
  readonly attrs: A;
}

/**
 * Any node, with `op` narrowing `attrs` in a switch. A per-stage registry dispatches on it through
 * a generic `<K extends OpType>(node: NodeMap[K])`, where TypeScript pairs the node with its
 * registry entry without a cast.
 */
export type AnyNode = NodeMap[OpType];

export interface GraphMeta {
  /** File the graph was read from (for error messages and metadata). */
  readonly file: string;
  readonly description?: string;
}

export interface Graph {
  readonly values: ReadonlyMap<ValueId, Value>;
  readonly nodes: readonly AnyNode[];
  readonly inputs: readonly ValueId[];
  readonly outputs: readonly ValueId[];
  readonly meta: GraphMeta;
}

export function isConstant(value: Value): boolean {
  return value.data !== undefined;
}

export function getValue(graph: Graph, id: ValueId): Value {
  const value = graph.values.get(id);
  if (!value) throw new Error(`graph has no value ${id}`);
  return value;
}

export function elementCount(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function anyLayout(rank: number): Layout {
  return '?'.repeat(rank);
}
