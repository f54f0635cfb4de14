import type { DType } from './dtype.js';
import { GraphError } from './errors.js';
import { elementCount, type Node, type Shape, type Value } from './graph.js';
import { permuteShape } from './layout.js';
import type { OpAttrs, OpType } from './attrs.js';
import { broadcastShapes, dim, sliceCounts, windowOutputShape } from './shape-util.js';

export interface OutputInfo {
  readonly dtype: DType;
  readonly shape: Shape;
}

/** An op's output rule: dtypes and shapes from its attrs and input values (in their current layout). */
export type ShapeRule<K extends OpType> = (attrs: OpAttrs[K], inputs: readonly Value[]) => readonly OutputInfo[];

function input(inputs: readonly Value[], index: number, op: OpType): Value {
  const value = inputs[index];
  if (!value) throw new GraphError(op, `expects input ${index}`);
  return value;
}

/** `detail` is made only when the check fails: every pass verifies every node, and the messages name shapes. */
function check(condition: boolean, op: OpType, detail: () => string): void {
  if (!condition) throw new GraphError(op, detail());
}

const positive = (values: readonly number[]): boolean => values.every((v) => Number.isInteger(v) && v >= 1);

/** The checks every window op shares: 4-D input, positive strides and dilations, a non-empty output. */
function windowChecks(
  op: OpType,
  x: Value,
  attrs: { readonly strides: readonly number[]; readonly dilations?: readonly number[] },
  out: readonly number[],
): void {
  check(x.shape.length === 4, op, () => `input ${x.id} is [${x.shape.join(',')}], expected 4-D`);
  check(
    positive(attrs.strides) && positive(attrs.dilations ?? [1]),
    op,
    () => `strides [${attrs.strides.join(',')}] and dilations [${(attrs.dilations ?? []).join(',')}] must be positive`,
  );
  check(positive(out), op, () => `computes an empty output [${out.join(',')}]`);
}

/** A convolution's channels: the kernel reads the input's, the bias has one value per output channel. */
function kernelChecks(op: OpType, x: Value, w: Value, bias: Value | undefined, inChannels: number, outChannels: number): void {
  check(w.shape.length === 4, op, () => `kernel ${w.id} is [${w.shape.join(',')}], expected 4-D`);
  const channels = dim(x.shape, x.layout === 'NCHW' ? 1 : 3);
  check(inChannels === channels, op, () => `kernel ${w.id} [${w.shape.join(',')}] reads ${inChannels} channels, input ${x.id} has ${channels}`);
  if (bias)
    check(bias.shape.length === 1 && bias.shape[0] === outChannels, op, () => `bias ${bias.id} is [${bias.shape.join(',')}], expected [${outChannels}]`);
}

const broadcast =
  (op: OpType): ShapeRule<OpType> =>
  (_attrs, inputs) => {
    const a = input(inputs, 0, op);
    return [{ dtype: a.dtype, shape: broadcastShapes(a.shape, input(inputs, 1, op).shape) }];
  };

const sameAsInput =
  (op: OpType): ShapeRule<OpType> =>
  (_attrs, inputs) => {
    const x = input(inputs, 0, op);
    return [{ dtype: x.dtype, shape: x.shape }];
  };

export const SHAPE_RULES: { readonly [K in OpType]: ShapeRule<K> } = {
  CONV_2D(attrs, inputs) {
    const x = input(inputs, 0, 'CONV_2D');
    const w = input(inputs, 1, 'CONV_2D');
    const oihw = w.layout === 'OIHW';
    const out = dim(w.shape, 0);
    kernelChecks('CONV_2D', x, w, inputs[2], dim(w.shape, oihw ? 1 : 3), out);
    const kernel = oihw ? ([dim(w.shape, 2), dim(w.shape, 3)] as const) : ([dim(w.shape, 1), dim(w.shape, 2)] as const);
    const shape = windowOutputShape(x, kernel, out, attrs);
    windowChecks('CONV_2D', x, attrs, shape);
    return [{ dtype: x.dtype, shape }];
  },
  DEPTHWISE_CONV_2D(attrs, inputs) {
    const x = input(inputs, 0, 'DEPTHWISE_CONV_2D');
    const w = input(inputs, 1, 'DEPTHWISE_CONV_2D');
    const c1hw = w.layout === 'C1HW';
    check(
      w.shape.length === 4 && w.shape[c1hw ? 1 : 0] === 1,
      'DEPTHWISE_CONV_2D',
      () => `kernel ${w.id} is [${w.shape.join(',')}], expected [1,kh,kw,C·multiplier]`,
    );
    const [kh, kw, channels] = c1hw ? [dim(w.shape, 2), dim(w.shape, 3), dim(w.shape, 0)] : [dim(w.shape, 1), dim(w.shape, 2), dim(w.shape, 3)];
    const inChannels = dim(x.shape, x.layout === 'NCHW' ? 1 : 3);
    kernelChecks('DEPTHWISE_CONV_2D', x, w, inputs[2], channels % inChannels === 0 ? inChannels : channels, channels);
    const shape = windowOutputShape(x, [kh, kw], channels, attrs);
    windowChecks('DEPTHWISE_CONV_2D', x, attrs, shape);
    return [{ dtype: x.dtype, shape }];
  },
  MAX_POOL_2D(attrs, inputs) {
    const x = input(inputs, 0, 'MAX_POOL_2D');
    check(positive(attrs.filter), 'MAX_POOL_2D', () => `filter [${attrs.filter.join(',')}] must be positive`);
    const shape = windowOutputShape(x, attrs.filter, dim(x.shape, x.layout === 'NCHW' ? 1 : 3), attrs);
    windowChecks('MAX_POOL_2D', x, attrs, shape);
    return [{ dtype: x.dtype, shape }];
  },
  ADD: broadcast('ADD'),
  SUB: broadcast('SUB'),
  MUL: broadcast('MUL'),
  MINIMUM: broadcast('MINIMUM'),
  MAXIMUM: broadcast('MAXIMUM'),
  RELU: sameAsInput('RELU'),
  RELU6: sameAsInput('RELU6'),
  LOGISTIC: sameAsInput('LOGISTIC'),
  RESHAPE(attrs, inputs) {
    const x = input(inputs, 0, 'RESHAPE');
    if (elementCount(attrs.shape) !== elementCount(x.shape))
      throw new GraphError('RESHAPE', `[${x.shape.join(',')}] has a different element count than [${attrs.shape.join(',')}]`);
    return [{ dtype: x.dtype, shape: attrs.shape }];
  },
  CONCATENATION(attrs, inputs) {
    const first = input(inputs, 0, 'CONCATENATION');
    const shape = [...first.shape];
    shape[attrs.axis] = 0;
    for (const v of inputs) {
      if (v.shape.length !== first.shape.length || v.shape.some((d, i) => i !== attrs.axis && d !== first.shape[i])) {
        throw new GraphError('CONCATENATION', `input ${v.id} [${v.shape.join(',')}] does not fit [${first.shape.join(',')}] on axis ${attrs.axis}`);
      }
      shape[attrs.axis] = (shape[attrs.axis] ?? 0) + (v.shape[attrs.axis] ?? 0);
    }
    return [{ dtype: first.dtype, shape }];
  },
  PAD(attrs, inputs) {
    const x = input(inputs, 0, 'PAD');
    check(attrs.paddings.length === x.shape.length, 'PAD', () => `${attrs.paddings.length} paddings for rank ${x.shape.length}`);
    return [{ dtype: x.dtype, shape: x.shape.map((d, i) => d + (attrs.paddings[i]?.[0] ?? 0) + (attrs.paddings[i]?.[1] ?? 0)) }];
  },
  TRANSPOSE(attrs, inputs) {
    const x = input(inputs, 0, 'TRANSPOSE');
    check(attrs.perm.length === x.shape.length, 'TRANSPOSE', () => `perm [${attrs.perm.join(',')}] for rank ${x.shape.length}`);
    return [{ dtype: x.dtype, shape: permuteShape(x.shape, attrs.perm) }];
  },
  DEPTH_TO_SPACE(attrs, inputs) {
    const x = input(inputs, 0, 'DEPTH_TO_SPACE');
    check(x.shape.length === 4, 'DEPTH_TO_SPACE', () => `input ${x.id} is [${x.shape.join(',')}], expected 4-D`);
    const b = attrs.blockSize;
    const nchw = x.layout === 'NCHW';
    const [n, h, w, c] = nchw
      ? [dim(x.shape, 0), dim(x.shape, 2), dim(x.shape, 3), dim(x.shape, 1)]
      : [dim(x.shape, 0), dim(x.shape, 1), dim(x.shape, 2), dim(x.shape, 3)];
    return [{ dtype: x.dtype, shape: nchw ? [n, c / (b * b), h * b, w * b] : [n, h * b, w * b, c / (b * b)] }];
  },
  RESIZE_BILINEAR(attrs, inputs) {
    const x = input(inputs, 0, 'RESIZE_BILINEAR');
    check(x.shape.length === 4, 'RESIZE_BILINEAR', () => `input ${x.id} is [${x.shape.join(',')}], expected 4-D`);
    const [h, w] = attrs.size;
    return [{ dtype: x.dtype, shape: x.layout === 'NCHW' ? [dim(x.shape, 0), dim(x.shape, 1), h, w] : [dim(x.shape, 0), h, w, dim(x.shape, 3)] }];
  },
  DEQUANTIZE: (_attrs, inputs) => [{ dtype: 'float32', shape: input(inputs, 0, 'DEQUANTIZE').shape }],
  DENSIFY: sameAsInput('DENSIFY'),
  CAST: (attrs, inputs) => [{ dtype: attrs.to, shape: input(inputs, 0, 'CAST').shape }],
  BATCH_MATMUL(attrs, inputs) {
    const a = input(inputs, 0, 'BATCH_MATMUL');
    const b = input(inputs, 1, 'BATCH_MATMUL');
    check(a.shape.length >= 2 && b.shape.length >= 2, 'BATCH_MATMUL', () => `operands [${a.shape.join(',')}] and [${b.shape.join(',')}] must be at least 2-D`);
    const rows = attrs.adjX ? dim(a.shape, -1) : dim(a.shape, -2);
    const cols = attrs.adjY ? dim(b.shape, -2) : dim(b.shape, -1);
    const inner = [attrs.adjX ? dim(a.shape, -2) : dim(a.shape, -1), attrs.adjY ? dim(b.shape, -1) : dim(b.shape, -2)];
    check(inner[0] === inner[1], 'BATCH_MATMUL', () => `inner dimensions ${inner[0]} and ${inner[1]} differ`);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return [{ dtype: a.dtype, shape: [...batch, rows, cols] }];
  },
  PRELU(_attrs, inputs) {
    const x = input(inputs, 0, 'PRELU');
    const shape = broadcastShapes(x.shape, input(inputs, 1, 'PRELU').shape);
    // TFLite broadcasts alpha onto the input, never the other way round.
    if (shape.join() !== x.shape.join()) throw new GraphError('PRELU', `alpha [${inputs[1]?.shape.join(',')}] would grow the input [${x.shape.join(',')}]`);
    return [{ dtype: x.dtype, shape }];
  },
  MEAN(attrs, inputs) {
    const x = input(inputs, 0, 'MEAN');
    const shape = attrs.keepDims ? x.shape.map((d, i) => (attrs.axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !attrs.axes.includes(i));
    return [{ dtype: x.dtype, shape }];
  },
  FULLY_CONNECTED(attrs, inputs) {
    const x = input(inputs, 0, 'FULLY_CONNECTED');
    const w = input(inputs, 1, 'FULLY_CONNECTED');
    const [outputs, depth] = [dim(w.shape, 0), dim(w.shape, 1)];
    const count = elementCount(x.shape);
    if (w.shape.length !== 2 || count % depth !== 0)
      throw new GraphError('FULLY_CONNECTED', `input [${x.shape.join(',')}] is not a whole number of rows of weights [${w.shape.join(',')}]`);
    if (attrs.keepNumDims && dim(x.shape, -1) !== depth)
      throw new GraphError('FULLY_CONNECTED', `keep_num_dims needs the input's last axis to be ${depth}, got [${x.shape.join(',')}]`);
    return [{ dtype: x.dtype, shape: attrs.keepNumDims ? [...x.shape.slice(0, -1), outputs] : [count / depth, outputs] }];
  },
  STRIDED_SLICE(attrs, inputs) {
    const x = input(inputs, 0, 'STRIDED_SLICE');
    const counts = sliceCounts(attrs);
    if (counts.length !== x.shape.length) throw new GraphError('STRIDED_SLICE', `${counts.length} slice axes for input [${x.shape.join(',')}]`);
    if (elementCount(counts) !== elementCount(attrs.shape))
      throw new GraphError('STRIDED_SLICE', `slice [${counts.join(',')}] does not fill output [${attrs.shape.join(',')}]`);
    return [{ dtype: x.dtype, shape: attrs.shape }];
  },
};

/** The outputs `node` computes from `inputs`, by its op's rule. */
export function inferOutputs<K extends OpType>(node: Pick<Node<K>, 'op' | 'attrs'>, inputs: readonly Value[]): readonly OutputInfo[] {
  const rule: ShapeRule<K> = SHAPE_RULES[node.op];
  return rule(node.attrs, inputs);
}
