import type { DType, AnyTypedArray } from '../../ir/dtype.js';
import type { LoweredNode, Value } from '../../ir/graph.js';

/** An ONNX attribute, typed by kind so no lowering passes an untyped value. */
export type OnnxAttr =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string };

export const int = (value: number): OnnxAttr => ({ kind: 'int', value });
export const ints = (value: readonly number[]): OnnxAttr => ({ kind: 'ints', value });
export const float = (value: number): OnnxAttr => ({ kind: 'float', value });
export const str = (value: string): OnnxAttr => ({ kind: 'string', value });

/** What a lowering may do: add ONNX nodes and constant initializers. */
export interface OnnxLoweringContext {
  readonly opset: number;
  value(id: string): Value;
  /** Adds an ONNX node; its name is derived from the IR node's name. */
  add(opType: string, inputs: readonly string[], outputs: readonly string[], attrs?: Readonly<Record<string, OnnxAttr>>): void;
  /** Adds an initializer and returns its name (unique, derived from `hint`). */
  constant(hint: string, dtype: DType, shape: readonly number[], data: AnyTypedArray): string;
  /** A fresh value name for intermediate results of a multi-node lowering. */
  temp(hint: string): string;
}

export type OnnxLowering<A> = (node: LoweredNode<A>, ctx: OnnxLoweringContext) => void;

/**
 * A convolution's inputs without its bias when the bias is a constant of zeros (every
 * depthwise bias in the BlazeFace models): ONNX Runtime then has nothing to add, about 1%
 * of the run time measured on short_range and back. The output is the same: x + 0 = x.
 */
export function withoutZeroBias(ctx: OnnxLoweringContext, inputs: readonly string[]): readonly string[] {
  const bias = inputs[2] === undefined ? undefined : ctx.value(inputs[2]);
  return bias?.data instanceof Float32Array && bias.data.every((v) => v === 0) ? inputs.slice(0, 2) : inputs;
}
