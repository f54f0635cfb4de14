/**
 * conv: x [N, C_in, H, W], weight [C_out, C_in / groups, kH, kW], optional bias [C_out], zero
 * padding (2-D only). Sums run in float64 and are rounded once per output.
 */
import { expectRank, opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import { floatTensor } from '../tensor.js';
import { PAD_TYPES, pairParam, slidingWindows, validOutputs } from './window.js';

export const conv: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'weight', 'bias', 'strides', 'pad_type', 'pad', 'dilations', 'groups']);
  const x = p.float('x');
  expectRank(ctx, 'x', x, 4);
  const weight = p.floatOf('weight', x.dtype);
  expectRank(ctx, 'weight', weight, 4);
  const [n, cIn, h, w] = x.shape as [number, number, number, number];
  const [cOut, kc, kh, kw] = weight.shape as [number, number, number, number];
  const groups = p.int('groups', 1);
  if (groups < 1 || cIn % groups !== 0 || cOut % groups !== 0) throw opError(ctx, 'groups', `${groups} must divide the input channels ${cIn} and the output channels ${cOut}`);
  if (kc * groups !== cIn) throw opError(ctx, 'weight', `has ${kc} channels per group; input channels ${cIn} / groups ${groups} = ${cIn / groups}`);
  const bias = p.optionalFloat('bias', x.dtype);
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== cOut)) throw opError(ctx, 'bias', `must have shape [${cOut}], got [${bias.shape.join(', ')}]`);
  const [sh, sw] = pairParam(ctx, p, 'strides', [1, 1]);
  const [dh, dw] = pairParam(ctx, p, 'dilations', [1, 1]);
  const padType = p.string('pad_type', PAD_TYPES, 'valid');
  const [wy, wx] = slidingWindows(ctx, p, [h, w], [(kh - 1) * dh + 1, (kw - 1) * dw + 1], [sh, sw], padType);

  const [oh, ow] = [wy.out, wx.out];
  const out = floatTensor(x.dtype, [n, cOut, oh, ow]);
  const outPerGroup = cOut / groups;
  // Per output plane, one kernel tap at a time over the outputs it reaches inside the input.
  const acc = new Float64Array(oh * ow);
  const [xs, ws] = [x.data, weight.data];
  const rows = Array.from({ length: kh }, (_, ky) => validOutputs(ky * dh - wy.padBefore, sh, h, oh));
  const cols = Array.from({ length: kw }, (_, kx) => validOutputs(kx * dw - wx.padBefore, sw, w, ow));
  for (let b = 0; b < n; b++) {
    for (let oc = 0; oc < cOut; oc++) {
      acc.fill(bias ? bias.data[oc]! : 0);
      const firstIn = Math.floor(oc / outPerGroup) * kc;
      for (let ic = 0; ic < kc; ic++) {
        const plane = (b * cIn + firstIn + ic) * h * w;
        const wBase = (oc * kc + ic) * kh * kw;
        for (let ky = 0; ky < kh; ky++) {
          const [oy0, oy1] = rows[ky]!;
          for (let kx = 0; kx < kw; kx++) {
            const [ox0, ox1] = cols[kx]!;
            const tap = ws[wBase + ky * kw + kx]!;
            for (let oy = oy0; oy < oy1; oy++) {
              const row = plane + (oy * sh + ky * dh - wy.padBefore) * w + kx * dw - wx.padBefore;
              const accRow = oy * ow;
              for (let ox = ox0; ox < ox1; ox++) acc[accRow + ox] = acc[accRow + ox]! + tap * xs[row + ox * sw]!;
            }
          }
        }
      }
      out.data.set(acc, (b * cOut + oc) * oh * ow);
    }
  }
  return [out];
};
