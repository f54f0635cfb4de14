import type { OpDef } from './op-def.js';
import { at, input } from './common.js';
import { EmitError } from '../ir/errors.js';
import { refuseDensify } from '../emit/coreml/layers/refused.js';

type DensifyAttrs = Record<string, never>;

/**
 * TFLite only densifies constants, so `foldConstants` always removes DENSIFY; a DENSIFY that
 * reaches an emitter means its input was not a sparse constant.
 */
export const DENSIFY: OpDef<DensifyAttrs> = {
  tfliteOptions: 'DensifyOptions',
  fromTflite(ctx) {
    const x = ctx.inputs[0];
    if (!x?.sparsity) return ctx.unsupported('input is not a sparse constant');
    return { attrs: {} };
  },
  inferOutputs: (_attrs, inputs) => {
    const x = input(inputs, 0, 'DENSIFY');
    return [{ dtype: x.dtype, shape: x.shape }];
  },
  // Reference tensors are built dense from the constant, so the op itself is the identity there.
  evaluate: (_attrs, inputs) => [at(inputs, 0, 'DENSIFY input')],
  layout: 'elementwise',
  coreml: refuseDensify,
  onnx(node) {
    throw new EmitError('onnx', `DENSIFY node ${node.name} was not folded into a dense constant`);
  },
};
