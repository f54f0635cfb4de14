import type { OpDef } from './op-def.js';
import { at, input } from './common.js';
import { transpose } from '../runtimes/reference/kernels/index.js';
import { permuteShape } from '../ir/layout.js';
import { ints } from '../emit/onnx/lowering.js';
import { lowerTranspose } from '../emit/coreml/layers/shape.js';

export interface TransposeAttrs {
  /** Output axis i is input axis perm[i]. */
  readonly perm: readonly number[];
}

/** Also what the layout pass inserts where NCHW data must return to NHWC order. */
export const TRANSPOSE: OpDef<TransposeAttrs> = {
  tfliteOptions: 'TransposeOptions',
  fromTflite(ctx) {
    const x = ctx.inputs[0];
    if (!x) return ctx.unsupported('expects an input');
    const perm = ctx.constantInts(1, 'perm');
    if ([...perm].sort().join() !== x.shape.map((_, i) => i).join()) ctx.unsupported(`perm [${perm.join(',')}] is not a permutation of rank ${x.shape.length}`);
    return { attrs: { perm }, keep: [0] };
  },
  inferOutputs(attrs, inputs) {
    const x = input(inputs, 0, 'TRANSPOSE');
    return [{ dtype: x.dtype, shape: permuteShape(x.shape, attrs.perm) }];
  },
  evaluate: (attrs, inputs) => [transpose(at(inputs, 0, 'TRANSPOSE input'), attrs.perm)],
  layout: 'nhwc',
  coreml: lowerTranspose,
  onnx: (node, ctx) => ctx.add('Transpose', node.inputs, node.outputs, { perm: ints(node.attrs.perm) }),
};
