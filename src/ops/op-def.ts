import type { DType } from '../ir/dtype.js';
import type { Shape, Value } from '../ir/graph.js';
import type { Tensor } from '../runtimes/reference/kernels/tensor.js';
import type { OnnxLowering } from '../emit/onnx/lowering.js';
import type { CoremlLowering } from '../emit/coreml/lowering.js';

/** TFLite's fused activation, as every op that carries one names it. */
export type Activation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';

/**
 * What the graph builder hands an op when it turns a TFLite operator into a node. `options`
 * is the decoded options table (null when the operator carries none); `constant(i)` is the
 * data of input i when it is a constant, which is how parameter inputs (PAD paddings,
 * RESHAPE shape, RESIZE size, TRANSPOSE perm) become attributes.
 */
export interface TfliteOpContext<O> {
  readonly opName: string;
  readonly operatorIndex: number;
  readonly file: string;
  readonly options: O | null;
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly Value[];
  constantInts(index: number, what: string): readonly number[];
  /** Throws UnsupportedOpError naming this operator. */
  unsupported(detail: string): never;
}

export interface FromTflite<A> {
  readonly attrs: A;
  /** Positions of the TFLite inputs the node keeps; the rest were folded into attrs. Default: every present input. */
  readonly keep?: readonly number[];
}

/**
 * How the layout pass treats an op when activations move from NHWC to NCHW:
 * - `spatial`: computes on image axes; runs on NCHW data, its weights are re-laid in the pass;
 * - `elementwise`: follows its inputs' layout; constant operands are re-laid to broadcast the same way;
 * - `axis`: follows its input's layout and remaps the axes its attributes name (`remapAxes`);
 * - `nhwc`: defined on NHWC element order (flattening, matmul); gets NHWC inputs back.
 */
export type LayoutKind = 'spatial' | 'elementwise' | 'axis' | 'nhwc';

export interface OutputInfo {
  readonly dtype: DType;
  readonly shape: Shape;
}

/**
 * Everything the converter knows about one TFLite op, in one place: how to read it, its
 * shape rule, its plain NHWC semantics, how the layout pass treats it, and its lowering to
 * each target. The registry (`registry.ts`) is a Record keyed by op name, so an op that is
 * missing a piece is a compile error rather than a runtime surprise.
 */
export interface OpDef<A, O = unknown> {
  /** `BuiltinOptions` union member the operator must carry, or null for none. */
  readonly tfliteOptions: string | null;
  fromTflite(ctx: TfliteOpContext<O>): FromTflite<A>;
  inferOutputs(attrs: A, inputs: readonly Value[]): readonly OutputInfo[];
  /** Reference semantics on NHWC float32 data, the same as TFLite's reference kernels. */
  evaluate(attrs: A, inputs: readonly Tensor[]): readonly Tensor[];
  readonly layout: LayoutKind;
  /** For `spatial` ops: constant input `position` re-laid for NCHW execution (kernels OHWI -> OIHW). */
  relayWeights?(value: Value, position: number): Value;
  /** For `axis` ops: the attrs after the input axes were permuted by `perm` (new axis i = old axis perm[i]). */
  remapAxes?(attrs: A, perm: readonly number[]): A;
  readonly onnx: OnnxLowering<A>;
  readonly coreml: CoremlLowering<A>;
}
