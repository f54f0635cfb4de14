import type { BuiltinOptionsValue } from '../schema/tflite.js';
import type { Node, Value } from '../ir/graph.js';
import type { Activation, ConvWindowAttrs, OpAttrs, OpType, PaddingMode, Pads } from '../ir/attrs.js';
import { isExpandableActivation } from '../ir/op-table.js';
import { dim, samePadding } from '../ir/shape-util.js';
import type { Shape } from '../ir/graph.js';

export type KnownOptions = Exclude<BuiltinOptionsValue, { readonly type: 'unknown' }>;
export type OptionsName = KnownOptions['type'];
type OptionsMap = { readonly [M in KnownOptions as M['type']]: M['value'] };
export type OptionsOf<T extends OptionsName> = OptionsMap[T];

/**
 * What the graph builder hands an op's reader when it turns a TFLite operator into a node.
 * `constantInts(i)` is the data of input i when it is a constant, which is how parameter inputs
 * (PAD paddings, RESHAPE shape, RESIZE size, TRANSPOSE perm) become attributes.
 */
export interface TfliteOpContext {
  readonly opName: OpType;
  readonly operatorIndex: number;
  readonly file: string;
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly Value[];
  /** The operator's options table, which must be `name` (the op table says which). */
  options<T extends OptionsName>(name: T): OptionsOf<T>;
  /** Like `options`, for ops whose options table may be absent. */
  optionalOptions<T extends OptionsName>(name: T): OptionsOf<T> | null;
  /** Input `index`, which must be present. */
  input(index: number): Value;
  constantInts(index: number, what: string): readonly number[];
  /** Throws UnsupportedOpError naming this operator. */
  unsupported(detail: string): never;
}

export interface FromTflite<A> {
  readonly attrs: A;
  /** Positions of the TFLite inputs the node keeps; the rest were folded into attrs. Default: every present input. */
  readonly keep?: readonly number[];
}

/** Makes the node named `name` of the operator `ctx` describes: its op type travels with its attrs, so it is one member of the node union. */
export type TfliteReader<K extends OpType> = (ctx: TfliteOpContext, name: string) => Node<K>;

/**
 * Tags a reader with its op type and makes its node. The node is written field by field: taking
 * `keep` off with a rest pattern and spreading the rest made every node a slow object to read,
 * and loading a model a sixth slower.
 */
export function reader<K extends OpType>(op: K, read: (ctx: TfliteOpContext) => FromTflite<OpAttrs[K]>): TfliteReader<K> {
  return (ctx, name) => {
    const { attrs, keep } = read(ctx);
    const inputs = (keep ?? ctx.inputs.map((_, i) => i)).flatMap((i) => (ctx.inputs[i] ? [ctx.inputs[i].id] : []));
    return { op, attrs, name, inputs, outputs: ctx.outputs.map((v) => v.id), tfliteOperator: ctx.operatorIndex };
  };
}

/** TFLite's ActivationFunctionType enum, by value. */
const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];

export function readActivation(ctx: TfliteOpContext, code: number): Activation {
  const activation = ACTIVATIONS[code];
  if (activation === undefined) return ctx.unsupported(`unknown fused activation ${code}`);
  if (activation !== 'NONE' && !isExpandableActivation(activation)) ctx.unsupported(`fused activation ${activation} is not supported`);
  return activation;
}

export function readPadding(ctx: TfliteOpContext, code: number): PaddingMode {
  if (code === 0) return 'SAME';
  if (code === 1) return 'VALID';
  return ctx.unsupported(`unknown padding ${code}`);
}

export function resolvePads(
  mode: PaddingMode,
  input: Shape,
  kernel: readonly [number, number],
  strides: readonly [number, number],
  dilations: readonly [number, number],
): Pads {
  if (mode === 'VALID') return [0, 0, 0, 0];
  const h = samePadding(dim(input, 1), kernel[0], strides[0], dilations[0]);
  const w = samePadding(dim(input, 2), kernel[1], strides[1], dilations[1]);
  return [h.before, w.before, h.after, w.after];
}

interface ConvWindowOptions {
  readonly padding: number;
  readonly strideW: number;
  readonly strideH: number;
  readonly dilationWFactor: number;
  readonly dilationHFactor: number;
  readonly fusedActivationFunction: number;
}

/** The window attributes of a convolution whose NHWC input is `input` and kernel is kh x kw. */
export function readConvWindow(ctx: TfliteOpContext, o: ConvWindowOptions, input: Shape, kernel: readonly [number, number]): ConvWindowAttrs {
  const strides = [o.strideH, o.strideW] as const;
  const dilations = [o.dilationHFactor, o.dilationWFactor] as const;
  const padding = readPadding(ctx, o.padding);
  return {
    padding,
    pads: resolvePads(padding, input, kernel, strides, dilations),
    strides,
    dilations,
    activation: readActivation(ctx, o.fusedActivationFunction),
  };
}
