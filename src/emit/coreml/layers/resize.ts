import type { ResizeBilinearAttrs } from '../../../ir/attrs.js';
import { at, dim } from '../../../ir/shape-util.js';
import { requireLayout } from '../../lowering-checks.js';
import { EmitError } from '../../../ir/errors.js';
import type { CoremlLowering } from '../lowering.js';

/** [1, 2, 1] / 4 in both directions: one row of the 3x3 kernel per output row. */
const HALF_PIXEL_2X = [1, 2, 1].flatMap((a) => [1, 2, 1].map((b) => (a * b) / 16));

/**
 * RESIZE_BILINEAR with half-pixel centres by a factor of 2, in specification 4 layers.
 * Core ML's upsample layer samples TFLite's half-pixel grid only with linearUpsampleMode
 * ALIGN_CORNERS_FALSE, a specification 5 (iOS 14) feature, so it is built from older layers
 * instead. Along one axis half-pixel 2x gives out[2k] = x[k-1]/4 + 3x[k]/4 and
 * out[2k+1] = 3x[k]/4 + x[k+1]/4, indices clamped to the edge: exactly a nearest-neighbour 2x
 * upsample, padded by one replicated pixel on each side, convolved (valid) with [1,2,1]/4.
 * In 2-D the kernel is the outer product, applied per channel. Other factors and the
 * align_corners or legacy grids have no specification 4 form here and are refused.
 */
export const lowerResizeBilinear: CoremlLowering<ResizeBilinearAttrs> = (node, ctx) => {
  const input = at(node.inputs, 0, 'RESIZE_BILINEAR input');
  const x = ctx.value(input);
  requireLayout(x, 'NCHW');
  const [outH, outW] = node.attrs.size;
  const [channels, inH, inW] = [dim(x.shape, 1), dim(x.shape, 2), dim(x.shape, 3)];
  if (!node.attrs.halfPixelCenters || node.attrs.alignCorners || outH !== 2 * inH || outW !== 2 * inW) {
    const grid = node.attrs.alignCorners ? 'align_corners' : node.attrs.halfPixelCenters ? 'half-pixel' : 'legacy (neither flag)';
    throw new EmitError(
      'coreml',
      `node ${node.name}: bilinear resize [${inH},${inW}] to [${outH},${outW}] on the ${grid} grid; Core ML specification 4 output supports half-pixel by 2 only`,
    );
  }
  const nearest = ctx.temp(`${node.name}_nearest`);
  const padded = ctx.temp(`${node.name}_padded`);
  ctx.add({ upsample: { scalingFactor: [2, 2], mode: 'NN' } }, [input], [nearest]);
  const edge = { startEdgeSize: 1, endEdgeSize: 1 };
  ctx.add({ padding: { replication: {}, paddingAmounts: { borderAmounts: [edge, edge] } } }, [nearest], [padded]);
  ctx.add(
    {
      convolution: {
        outputChannels: channels,
        kernelChannels: 1,
        nGroups: channels,
        kernelSize: [3, 3],
        stride: [1, 1],
        dilationFactor: [1, 1],
        valid: {},
        weights: ctx.weights(new Float32Array(channels * 9).map((_, i) => HALF_PIXEL_2X[i % 9] as number)),
      },
    },
    [padded],
    node.outputs,
  );
};
