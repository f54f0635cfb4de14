/**
 * Pooling over [H, W] of an input [..., C, H, W]: MAX and AVERAGE (L2 is refused), with valid,
 * same or includeLastPixel (Caffe ceil-mode) windows, or one global window. Padded positions never
 * win a MAX. An AVERAGE divides by the in-bounds count with avgPoolExcludePadding, else by the
 * full window; a window that runs past the padded input (possible with includeLastPixel) has no
 * documented divisor, so that case is refused.
 */
import type { PoolingLayerParams } from '../../coreml/types.js';
import { enumField, expectInputs, expectRank, layerError, onlyFields, outputTensor, pairField, type LayerContext } from './layer-context.js';
import { leadingSize, type Tensor } from './tensor.js';
import { slidingWindows, type AxisWindow } from './window.js';
import { axisWindows } from '../window.js';
import { maxPool2x2Floats } from '../float32-ops.js';

export function pooling(ctx: LayerContext, p: PoolingLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['type', 'kernelSize', 'stride', 'valid', 'same', 'includeLastPixel', 'avgPoolExcludePadding', 'globalPooling']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  expectRank(ctx, x, 3);
  const type = enumField(ctx, 'type', p.type, ['MAX', 'AVERAGE'] as const);
  const rank = x.shape.length;
  const [c, h, w] = x.shape.slice(rank - 3) as [number, number, number];
  const kernel = p.globalPooling ? ([h, w] as const) : pairField(ctx, 'kernelSize', p.kernelSize, [3, 3]);
  const stride = p.globalPooling ? ([1, 1] as const) : pairField(ctx, 'stride', p.stride, [1, 1]);
  const [wy, wx] = windows(ctx, p, [h, w], kernel, stride);
  const [kh, kw] = kernel;
  const [sh, sw] = stride;

  const max = type === 'MAX';
  const out = outputTensor(ctx, [...x.shape.slice(0, rank - 3), c, wy.out, wx.out]);
  // The 2x2 MAX pooling at stride 2 of these networks' downsampling blocks has a vector kernel.
  const halving = kh === 2 && kw === 2 && sh === 2 && sw === 2 && wy.padBefore === 0 && wx.padBefore === 0;
  if (max && halving && wy.out === Math.floor(h / 2) && wx.out === Math.floor(w / 2) && wy.out > 0 && wx.out > 0) {
    maxPool2x2Floats(x.data, h, w, out.data);
    return [out];
  }
  const rows = axisWindows(h, kh, sh, 1, wy.padBefore, wy.out);
  const cols = axisWindows(w, kw, sw, 1, wx.padBefore, wx.out);
  const planes = leadingSize(x.shape, 3) * c;
  const data = x.data;
  let o = 0;
  for (let plane = 0; plane < planes; plane++) {
    const inBase = plane * h * w;
    for (let oy = 0; oy < wy.out; oy++) {
      const fy0 = rows.first[oy]!;
      const fy1 = rows.end[oy]!;
      for (let ox = 0; ox < wx.out; ox++, o++) {
        const fx0 = cols.first[ox]!;
        const fx1 = cols.end[ox]!;
        if (fy0 >= fy1 || fx0 >= fx1) throw layerError(ctx, 'kernelSize', `the window at (${oy}, ${ox}) covers only padding`);
        let acc = max ? -Infinity : 0;
        for (let fy = fy0; fy < fy1; fy++) {
          const row = inBase + (rows.origin[oy]! + fy) * w + cols.origin[ox]!;
          if (max) for (let fx = fx0; fx < fx1; fx++) acc = Math.max(acc, data[row + fx]!);
          else for (let fx = fx0; fx < fx1; fx++) acc += data[row + fx]!;
        }
        if (max) {
          out.data[o] = acc;
          continue;
        }
        const pastEdge = rows.origin[oy]! + kh > h + wy.padAfter || cols.origin[ox]! + kw > w + wx.padAfter;
        if (!p.avgPoolExcludePadding && pastEdge) {
          throw layerError(ctx, 'avgPoolExcludePadding', 'is false and a window runs past the padded input: the divisor is undocumented');
        }
        out.data[o] = acc / (p.avgPoolExcludePadding ? (fy1 - fy0) * (fx1 - fx0) : kh * kw);
      }
    }
  }
  return [out];
}

type Pair = readonly [number, number];

function windows(ctx: LayerContext, p: PoolingLayerParams, input: Pair, kernel: Pair, stride: Pair): [AxisWindow, AxisWindow] {
  if (!p.includeLastPixel) return slidingWindows(ctx, p, input, kernel, stride);
  if (p.valid || p.same) throw layerError(ctx, 'includeLastPixel', 'is set together with another padding type');
  onlyFields(ctx, p.includeLastPixel, ['paddingAmounts'], 'includeLastPixel.');
  const amounts = p.includeLastPixel.paddingAmounts ?? [];
  if (amounts.length !== 0 && amounts.length !== 2) throw layerError(ctx, 'includeLastPixel.paddingAmounts', 'must be [H, W]');
  const pad = [amounts[0] ?? 0, amounts[1] ?? 0];
  const anyPad = pad[0]! > 0 || pad[1]! > 0;
  return [0, 1].map((axis) => {
    const span = input[axis]! + 2 * pad[axis]! - kernel[axis]!;
    if (span < 0) throw layerError(ctx, 'kernelSize', `window ${kernel[axis]} exceeds the padded input`);
    let out = Math.ceil(span / stride[axis]!) + 1;
    // The last window must start inside the input plus its leading padding.
    if (anyPad && (out - 1) * stride[axis]! >= input[axis]! + pad[axis]!) out--;
    return { padBefore: pad[axis]!, padAfter: pad[axis]!, out };
  }) as [AxisWindow, AxisWindow];
}
