import { elementCount } from '../ir/graph.js';
import type { FusedActivationAttrs, NoAttrs, OpType } from '../ir/attrs.js';
import { dim } from '../ir/shape-util.js';
import { resolveStridedSlice } from './strided-slice.js';
import { reader, readActivation, readConvWindow, readPadding, resolvePads, type FromTflite, type TfliteOpContext, type TfliteReader } from './op-context.js';

const noAttrs = (): { attrs: NoAttrs } => ({ attrs: {} });

function withActivation(name: 'AddOptions' | 'SubOptions' | 'MulOptions'): (ctx: TfliteOpContext) => FromTflite<FusedActivationAttrs> {
  return (ctx) => {
    const o = ctx.optionalOptions(name);
    return { attrs: { activation: o ? readActivation(ctx, o.fusedActivationFunction) : 'NONE' } };
  };
}

/**
 * How each op's attributes come out of a TFLite operator. Which options table an op carries and
 * which of its fields are read or refused is in the op table (`ir/op-table.ts`); the graph
 * builder checks those before a reader runs.
 */
export const TFLITE_READERS: { readonly [K in OpType]: TfliteReader<K> } = {
  CONV_2D: reader('CONV_2D', (ctx) => {
    const o = ctx.options('Conv2DOptions');
    const [x, w] = [ctx.input(0), ctx.input(1)];
    return { attrs: readConvWindow(ctx, o, x.shape, [dim(w.shape, 1), dim(w.shape, 2)]) };
  }),
  DEPTHWISE_CONV_2D: reader('DEPTHWISE_CONV_2D', (ctx) => {
    const o = ctx.options('DepthwiseConv2DOptions');
    const [x, w] = [ctx.input(0), ctx.input(1)];
    const depthMultiplier = dim(w.shape, 3) / dim(x.shape, 3);
    if (!Number.isInteger(depthMultiplier)) ctx.unsupported(`kernel channels ${dim(w.shape, 3)} are not a multiple of input channels ${dim(x.shape, 3)}`);
    return { attrs: { ...readConvWindow(ctx, o, x.shape, [dim(w.shape, 1), dim(w.shape, 2)]), depthMultiplier } };
  }),
  MAX_POOL_2D: reader('MAX_POOL_2D', (ctx) => {
    const o = ctx.options('Pool2DOptions');
    const x = ctx.input(0);
    const filter = [o.filterHeight, o.filterWidth] as const;
    const strides = [o.strideH, o.strideW] as const;
    const padding = readPadding(ctx, o.padding);
    return {
      attrs: {
        padding,
        pads: resolvePads(padding, x.shape, filter, strides, [1, 1]),
        filter,
        strides,
        activation: readActivation(ctx, o.fusedActivationFunction),
      },
    };
  }),
  ADD: reader('ADD', withActivation('AddOptions')),
  SUB: reader('SUB', withActivation('SubOptions')),
  MUL: reader('MUL', withActivation('MulOptions')),
  MINIMUM: reader('MINIMUM', noAttrs),
  MAXIMUM: reader('MAXIMUM', noAttrs),
  RELU: reader('RELU', noAttrs),
  RELU6: reader('RELU6', noAttrs),
  LOGISTIC: reader('LOGISTIC', noAttrs),
  RESHAPE: reader('RESHAPE', (ctx) => {
    const x = ctx.input(0);
    const out = ctx.outputs[0];
    if (!out) return ctx.unsupported('expects one input and one output');
    const requested = ctx.inputs[1] ? ctx.constantInts(1, 'shape') : Array.from(ctx.optionalOptions('ReshapeOptions')?.newShape ?? out.shape);
    const known = requested.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const shape = requested.map((d) => (d === -1 ? elementCount(x.shape) / known : d));
    if (elementCount(shape) !== elementCount(x.shape)) ctx.unsupported(`cannot reshape [${x.shape.join(',')}] to [${requested.join(',')}]`);
    return { attrs: { shape }, keep: [0] };
  }),
  CONCATENATION: reader('CONCATENATION', (ctx) => {
    const o = ctx.options('ConcatenationOptions');
    const x = ctx.input(0);
    const axis = o.axis < 0 ? o.axis + x.shape.length : o.axis;
    if (axis < 0 || axis >= x.shape.length) ctx.unsupported(`axis ${o.axis} out of range for rank ${x.shape.length}`);
    return { attrs: { axis, activation: readActivation(ctx, o.fusedActivationFunction) } };
  }),
  PAD: reader('PAD', (ctx) => {
    const x = ctx.input(0);
    const flat = ctx.constantInts(1, 'paddings');
    if (flat.length !== 2 * x.shape.length) ctx.unsupported(`paddings has ${flat.length} values for rank ${x.shape.length}`);
    const paddings = x.shape.map((_, i) => [flat[2 * i] ?? 0, flat[2 * i + 1] ?? 0] as const);
    if (paddings.some(([b, a]) => b < 0 || a < 0)) ctx.unsupported('negative padding');
    return { attrs: { paddings }, keep: [0] };
  }),
  TRANSPOSE: reader('TRANSPOSE', (ctx) => {
    const x = ctx.input(0);
    const perm = ctx.constantInts(1, 'perm');
    if ([...perm].sort().join() !== x.shape.map((_, i) => i).join()) ctx.unsupported(`perm [${perm.join(',')}] is not a permutation of rank ${x.shape.length}`);
    return { attrs: { perm }, keep: [0] };
  }),
  DEPTH_TO_SPACE: reader('DEPTH_TO_SPACE', (ctx) => {
    const o = ctx.options('DepthToSpaceOptions');
    const x = ctx.input(0);
    if (o.blockSize < 1 || dim(x.shape, 3) % (o.blockSize * o.blockSize) !== 0)
      ctx.unsupported(`block size ${o.blockSize} does not divide ${dim(x.shape, 3)} channels`);
    return { attrs: { blockSize: o.blockSize } };
  }),
  RESIZE_BILINEAR: reader('RESIZE_BILINEAR', (ctx) => {
    const o = ctx.options('ResizeBilinearOptions');
    const size = ctx.constantInts(1, 'size');
    const [h, w] = size;
    if (size.length !== 2 || h === undefined || w === undefined || h < 1 || w < 1) return ctx.unsupported(`size [${size.join(',')}] is not [height, width]`);
    if (o.alignCorners && o.halfPixelCenters) ctx.unsupported('align_corners and half_pixel_centers together');
    return { attrs: { size: [h, w], alignCorners: o.alignCorners, halfPixelCenters: o.halfPixelCenters }, keep: [0] };
  }),
  DEQUANTIZE: reader('DEQUANTIZE', (ctx) => {
    const x = ctx.input(0);
    if (x.dtype !== 'float16') ctx.unsupported(`only float16 inputs are supported, found ${x.dtype}`);
    return noAttrs();
  }),
  DENSIFY: reader('DENSIFY', (ctx) => {
    if (!ctx.inputs[0]?.sparsity) return ctx.unsupported('input is not a sparse constant');
    return noAttrs();
  }),
  CAST: reader('CAST', (ctx) => {
    const out = ctx.outputs[0];
    if (!out) return ctx.unsupported('expects an output');
    return { attrs: { to: out.dtype } };
  }),
  BATCH_MATMUL: reader('BATCH_MATMUL', (ctx) => {
    const o = ctx.optionalOptions('BatchMatMulOptions');
    return { attrs: { adjX: o?.adjX ?? false, adjY: o?.adjY ?? false } };
  }),
  PRELU: reader('PRELU', noAttrs),
  MEAN: reader('MEAN', (ctx) => {
    const x = ctx.input(0);
    const o = ctx.optionalOptions('ReducerOptions');
    const axes = [...new Set(ctx.constantInts(1, 'axis').map((a) => (a < 0 ? a + x.shape.length : a)))].sort((a, b) => a - b);
    if (axes.some((a) => a < 0 || a >= x.shape.length))
      ctx.unsupported(`axes [${ctx.constantInts(1, 'axis').join(',')}] out of range for rank ${x.shape.length}`);
    return { attrs: { axes, keepDims: o?.keepDims ?? false }, keep: [0] };
  }),
  FULLY_CONNECTED: reader('FULLY_CONNECTED', (ctx) => {
    const o = ctx.options('FullyConnectedOptions');
    const w = ctx.input(1);
    if (w.shape.length !== 2) ctx.unsupported(`weights [${w.shape.join(',')}] are not [outputs, depth]`);
    return { attrs: { keepNumDims: o.keepNumDims, activation: readActivation(ctx, o.fusedActivationFunction) } };
  }),
  STRIDED_SLICE: reader('STRIDED_SLICE', (ctx) => {
    const o = ctx.options('StridedSliceOptions');
    const x = ctx.input(0);
    const resolved = resolveStridedSlice(x.shape, ctx.constantInts(1, 'begin'), ctx.constantInts(2, 'end'), ctx.constantInts(3, 'strides'), o);
    if (typeof resolved === 'string') return ctx.unsupported(resolved);
    if (resolved.shape.some((d) => d === 0)) ctx.unsupported(`the slice of [${x.shape.join(',')}] is empty`);
    return { attrs: resolved, keep: [0] };
  }),
};
