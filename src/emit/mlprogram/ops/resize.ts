import type { ResizeBilinearAttrs } from '../../../ir/attrs.js';
import { at } from '../../../ir/shape-util.js';
import { requireLayout } from '../../lowering-checks.js';
import type { MilLowering } from '../lowering.js';

/**
 * RESIZE_BILINEAR is resize_bilinear with the sampling grid TFLite's two flags pick:
 * half_pixel_centers is UNALIGN_CORNERS (sample (i + 0.5) * in/out - 0.5, clamped to the
 * image), align_corners is STRICT_ALIGN_CORNERS (i * (in-1)/(out-1)), neither is DEFAULT
 * (i * in/out). Any size works, not only the full-range models' 2x.
 */
export function samplingMode(attrs: ResizeBilinearAttrs): 'UNALIGN_CORNERS' | 'STRICT_ALIGN_CORNERS' | 'DEFAULT' {
  if (attrs.alignCorners) return 'STRICT_ALIGN_CORNERS';
  return attrs.halfPixelCenters ? 'UNALIGN_CORNERS' : 'DEFAULT';
}

export const lowerResizeBilinear: MilLowering<ResizeBilinearAttrs> = (node, ctx) => {
  const x = at(node.inputs, 0, 'RESIZE_BILINEAR input');
  requireLayout(ctx.value(x), 'NCHW');
  const [height, width] = node.attrs.size;
  ctx.op(
    'resize_bilinear',
    {
      x: ctx.ref(x),
      target_size_height: ctx.int(`${node.name}_target_size_height`, height),
      target_size_width: ctx.int(`${node.name}_target_size_width`, width),
      sampling_mode: ctx.string(`${node.name}_sampling_mode`, samplingMode(node.attrs)),
    },
    node.outputs,
  );
};
