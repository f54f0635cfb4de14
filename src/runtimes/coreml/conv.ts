/**
 * Convolution (grouped, so depthwise too): input [..., C_in, H, W], weights
 * [C_out, C_in / nGroups, kH, kW], zero padding. Deconvolution is refused.
 */
import type { ConvolutionLayerParams } from '../../coreml/types.js';
import { expectInputs, expectRank, layerError, onlyFields, pairField, type LayerContext } from './layer-context.js';
import { leadingSize, tensor, type Tensor } from './tensor.js';
import { readWeights } from './weights.js';
import { slidingWindows } from './window.js';
import { axisWindows } from '../window.js';

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
  const rows = axisWindows(h, kh, sh, dh, wy.padBefore, oh);
  const cols = axisWindows(w, kw, sw, dw, wx.padBefore, ow);
  const batch = leadingSize(x.shape, 3);
  const out = tensor([...x.shape.slice(0, rank - 3), cOut, oh, ow]);
  const outPerGroup = cOut / groups;
  // Each output sums bias, then its taps in (input channel, kernel row, kernel column) order, in
  // float64. The weights of one output channel are stored in that very order, so the taps are
  // one flat list; `tapOffsets` holds where each reads relative to tap 0.
  const tapOffsets = new Int32Array(kc * kh * kw);
  for (let ic = 0, t = 0; ic < kc; ic++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++, t++) tapOffsets[t] = ic * h * w + ky * dh * w + kx * dw;
    }
  }
  const plane: Plane = { x: x.data, w, ow, sw, rowOrigin: rows.origin, base: 0, oy0: rows.interiorStart, oy1: rows.interiorEnd, ox0: cols.interiorStart, ox1: cols.interiorEnd };
  const colBase = plane.ox0 < ow ? cols.origin[plane.ox0]! : 0;
  const acc = new Float64Array(oh * ow);
  for (let b = 0; b < batch; b++) {
    for (let oc = 0; oc < cOut; oc++) {
      const xBase = (b * cIn + Math.floor(oc / outPerGroup) * kc) * h * w;
      const wBase = oc * kc * kh * kw;
      acc.fill(bias[oc]!);
      // Inside the interior every tap is in the input: the taps go eight at a time, so each
      // running sum is loaded and stored once per eight products, still added in order.
      plane.base = xBase + colBase;
      let t = 0;
      for (; t + 8 <= tapOffsets.length; t += 8) taps8(acc, plane, weights, tapOffsets, wBase + t, t);
      for (; t + 4 <= tapOffsets.length; t += 4) taps4(acc, plane, weights, tapOffsets, wBase + t, t);
      for (; t < tapOffsets.length; t++) taps1(acc, plane, weights[wBase + t]!, tapOffsets[t]!);
      // The border: each output on its own, over the taps that fall inside the input.
      for (let oy = 0; oy < oh; oy++) {
        const inside = oy >= plane.oy0 && oy < plane.oy1;
        for (let ox = 0; ox < ow; ox++) {
          if (inside && ox >= plane.ox0 && ox < plane.ox1) continue;
          let s = bias[oc]!;
          for (let ic = 0; ic < kc; ic++) {
            for (let ky = rows.first[oy]!; ky < rows.end[oy]!; ky++) {
              const row = xBase + ic * h * w + (rows.origin[oy]! + ky * dh) * w + cols.origin[ox]!;
              const wRow = wBase + (ic * kh + ky) * kw;
              for (let kx = cols.first[ox]!; kx < cols.end[ox]!; kx++) s += weights[wRow + kx]! * x.data[row + kx * dw]!;
            }
          }
          acc[oy * ow + ox] = s;
        }
      }
      out.data.set(acc, (b * cOut + oc) * oh * ow);
    }
  }
  return [out];
}

/**
 * The interior [oy0, oy1) x [ox0, ox1) of one output plane: output (oy, ox0 + j) has its tap 0 at
 * x[base + rowOrigin[oy] * w + j * sw].
 */
interface Plane {
  readonly x: Float32Array;
  readonly w: number;
  readonly ow: number;
  readonly sw: number;
  readonly rowOrigin: Int32Array;
  base: number;
  readonly oy0: number;
  readonly oy1: number;
  readonly ox0: number;
  readonly ox1: number;
}

/** Adds taps t..t+7 (weights from `wAt`) to every interior sum. */
function taps8(acc: Float64Array, p: Plane, weights: Float32Array, offsets: Int32Array, wAt: number, t: number): void {
  const a0 = weights[wAt]!;
  const a1 = weights[wAt + 1]!;
  const a2 = weights[wAt + 2]!;
  const a3 = weights[wAt + 3]!;
  const a4 = weights[wAt + 4]!;
  const a5 = weights[wAt + 5]!;
  const a6 = weights[wAt + 6]!;
  const a7 = weights[wAt + 7]!;
  const o0 = offsets[t]!;
  const o1 = offsets[t + 1]!;
  const o2 = offsets[t + 2]!;
  const o3 = offsets[t + 3]!;
  const o4 = offsets[t + 4]!;
  const o5 = offsets[t + 5]!;
  const o6 = offsets[t + 6]!;
  const o7 = offsets[t + 7]!;
  const x = p.x;
  for (let oy = p.oy0; oy < p.oy1; oy++) {
    let q = p.base + p.rowOrigin[oy]! * p.w;
    for (let i = oy * p.ow + p.ox0, end = oy * p.ow + p.ox1; i < end; i++, q += p.sw) {
      acc[i] = acc[i]! + a0 * x[q + o0]! + a1 * x[q + o1]! + a2 * x[q + o2]! + a3 * x[q + o3]! + a4 * x[q + o4]! + a5 * x[q + o5]! + a6 * x[q + o6]! + a7 * x[q + o7]!;
    }
  }
}

/** Adds taps t..t+3 (weights from `wAt`) to every interior sum. */
function taps4(acc: Float64Array, p: Plane, weights: Float32Array, offsets: Int32Array, wAt: number, t: number): void {
  const a0 = weights[wAt]!;
  const a1 = weights[wAt + 1]!;
  const a2 = weights[wAt + 2]!;
  const a3 = weights[wAt + 3]!;
  const o0 = offsets[t]!;
  const o1 = offsets[t + 1]!;
  const o2 = offsets[t + 2]!;
  const o3 = offsets[t + 3]!;
  const x = p.x;
  for (let oy = p.oy0; oy < p.oy1; oy++) {
    let q = p.base + p.rowOrigin[oy]! * p.w;
    for (let i = oy * p.ow + p.ox0, end = oy * p.ow + p.ox1; i < end; i++, q += p.sw) {
      acc[i] = acc[i]! + a0 * x[q + o0]! + a1 * x[q + o1]! + a2 * x[q + o2]! + a3 * x[q + o3]!;
    }
  }
}

/** Adds one tap (weight a0, offset o0) to every interior sum. */
function taps1(acc: Float64Array, p: Plane, a0: number, o0: number): void {
  const x = p.x;
  for (let oy = p.oy0; oy < p.oy1; oy++) {
    let q = p.base + p.rowOrigin[oy]! * p.w + o0;
    for (let i = oy * p.ow + p.ox0, end = oy * p.ow + p.ox1; i < end; i++, q += p.sw) acc[i] = acc[i]! + a0 * x[q]!;
  }
}
