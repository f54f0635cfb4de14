import type { ReshapeOptions } from '../schema/tflite.js';
import { elementCount } from '../ir/graph.js';
import type { OpDef } from './op-def.js';
import { at, input } from './common.js';
import { reshape } from '../runtimes/reference/kernels/index.js';
import { GraphError } from '../ir/errors.js';
import { lowerReshape } from '../emit/coreml/layers/shape.js';

export interface ReshapeAttrs {
  /** The fully resolved output shape (no -1). */
  readonly shape: readonly number[];
}

/** Flattening is defined on NHWC element order, so the layout pass hands RESHAPE NHWC data. */
export const RESHAPE: OpDef<ReshapeAttrs, ReshapeOptions> = {
  tfliteOptions: 'ReshapeOptions',
  fromTflite(ctx) {
    const x = ctx.inputs[0];
    const out = ctx.outputs[0];
    if (!x || !out) return ctx.unsupported('expects one input and one output');
    const requested = ctx.inputs[1] ? ctx.constantInts(1, 'shape') : Array.from(ctx.options?.newShape ?? out.shape);
    const known = requested.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const shape = requested.map((d) => (d === -1 ? elementCount(x.shape) / known : d));
    if (elementCount(shape) !== elementCount(x.shape)) ctx.unsupported(`cannot reshape [${x.shape.join(',')}] to [${requested.join(',')}]`);
    return { attrs: { shape }, keep: [0] };
  },
  inferOutputs(attrs, inputs) {
    const x = input(inputs, 0, 'RESHAPE');
    if (elementCount(attrs.shape) !== elementCount(x.shape)) throw new GraphError('RESHAPE', `[${x.shape.join(',')}] has a different element count than [${attrs.shape.join(',')}]`);
    return [{ dtype: x.dtype, shape: attrs.shape }];
  },
  evaluate: (attrs, inputs) => [reshape(at(inputs, 0, 'RESHAPE input'), attrs.shape)],
  layout: 'nhwc',
  coreml: lowerReshape,
  onnx(node, ctx) {
    const shape = ctx.constant(`${node.name}_shape`, 'int64', [node.attrs.shape.length], BigInt64Array.from(node.attrs.shape, BigInt));
    ctx.add('Reshape', [at(node.inputs, 0, 'RESHAPE input'), shape], node.outputs);
  },
};
