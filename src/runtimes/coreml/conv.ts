/**
 * Convolution (grouped, so depthwise too): input [..., C_in, H, W], weights
 * [C_out, C_in / nGroups, kH, kW], zero padding. Deconvolution is refused.
 */
import type { ConvolutionLayerParams } from '../../coreml/types.js';
import { expectInputs, expectRank, layerError, onlyFields, outputTensor, pairField, type LayerContext } from './layer-context.js';
import { leadingSize, type Tensor } from './tensor.js';
import { readWeights } from './weights.js';
import { slidingWindows } from './window.js';
import { convolveNchw } from '../conv-nchw.js';

export function convolution(ctx: LayerContext, p: ConvolutionLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['outputChannels', 'kernelChannels', 'nGroups', 'kernelSize', 'stride', 'dilationFactor', 'valid', 'same', 'hasBias', 'weights', 'bias']);
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

  const out = outputTensor(ctx, [...x.shape.slice(0, rank - 3), cOut, wy.out, wx.out]);
  const geometry = {
    batch: leadingSize(x.shape, 3),
    cIn,
    h,
    w,
    cOut,
    groups,
    kh,
    kw,
    sh,
    sw,
    dh,
    dw,
    padTop: wy.padBefore,
    padLeft: wx.padBefore,
    oh: wy.out,
    ow: wx.out,
  };
  convolveNchw(x.data, weights, bias, geometry, out.data);
  return [out];
}
