/**
 * Convolution (grouped, so depthwise too): input [..., C_in, H, W], weights
 * [C_out, C_in / nGroups, kH, kW], zero padding. Deconvolution is refused.
 */
import type { ConvolutionLayerParams } from '../../coreml/types.js';
import { expectInputs, expectRank, layerError, onlyFields, pairField, type LayerContext } from './layer-context.js';
import { leadingSize, tensor, type Tensor } from './tensor.js';
import { readWeights } from './weights.js';
import { slidingWindows } from './window.js';

export function convolution(ctx: LayerContext, p: ConvolutionLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, [
    'outputChannels',
    'kernelChannels',
    'nGroups',
    'kernelSize',
    'stride',
    'dilationFactor',
    'valid',
    'same',
    'hasBias',
    'weights',
    'bias',
  ]);
  // Two inputs would carry the weights as a blob; we only run weights held in the layer.
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  expectRank(ctx, x, 3);
  const rank = x.shape.length;
  const [cIn, h, w] = x.shape.slice(rank - 3) as [number, number, number];
  const groups = p.nGroups || 1;
  const cOut = p.outputChannels ?? 0;
  const kc = p.kernelChannels ?? 0;
  if (kc * groups !== cIn) throw layerError(ctx, 'kernelChannels', `${kc} x nGroups ${groups} != input channels ${cIn}`);
  if (cOut <= 0 || cOut % groups !== 0) throw layerError(ctx, 'outputChannels', `${cOut} is not a positive multiple of nGroups ${groups}`);
  const [kh, kw] = pairField(ctx, 'kernelSize', p.kernelSize, [3, 3]);
  const [sh, sw] = pairField(ctx, 'stride', p.stride, [1, 1]);
  const [dh, dw] = pairField(ctx, 'dilationFactor', p.dilationFactor, [1, 1]);
  const [wy, wx] = slidingWindows(ctx, p, [h, w], [(kh - 1) * dh + 1, (kw - 1) * dw + 1], [sh, sw]);
  const weights = readWeights(ctx, 'weights', p.weights, cOut * kc * kh * kw);
  if (!p.hasBias && p.bias) throw layerError(ctx, 'bias', 'is set while hasBias is false');
  const bias = p.hasBias ? readWeights(ctx, 'bias', p.bias, cOut) : new Float32Array(cOut);

  const [oh, ow] = [wy.out, wx.out];
  const batch = leadingSize(x.shape, 3);
  const out = tensor([...x.shape.slice(0, rank - 3), cOut, oh, ow]);
  const outPerGroup = cOut / groups;
  // Per output plane, accumulate one kernel tap at a time over the outputs that tap reaches
  // inside the input: the same summation order (bias, then channel, row, column) as a
  // per-output loop, without a bounds test in the inner loop.
  const acc = new Float64Array(oh * ow);
  const rowRanges = Array.from({ length: kh }, (_, ky) => validOutputs(ky * dh - wy.padBefore, sh, h, oh));
  const colRanges = Array.from({ length: kw }, (_, kx) => validOutputs(kx * dw - wx.padBefore, sw, w, ow));
  for (let b = 0; b < batch; b++) {
    for (let oc = 0; oc < cOut; oc++) {
      acc.fill(bias[oc]!);
      const firstIn = Math.floor(oc / outPerGroup) * kc;
      for (let ic = 0; ic < kc; ic++) {
        const plane = (b * cIn + firstIn + ic) * h * w;
        const wBase = (oc * kc + ic) * kh * kw;
        for (let ky = 0; ky < kh; ky++) {
          const [oy0, oy1] = rowRanges[ky]!;
          for (let kx = 0; kx < kw; kx++) {
            const [ox0, ox1] = colRanges[kx]!;
            const weight = weights[wBase + ky * kw + kx]!;
            for (let oy = oy0; oy < oy1; oy++) {
              const row = plane + (oy * sh + ky * dh - wy.padBefore) * w + kx * dw - wx.padBefore;
              const accRow = oy * ow;
              for (let ox = ox0; ox < ox1; ox++) acc[accRow + ox] = acc[accRow + ox]! + weight * x.data[row + ox * sw]!;
            }
          }
        }
      }
      out.data.set(acc, (b * cOut + oc) * oh * ow);
    }
  }
  return [out];
}

/** The outputs [first, end) whose input index o * stride + offset lies in [0, size). */
function validOutputs(offset: number, stride: number, size: number, count: number): [number, number] {
  const first = Math.max(0, Math.ceil(-offset / stride));
  const end = Math.min(count, Math.floor((size - 1 - offset) / stride) + 1);
  return [first, Math.max(first, end)];
}
