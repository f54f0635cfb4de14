import type { ResizeBilinearOptions } from '../schema/tflite.js';
import type { OpDef } from './op-def.js';
import { at, dim, input } from './common.js';
import { resizeBilinear } from '../runtimes/reference/kernels/index.js';
import { str } from '../emit/onnx/lowering.js';
import { lowerResizeBilinear } from '../emit/coreml/layers/resize.js';

export interface ResizeBilinearAttrs {
  readonly size: readonly [number, number];
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}

/**
 * The two TFLite flags pick ONNX's coordinate transform: half_pixel_centers is ONNX
 * `half_pixel` (both clamp the source index to the image), align_corners is `align_corners`,
 * neither is `asymmetric`.
 */
export function coordinateTransform(attrs: ResizeBilinearAttrs): string {
  if (attrs.alignCorners) return 'align_corners';
  return attrs.halfPixelCenters ? 'half_pixel' : 'asymmetric';
}

export const RESIZE_BILINEAR: OpDef<ResizeBilinearAttrs, ResizeBilinearOptions> = {
  tfliteOptions: 'ResizeBilinearOptions',
  fromTflite(ctx) {
    const o = ctx.options;
    if (!o) return ctx.unsupported('missing ResizeBilinearOptions');
    const size = ctx.constantInts(1, 'size');
    const [h, w] = size;
    if (size.length !== 2 || h === undefined || w === undefined || h < 1 || w < 1) return ctx.unsupported(`size [${size.join(',')}] is not [height, width]`);
    if (o.alignCorners && o.halfPixelCenters) ctx.unsupported('align_corners and half_pixel_centers together');
    return { attrs: { size: [h, w], alignCorners: o.alignCorners, halfPixelCenters: o.halfPixelCenters }, keep: [0] };
  },
  inferOutputs(attrs, inputs) {
    const x = input(inputs, 0, 'RESIZE_BILINEAR');
    const [h, w] = attrs.size;
    return [{ dtype: x.dtype, shape: x.layout === 'NCHW' ? [dim(x.shape, 0), dim(x.shape, 1), h, w] : [dim(x.shape, 0), h, w, dim(x.shape, 3)] }];
  },
  evaluate: (attrs, inputs) => [resizeBilinear(at(inputs, 0, 'RESIZE_BILINEAR input'), attrs.size, attrs)],
  layout: 'spatial',
  coreml: lowerResizeBilinear,
  onnx(node, ctx) {
    const out = ctx.value(at(node.outputs, 0, 'RESIZE_BILINEAR output'));
    const sizes = ctx.constant(`${node.name}_sizes`, 'int64', [4], BigInt64Array.from(out.shape, BigInt));
    ctx.add('Resize', [at(node.inputs, 0, 'RESIZE_BILINEAR input'), '', '', sizes], node.outputs, {
      mode: str('linear'),
      coordinate_transformation_mode: str(coordinateTransform(node.attrs)),
    });
  },
};
