import type { Shape, Value } from '../ir/graph.js';
import type { Activation, TfliteOpContext } from './op-def.js';
import { relu, relu6 } from '../runtimes/reference/kernels/activation.js';
import type { Tensor } from '../runtimes/reference/kernels/tensor.js';
import { samePadding } from '../runtimes/reference/kernels/padding.js';
import { EmitError, GraphError, LayoutError } from '../ir/errors.js';

/** TFLite's ActivationFunctionType enum, by value. */
const ACTIVATIONS: readonly Activation[] = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];

/** The fused activations the converter can make explicit; the others are refused when read. */
const SUPPORTED_ACTIVATIONS: ReadonlySet<Activation> = new Set(['NONE', 'RELU', 'RELU6']);

export function readActivation(ctx: TfliteOpContext<unknown>, code: number): Activation {
  const activation = ACTIVATIONS[code];
  if (activation === undefined) ctx.unsupported(`unknown fused activation ${code}`);
  if (!SUPPORTED_ACTIVATIONS.has(activation)) ctx.unsupported(`fused activation ${activation} is not supported`);
  return activation;
}

export function applyActivation(activation: Activation, x: Tensor): Tensor {
  switch (activation) {
    case 'NONE':
      return x;
    case 'RELU':
      return relu(x);
    case 'RELU6':
      return relu6(x);
    default:
      throw new EmitError('reference', `fused activation ${activation} cannot be evaluated`);
  }
}

/** Emitters run after `expandFusedActivation`; an op that still carries one was not lowered right. */
export function requireNoActivation(target: string, name: string, activation: Activation): void {
  if (activation !== 'NONE') {
    throw new EmitError(target, `node ${name} still has fused activation ${activation}; run expandFusedActivation first`);
  }
}

/** TFLite's Padding enum: SAME = 0, VALID = 1. */
export type PaddingMode = 'SAME' | 'VALID';

export function readPadding(ctx: TfliteOpContext<unknown>, code: number): PaddingMode {
  if (code === 0) return 'SAME';
  if (code === 1) return 'VALID';
  return ctx.unsupported(`unknown padding ${code}`);
}

/** Explicit [top, left, bottom, right] padding of a window op on an NHWC input. */
export type Pads = readonly [number, number, number, number];

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

export function windowOutputSize(size: number, kernel: number, stride: number, dilation: number, before: number, after: number): number {
  const effective = (kernel - 1) * dilation + 1;
  return Math.floor((size + before + after - effective) / stride) + 1;
}

export function dim(shape: Shape, axis: number): number {
  const d = shape[axis < 0 ? shape.length + axis : axis];
  if (d === undefined) throw new GraphError('shape', `axis ${axis} out of range for [${shape.join(',')}]`);
  return d;
}

/** Index of `value` among inputs, with a message naming the op when it is absent. */
export function input(inputs: readonly Value[], index: number, op: string): Value {
  const value = inputs[index];
  if (!value) throw new GraphError(op, `expects input ${index}`);
  return value;
}

export function at<T>(items: readonly T[], index: number, what: string): T {
  const item = items[index];
  if (item === undefined) throw new GraphError(what, `missing index ${index}`);
  return item;
}

/** NumPy broadcasting of two shapes. */
export function broadcastShapes(a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new GraphError('broadcast', `shapes [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Lowerings run after the layout pass; a value in any other layout means the pass was skipped. */
export function requireLayout(value: Value, layout: string): void {
  if (value.layout !== layout) throw new LayoutError(value.id, `expected layout ${layout}, found ${value.layout}`);
}

/** What CONV_2D and DEPTHWISE_CONV_2D share: their options tables name the window the same way. */
export interface ConvWindowAttrs {
  readonly padding: PaddingMode;
  readonly pads: Pads;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
  readonly activation: Activation;
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
export function readConvWindow(ctx: TfliteOpContext<unknown>, o: ConvWindowOptions, input: Shape, kernel: readonly [number, number]): ConvWindowAttrs {
  const strides = [o.strideH, o.strideW] as const;
  const dilations = [o.dilationHFactor, o.dilationWFactor] as const;
  const padding = readPadding(ctx, o.padding);
  return { padding, pads: resolvePads(padding, input, kernel, strides, dilations), strides, dilations, activation: readActivation(ctx, o.fusedActivationFunction) };
}

/** Output shape of a window op (convolution or pool) on an NHWC or NCHW input. */
export function windowOutputShape(
  x: Value,
  kernel: readonly [number, number],
  outChannels: number,
  attrs: { readonly pads: Pads; readonly strides: readonly [number, number]; readonly dilations?: readonly [number, number] },
): number[] {
  const nchw = x.layout === 'NCHW';
  const [t, l, b, r] = attrs.pads;
  const [dh, dw] = attrs.dilations ?? [1, 1];
  const h = windowOutputSize(dim(x.shape, nchw ? 2 : 1), kernel[0], attrs.strides[0], dh, t, b);
  const w = windowOutputSize(dim(x.shape, nchw ? 3 : 2), kernel[1], attrs.strides[1], dw, l, r);
  const n = dim(x.shape, 0);
  return nchw ? [n, outChannels, h, w] : [n, h, w, outChannels];
}
