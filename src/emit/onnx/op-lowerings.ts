import type { FullyConnectedAttrs, FusedActivationAttrs, NoAttrs, OpAttrs, OpType, ResizeBilinearAttrs, StridedSliceAttrs } from '../../ir/attrs.js';
import { DTYPES } from '../../ir/dtype.js';
import { EmitError } from '../../ir/errors.js';
import type { LoweredNode, NodeMap } from '../../ir/graph.js';
import { at, dim, sliceCounts } from '../../ir/shape-util.js';
import { requireLayout, requireNoActivation } from '../lowering-checks.js';
import { int, ints, str, withoutZeroBias, type OnnxLowering, type OnnxLoweringContext } from './lowering.js';

function binary(onnxOp: string): OnnxLowering<FusedActivationAttrs> {
  return (node, ctx) => {
    requireNoActivation('onnx', node.name, node.attrs.activation);
    ctx.add(onnxOp, node.inputs, node.outputs);
  };
}

const plain =
  (onnxOp: string): OnnxLowering<NoAttrs> =>
  (node, ctx) =>
    ctx.add(onnxOp, node.inputs, node.outputs);

/**
 * The two TFLite flags pick ONNX's coordinate transform: half_pixel_centers is ONNX
 * `half_pixel` (both clamp the source index to the image), align_corners is `align_corners`,
 * neither is `asymmetric`.
 */
export function coordinateTransform(attrs: ResizeBilinearAttrs): string {
  if (attrs.alignCorners) return 'align_corners';
  return attrs.halfPixelCenters ? 'half_pixel' : 'asymmetric';
}

export const ONNX_LOWERINGS: { readonly [K in OpType]: OnnxLowering<OpAttrs[K]> } = {
  CONV_2D(node, ctx) {
    requireNoActivation('onnx', node.name, node.attrs.activation);
    const w = ctx.value(at(node.inputs, 1, 'CONV_2D kernel'));
    requireLayout(w, 'OIHW');
    const [t, l, b, r] = node.attrs.pads;
    ctx.add('Conv', withoutZeroBias(ctx, node.inputs), node.outputs, {
      kernel_shape: ints([dim(w.shape, 2), dim(w.shape, 3)]),
      strides: ints(node.attrs.strides),
      dilations: ints(node.attrs.dilations),
      pads: ints([t, l, b, r]),
    });
  },
  DEPTHWISE_CONV_2D(node, ctx) {
    requireNoActivation('onnx', node.name, node.attrs.activation);
    const x = ctx.value(at(node.inputs, 0, 'DEPTHWISE_CONV_2D input'));
    const w = ctx.value(at(node.inputs, 1, 'DEPTHWISE_CONV_2D kernel'));
    requireLayout(w, 'C1HW');
    ctx.add('Conv', withoutZeroBias(ctx, node.inputs), node.outputs, {
      group: int(dim(x.shape, 1)),
      kernel_shape: ints([dim(w.shape, 2), dim(w.shape, 3)]),
      strides: ints(node.attrs.strides),
      dilations: ints(node.attrs.dilations),
      pads: ints(node.attrs.pads),
    });
  },
  MAX_POOL_2D(node, ctx) {
    requireNoActivation('onnx', node.name, node.attrs.activation);
    ctx.add('MaxPool', node.inputs, node.outputs, {
      kernel_shape: ints(node.attrs.filter),
      strides: ints(node.attrs.strides),
      pads: ints(node.attrs.pads),
    });
  },
  ADD: binary('Add'),
  SUB: binary('Sub'),
  MUL: binary('Mul'),
  MINIMUM: (node, ctx) => lowerMinMax(node, ctx, 'Min'),
  MAXIMUM: (node, ctx) => lowerMinMax(node, ctx, 'Max'),
  RELU: plain('Relu'),
  // ONNX has no Relu6; Clip takes its bounds as inputs from opset 11 on.
  RELU6(node, ctx) {
    const low = ctx.constant(`${node.name}_min`, 'float32', [], new Float32Array([0]));
    const high = ctx.constant(`${node.name}_max`, 'float32', [], new Float32Array([6]));
    ctx.add('Clip', [at(node.inputs, 0, 'RELU6 input'), low, high], node.outputs);
  },
  LOGISTIC: plain('Sigmoid'),
  RESHAPE(node, ctx) {
    const shape = ctx.constant(`${node.name}_shape`, 'int64', [node.attrs.shape.length], BigInt64Array.from(node.attrs.shape, BigInt));
    ctx.add('Reshape', [at(node.inputs, 0, 'RESHAPE input'), shape], node.outputs);
  },
  CONCATENATION(node, ctx) {
    requireNoActivation('onnx', node.name, node.attrs.activation);
    ctx.add('Concat', node.inputs, node.outputs, { axis: int(node.attrs.axis) });
  },
  PAD: lowerPad,
  TRANSPOSE: (node, ctx) => ctx.add('Transpose', node.inputs, node.outputs, { perm: ints(node.attrs.perm) }),
  DEPTH_TO_SPACE: (node, ctx) => ctx.add('DepthToSpace', node.inputs, node.outputs, { blocksize: int(node.attrs.blockSize), mode: str('DCR') }),
  RESIZE_BILINEAR(node, ctx) {
    const out = ctx.value(at(node.outputs, 0, 'RESIZE_BILINEAR output'));
    const sizes = ctx.constant(`${node.name}_sizes`, 'int64', [4], BigInt64Array.from(out.shape, BigInt));
    ctx.add('Resize', [at(node.inputs, 0, 'RESIZE_BILINEAR input'), '', '', sizes], node.outputs, {
      mode: str('linear'),
      coordinate_transformation_mode: str(coordinateTransform(node.attrs)),
    });
  },
  // Only float16 constants are dequantized in these models, and `foldConstants` expands those; an fp16 activation is a Cast.
  DEQUANTIZE: (node, ctx) => ctx.add('Cast', node.inputs, node.outputs, { to: int(DTYPES.float32.onnx) }),
  DENSIFY(node) {
    throw new EmitError('onnx', `DENSIFY node ${node.name} was not folded into a dense constant`);
  },
  CAST: (node, ctx) => ctx.add('Cast', node.inputs, node.outputs, { to: int(DTYPES[node.attrs.to].onnx) }),
  BATCH_MATMUL(node, ctx) {
    const operands = node.inputs.map((id, i) => {
      if (!(i === 0 ? node.attrs.adjX : node.attrs.adjY)) return id;
      const rank = ctx.value(id).shape.length;
      const swapped = ctx.temp(`${id}_adj`);
      const perm = [...Array(rank).keys()];
      [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
      ctx.add('Transpose', [id], [swapped], { perm: ints(perm) });
      return swapped;
    });
    ctx.add('MatMul', operands, node.outputs);
  },
  PRELU: plain('PRelu'),
  MEAN: (node, ctx) => ctx.add('ReduceMean', node.inputs, node.outputs, { axes: ints(node.attrs.axes), keepdims: int(node.attrs.keepDims ? 1 : 0) }),
  FULLY_CONNECTED: lowerFullyConnected,
  STRIDED_SLICE: lowerStridedSlice,
};

/**
 * A bound that is a one-element constant (the decoder's score clamp, ReLU-like clamps in a
 * backbone) becomes Clip with a scalar bound: Max and Min with a 0-d constant broadcast fine in
 * ONNX Runtime but are refused by some mainstream runtimes and converters, while Clip with
 * scalar min/max inputs (opset 11 on) is accepted everywhere. Max(x, c) is Clip(x, c) and
 * Min(x, c) is Clip(x, , c), the same values for every non-NaN x. Other operands, and a bound
 * that would broadcast x to a larger shape, stay Max/Min.
 */
function lowerMinMax(node: LoweredNode<NoAttrs>, ctx: OnnxLoweringContext, onnxOp: 'Max' | 'Min'): void {
  const [a, b] = node.inputs;
  const bound = [b, a].find((id) => id !== undefined && ctx.value(id).data !== undefined && ctx.value(id).data?.length === 1);
  const x = bound === b ? a : b;
  const data = bound === undefined ? undefined : ctx.value(bound).data;
  const out = ctx.value(at(node.outputs, 0, `${onnxOp} output`));
  const keepsShape = x !== undefined && ctx.value(x).shape.join(',') === out.shape.join(',');
  if (node.inputs.length !== 2 || x === undefined || data === undefined || !keepsShape || ctx.value(x).dtype !== 'float32') {
    ctx.add(onnxOp, node.inputs, node.outputs);
    return;
  }
  const scalar = ctx.constant(`${node.name}_${onnxOp === 'Max' ? 'min' : 'max'}`, 'float32', [], new Float32Array([Number(data[0])]));
  ctx.add('Clip', onnxOp === 'Max' ? [x, scalar] : [x, '', scalar], node.outputs);
}

/**
 * Gemm (A x B^T + C) takes the [O, I] weights as TFLite stores them. Gemm wants a matrix, so
 * other inputs are flattened to [batches, I] first, and keep_num_dims reshapes the result back.
 */
function lowerFullyConnected(node: LoweredNode<FullyConnectedAttrs>, ctx: OnnxLoweringContext): void {
  requireNoActivation('onnx', node.name, node.attrs.activation);
  const [input, weights, bias] = node.inputs;
  const output = at(node.outputs, 0, 'FULLY_CONNECTED output');
  if (input === undefined || weights === undefined) throw new EmitError('onnx', `FULLY_CONNECTED node ${node.name} needs an input and weights`);
  const x = ctx.value(input);
  const out = ctx.value(output);
  const depth = dim(ctx.value(weights).shape, 1);
  const reshape = (from: string, shape: readonly number[], to: string): void => {
    const name = ctx.constant(`${node.name}_shape`, 'int64', [shape.length], BigInt64Array.from(shape, BigInt));
    ctx.add('Reshape', [from, name], [to]);
  };
  let rows = input;
  if (x.shape.length !== 2 || dim(x.shape, 1) !== depth) {
    rows = ctx.temp(`${node.name}_rows`);
    reshape(input, [x.shape.reduce((a, b) => a * b, 1) / depth, depth], rows);
  }
  const product = out.shape.length === 2 ? output : ctx.temp(`${node.name}_product`);
  ctx.add('Gemm', bias === undefined ? [rows, weights] : [rows, weights, bias], [product], { transB: int(1) });
  if (product !== output) reshape(product, out.shape, output);
}

/**
 * Slice over every axis with the resolved indices, then Reshape where shrunk or new axes
 * change the rank. ONNX reads a negative end as counted from the back, so TFLite's end -1
 * (through index 0, walking backwards) is written as -(dim + 1), which ONNX clamps to -1.
 */
function lowerStridedSlice(node: LoweredNode<StridedSliceAttrs>, ctx: OnnxLoweringContext): void {
  const input = at(node.inputs, 0, 'STRIDED_SLICE input');
  const output = at(node.outputs, 0, 'STRIDED_SLICE output');
  const x = ctx.value(input);
  const { begin, end, strides, shape } = node.attrs;
  const list = (hint: string, values: readonly number[]): string =>
    ctx.constant(`${node.name}_${hint}`, 'int64', [values.length], BigInt64Array.from(values, BigInt));
  const ends = end.map((e, axis) => (e < 0 ? -(dim(x.shape, axis) + 1) : e));
  const counts = sliceCounts(node.attrs);
  const sliced = counts.join() === shape.join() ? output : ctx.temp(`${node.name}_sliced`);
  ctx.add(
    'Slice',
    [
      input,
      list('starts', begin),
      list('ends', ends),
      list(
        'axes',
        begin.map((_, axis) => axis),
      ),
      list('steps', strides),
    ],
    [sliced],
  );
  if (sliced !== output) ctx.add('Reshape', [sliced, list('shape', shape)], [output]);
}

function lowerPad(node: LoweredNode<OpAttrs['PAD']>, ctx: OnnxLoweringContext): void {
  const p = node.attrs.paddings;
  const input = at(node.inputs, 0, 'PAD input');
  const x = ctx.value(input);
  const grown = p.flatMap(([before, after], axis) => (before || after ? [axis] : []));
  const axis = grown[0];
  // Padding only the end of one axis is a concatenation with zeros. ONNX Runtime keeps
  // Concat in its blocked NCHWc layout, while Pad forces a reorder on each side of it.
  if (grown.length === 1 && axis !== undefined && p[axis]?.[0] === 0) {
    const shape = x.shape.map((d, i) => (i === axis ? (p[axis]?.[1] ?? 0) : d));
    const shapeName = ctx.constant(`${node.name}_zeros_shape`, 'int64', [shape.length], BigInt64Array.from(shape, BigInt));
    const zeros = ctx.temp(`${node.name}_zeros`);
    ctx.add('ConstantOfShape', [shapeName], [zeros], {});
    ctx.add('Concat', [input, zeros], node.outputs, { axis: int(axis) });
    return;
  }
  const pads = BigInt64Array.from([...p.map(([before]) => before), ...p.map(([, after]) => after)], BigInt);
  const padsName = ctx.constant(`${node.name}_pads`, 'int64', [pads.length], pads);
  ctx.add('Pad', [input, padsName], node.outputs);
}

/** Lowers one node with its op's entry. */
export function lowerToOnnx<K extends OpType>(node: NodeMap[K], ctx: OnnxLoweringContext): void {
  const lower: OnnxLowering<OpAttrs[K]> = ONNX_LOWERINGS[node.op];
  lower(node, ctx);
}
