/** max_pool over H and W (2-D only); padded cells never win, as if they held -infinity. */
import { expectRank, opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import { PAD_TYPES, pairParam, slidingWindows } from './window.js';

export const maxPool: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'kernel_sizes', 'strides', 'pad_type', 'pad', 'ceil_mode']);
  const x = p.float('x');
  expectRank(ctx, 'x', x, 4);
  const [kh, kw] = pairParam(ctx, p, 'kernel_sizes', [0, 0]);
  const [sh, sw] = pairParam(ctx, p, 'strides', [1, 1]);
  if (p.bool('ceil_mode', false)) throw opError(ctx, 'ceil_mode', 'true is not implemented');
  const padType = p.string('pad_type', PAD_TYPES);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [wy, wx] = slidingWindows(ctx, p, [h, w], [kh, kw], [sh, sw], padType);
  const out = p.output(x.dtype, [n, c, wy.out, wx.out]);
  let at = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < wy.out; oy++) {
      const y0 = Math.max(0, oy * sh - wy.padBefore);
      const y1 = Math.min(h, oy * sh - wy.padBefore + kh);
      for (let ox = 0; ox < wx.out; ox++) {
        const x0 = Math.max(0, ox * sw - wx.padBefore);
        const x1 = Math.min(w, ox * sw - wx.padBefore + kw);
        let best = -Infinity;
        for (let y = y0; y < y1; y++) for (let xx = x0; xx < x1; xx++) best = Math.max(best, x.data[base + y * w + xx]!);
        out.data[at++] = best;
      }
    }
  }
  return [out];
};
