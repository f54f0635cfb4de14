/**
 * depth_to_space on [N, C, H, W] in TensorFlow's channel order (DCR), which MIL shares with
 * the NeuralNetwork reorganizeData DEPTH_TO_SPACE layer: output (c, h*b + i, w*b + j) reads
 * input channel (i*b + j) * C/b² + c at (h, w).
 */
import { expectRank, opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';

export const depthToSpace: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'block_size']);
  const x = p.float('x');
  expectRank(ctx, 'x', x, 4);
  const b = p.int('block_size');
  const [n, c, h, w] = x.shape as [number, number, number, number];
  if (b < 2 || c % (b * b) !== 0) throw opError(ctx, 'block_size', `${b} must be at least 2 with its square dividing the ${c} channels`);
  const cOut = c / (b * b);
  const out = p.output(x.dtype, [n, cOut, h * b, w * b]);
  const plane = h * w;
  let at = 0;
  for (let bn = 0; bn < n; bn++) {
    for (let oc = 0; oc < cOut; oc++) {
      for (let y = 0; y < h; y++) {
        for (let i = 0; i < b; i++) {
          // Output row y*b + i: column xx*b + j reads channel (i*b + j)*cOut + oc at (y, xx).
          const row = (bn * c + i * b * cOut + oc) * plane + y * w;
          for (let xx = 0; xx < w; xx++) {
            for (let j = 0; j < b; j++) out.data[at++] = x.data[row + j * cOut * plane + xx]!;
          }
        }
      }
    }
  }
  return [out];
};
