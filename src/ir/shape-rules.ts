import type { DType } from './dtype.js';
import { GraphError } from './errors.js';
import { elementCount, type Node, type Shape, type Value } from './graph.js';
import { permuteShape } from './layout.js';
import type { OpAttrs, OpType } from './attrs.js';
import { broadcastShapes, dim, windowOutputShape } from './shape-util.js';

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
    const kernel = w.layout === 'OIHW' ? ([dim(w.shape, 2), dim(w.shape, 3)] as const) : ([dim(w.shape, 1), dim(w.shape, 2)] as const);
    return [{ dtype: x.dtype, shape: windowOutputShape(x, kernel, dim(w.shape, 0), attrs) }];
  },
  DEPTHWISE_CONV_2D(attrs, inputs) {
    const x = input(inputs, 0, 'DEPTHWISE_CONV_2D');
    const w = input(inputs, 1, 'DEPTHWISE_CONV_2D');
    const [kh, kw, channels] = w.layout === 'C1HW' ? [dim(w.shape, 2), dim(w.shape, 3), dim(w.shape, 0)] : [dim(w.shape, 1), dim(w.shape, 2), dim(w.shape, 3)];
    return [{ dtype: x.dtype, shape: windowOutputShape(x, [kh, kw], channels, attrs) }];
  },
  MAX_POOL_2D(attrs, inputs) {
    const x = input(inputs, 0, 'MAX_POOL_2D');
    return [{ dtype: x.dtype, shape: windowOutputShape(x, attrs.filter, dim(x.shape, x.layout === 'NCHW' ? 1 : 3), attrs) }];
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
    if (elementCount(attrs.shape) !== elementCount(x.shape)) throw new GraphError('RESHAPE', `[${x.shape.join(',')}] has a different element count than [${attrs.shape.join(',')}]`);
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
    return [{ dtype: x.dtype, shape: x.shape.map((d, i) => d + (attrs.paddings[i]?.[0] ?? 0) + (attrs.paddings[i]?.[1] ?? 0)) }];
  },
  TRANSPOSE(attrs, inputs) {
    const x = input(inputs, 0, 'TRANSPOSE');
    return [{ dtype: x.dtype, shape: permuteShape(x.shape, attrs.perm) }];
  },
  DEPTH_TO_SPACE(attrs, inputs) {
    const x = input(inputs, 0, 'DEPTH_TO_SPACE');
    const b = attrs.blockSize;
    const nchw = x.layout === 'NCHW';
    const [n, h, w, c] = nchw ? [dim(x.shape, 0), dim(x.shape, 2), dim(x.shape, 3), dim(x.shape, 1)] : [dim(x.shape, 0), dim(x.shape, 1), dim(x.shape, 2), dim(x.shape, 3)];
    return [{ dtype: x.dtype, shape: nchw ? [n, c / (b * b), h * b, w * b] : [n, h * b, w * b, c / (b * b)] }];
  },
  RESIZE_BILINEAR(attrs, inputs) {
    const x = input(inputs, 0, 'RESIZE_BILINEAR');
    const [h, w] = attrs.size;
    return [{ dtype: x.dtype, shape: x.layout === 'NCHW' ? [dim(x.shape, 0), dim(x.shape, 1), h, w] : [dim(x.shape, 0), h, w, dim(x.shape, 3)] }];
  },
  DEQUANTIZE: (_attrs, inputs) => [{ dtype: 'float32', shape: input(inputs, 0, 'DEQUANTIZE').shape }],
  DENSIFY: sameAsInput('DENSIFY'),
  CAST: (attrs, inputs) => [{ dtype: attrs.to, shape: input(inputs, 0, 'CAST').shape }],
  BATCH_MATMUL(attrs, inputs) {
    const a = input(inputs, 0, 'BATCH_MATMUL');
    const b = input(inputs, 1, 'BATCH_MATMUL');
    const rows = attrs.adjX ? dim(a.shape, -1) : dim(a.shape, -2);
    const cols = attrs.adjY ? dim(b.shape, -2) : dim(b.shape, -1);
    const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
    return [{ dtype: a.dtype, shape: [...batch, rows, cols] }];
  },
};

/** The outputs `node` computes from `inputs`, by its op's rule. */
export function inferOutputs<K extends OpType>(node: Pick<Node<K>, 'op' | 'attrs'>, inputs: readonly Value[]): readonly OutputInfo[] {
  const rule: ShapeRule<K> = SHAPE_RULES[node.op];
  return rule(node.attrs, inputs);
}
