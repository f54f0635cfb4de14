import type { DepthToSpaceOptions } from '../schema/tflite.js';
import type { OpDef } from './op-def.js';
import { at, dim, input } from './common.js';
import { depthToSpace } from '../runtimes/reference/kernels/index.js';
import { int, str } from '../emit/onnx/lowering.js';
import { lowerDepthToSpace } from '../emit/coreml/layers/shape.js';

export interface DepthToSpaceAttrs {
  readonly blockSize: number;
}

/** TFLite's NHWC DEPTH_TO_SPACE moves channel blocks in the order ONNX calls DCR. */
export const DEPTH_TO_SPACE: OpDef<DepthToSpaceAttrs, DepthToSpaceOptions> = {
  tfliteOptions: 'DepthToSpaceOptions',
  fromTflite(ctx) {
    const o = ctx.options;
    const x = ctx.inputs[0];
    if (!o || !x) return ctx.unsupported('expects DepthToSpaceOptions and an input');
    if (o.blockSize < 1 || dim(x.shape, 3) % (o.blockSize * o.blockSize) !== 0) ctx.unsupported(`block size ${o.blockSize} does not divide ${dim(x.shape, 3)} channels`);
    return { attrs: { blockSize: o.blockSize } };
  },
  inferOutputs(attrs, inputs) {
    const x = input(inputs, 0, 'DEPTH_TO_SPACE');
    const b = attrs.blockSize;
    const [n, h, w, c] = x.layout === 'NCHW' ? [dim(x.shape, 0), dim(x.shape, 2), dim(x.shape, 3), dim(x.shape, 1)] : [dim(x.shape, 0), dim(x.shape, 1), dim(x.shape, 2), dim(x.shape, 3)];
    return [{ dtype: x.dtype, shape: x.layout === 'NCHW' ? [n, c / (b * b), h * b, w * b] : [n, h * b, w * b, c / (b * b)] }];
  },
  evaluate: (attrs, inputs) => [depthToSpace(at(inputs, 0, 'DEPTH_TO_SPACE input'), attrs.blockSize)],
  layout: 'spatial',
  coreml: lowerDepthToSpace,
  onnx: (node, ctx) => ctx.add('DepthToSpace', node.inputs, node.outputs, { blocksize: int(node.attrs.blockSize), mode: str('DCR') }),
};
