import type { MilOpType } from '../../coreml/mil-ops.js';
import type { LoweredNode, Value, ValueId } from '../../ir/graph.js';

/**
 * What a lowering may do: add MIL operations for an IR node. Float tensors take the program's
 * precision (float16 or float32) throughout; integer, bool and string parameters are constants.
 */
export interface MilLoweringContext {
  value(id: ValueId): Value;
  /** The MIL name of IR value `id`; a constant becomes a `const` op the first time it is read. */
  ref(id: ValueId): string;
  /** A float constant in the program's precision. */
  floats(hint: string, data: Float32Array, shape: readonly number[]): string;
  /** A float scalar in the program's precision. */
  float(hint: string, value: number): string;
  /** An int32 constant: a vector by default, a scalar with shape []. */
  ints(hint: string, values: readonly number[], shape?: readonly number[]): string;
  int(hint: string, value: number): string;
  bool(hint: string, value: boolean): string;
  string(hint: string, value: string): string;
  /** Adds an op whose outputs are the IR values `outputs`, typed from their IR shapes. */
  op(type: MilOpType, inputs: Readonly<Record<string, string | readonly string[]>>, outputs: readonly ValueId[]): void;
  /**
   * A value of `shape` for an intermediate result of a multi-op lowering: an id `op` may
   * produce and `ref` may read, like an IR value's.
   */
  temp(hint: string, shape: readonly number[]): ValueId;
}

export type MilLowering<A> = (node: LoweredNode<A>, ctx: MilLoweringContext) => void;
