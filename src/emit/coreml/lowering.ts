import type { LoweredNode, Value } from '../../ir/graph.js';
import type { LayerKind, LayerParams, WeightParams } from '../../coreml/types.js';

/** The parameters of one Core ML layer: exactly one member of NeuralNetworkLayer's `layer` oneof. */
export type CoremlLayer = { [K in LayerKind]: { readonly [P in K]: LayerParams[K] } }[LayerKind];

/** What a lowering may do: add Core ML layers whose parameters it builds from the IR node. */
export interface CoremlLoweringContext {
  value(id: string): Value;
  /**
   * Adds a layer reading the blobs `inputs` and writing `outputs`; its name is derived from the
   * IR node's. A constant among `inputs` is produced by a loadConstantND layer first (once).
   */
  add(layer: CoremlLayer, inputs: readonly string[], outputs: readonly string[]): void;
  /** The float32 data of constant `id`; EmitError naming `what` when `id` is not a float32 constant. */
  constant(id: string, what: string): Float32Array;
  /** Parameter values as this model stores them: float32, or IEEE half floats with `fp16`. */
  weights(data: Float32Array): WeightParams;
  /** A fresh blob name for an intermediate result of a multi-layer lowering. */
  temp(hint: string): string;
}

export type CoremlLowering<A> = (node: LoweredNode<A>, ctx: CoremlLoweringContext) => void;

/** The largest finite float32: a bound that leaves every finite value alone (one-sided clip). */
export const FLOAT32_MAX = 3.4028234663852886e38;
