import type { ConcatenationOptions } from '../schema/tflite.js';
import type { Activation, OpDef } from './op-def.js';
import { applyActivation, input, readActivation, requireNoActivation } from './common.js';
import { concatenation } from '../runtimes/reference/kernels/index.js';
import { int } from '../emit/onnx/lowering.js';
import { GraphError } from '../ir/errors.js';
import { lowerConcatenation } from '../emit/coreml/layers/shape.js';

export interface ConcatenationAttrs {
  /** Non-negative axis in the input's current layout. */
  readonly axis: number;
  readonly activation: Activation;
}

export const CONCATENATION: OpDef<ConcatenationAttrs, ConcatenationOptions> = {
  tfliteOptions: 'ConcatenationOptions',
  fromTflite(ctx) {
    const o = ctx.options;
    const x = ctx.inputs[0];
    if (!o || !x) return ctx.unsupported('expects ConcatenationOptions and inputs');
    const axis = o.axis < 0 ? o.axis + x.shape.length : o.axis;
    if (axis < 0 || axis >= x.shape.length) ctx.unsupported(`axis ${o.axis} out of range for rank ${x.shape.length}`);
    return { attrs: { axis, activation: readActivation(ctx, o.fusedActivationFunction) } };
  },
  inferOutputs(attrs, inputs) {
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
  evaluate: (attrs, inputs) => [applyActivation(attrs.activation, concatenation(inputs, attrs.axis))],
  layout: 'axis',
  remapAxes: (attrs, perm) => ({ ...attrs, axis: perm.indexOf(attrs.axis) }),
  coreml: lowerConcatenation,
  onnx(node, ctx) {
    requireNoActivation('onnx', node.name, node.attrs.activation);
    ctx.add('Concat', node.inputs, node.outputs, { axis: int(node.attrs.axis) });
  },
};
