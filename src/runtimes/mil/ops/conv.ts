/**
 * conv: x [N, C_in, H, W], weight [C_out, C_in / groups, kH, kW], optional bias [C_out], zero
 * padding (2-D only). Sums run in float64 and are rounded once per output.
 */
import { expectRank, opError } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import { PAD_TYPES, pairParam, slidingWindows } from './window.js';
import { convolveNchw } from '../../conv-nchw.js';

export const conv: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'weight', 'bias', 'strides', 'pad_type', 'pad', 'dilations', 'groups']);
  const x = p.float('x');
  expectRank(ctx, 'x', x, 4);
  const weight = p.floatOf('weight', x.dtype);
  expectRank(ctx, 'weight', weight, 4);
  const [n, cIn, h, w] = x.shape as [number, number, number, number];
  const [cOut, kc, kh, kw] = weight.shape as [number, number, number, number];
  const groups = p.int('groups', 1);
  if (groups < 1 || cIn % groups !== 0 || cOut % groups !== 0)
    throw opError(ctx, 'groups', `${groups} must divide the input channels ${cIn} and the output channels ${cOut}`);
  if (kc * groups !== cIn) throw opError(ctx, 'weight', `has ${kc} channels per group; input channels ${cIn} / groups ${groups} = ${cIn / groups}`);
  const bias = p.optionalFloat('bias', x.dtype);
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== cOut)) throw opError(ctx, 'bias', `must have shape [${cOut}], got [${bias.shape.join(', ')}]`);
  const [sh, sw] = pairParam(ctx, p, 'strides', [1, 1]);
  const [dh, dw] = pairParam(ctx, p, 'dilations', [1, 1]);
  const padType = p.string('pad_type', PAD_TYPES, 'valid');
  const [wy, wx] = slidingWindows(ctx, p, [h, w], [(kh - 1) * dh + 1, (kw - 1) * dw + 1], [sh, sw], padType);

  const [oh, ow] = [wy.out, wx.out];
  // convolveNchw writes every output.
  const out = p.overwritten(x.dtype, [n, cOut, oh, ow]);
  convolveNchw(
    x.data,
    weight.data,
    bias ? bias.data : new Float32Array(cOut),
    { batch: n, cIn, h, w, cOut, groups, kh, kw, sh, sw, dh, dw, padTop: wy.padBefore, padLeft: wx.padBefore, oh, ow },
    out.data,
  );
  return [out];
};
