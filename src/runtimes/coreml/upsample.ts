/**
 * Upsampling of [H, W] by integer factors: nearest neighbour, or bilinear on the grid that
 * linearUpsampleMode picks. For an axis of Xin inputs and Xout outputs, output i samples the
 * input at (clamped to [0, Xin - 1]):
 *   DEFAULT             i * (Xin - Xin / Xout) / (Xout - 1)
 *   ALIGN_CORNERS_TRUE  i * (Xin - 1) / (Xout - 1)
 *   ALIGN_CORNERS_FALSE (i + 0.5) * Xin / Xout - 0.5   (half-pixel centres)
 */
import type { UpsampleLayerParams } from '../../coreml/types.js';
import { enumField, expectInputs, expectRank, layerError, onlyFields, outputTensor, pairField, type LayerContext } from './layer-context.js';
import { leadingSize, type Tensor } from './tensor.js';

type LinearMode = 'DEFAULT' | 'ALIGN_CORNERS_TRUE' | 'ALIGN_CORNERS_FALSE';

/** Per output index: the two input indices and the weight of the second. */
interface Taps {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly t: Float64Array;
}

export function upsample(ctx: LayerContext, p: UpsampleLayerParams, inputs: readonly Tensor[]): Tensor[] {
  onlyFields(ctx, p, ['scalingFactor', 'mode', 'linearUpsampleMode']);
  expectInputs(ctx, inputs, 1);
  const x = inputs[0]!;
  expectRank(ctx, x, 3);
  const [fh, fw] = pairField(ctx, 'scalingFactor', p.scalingFactor, [1, 1]);
  const mode = enumField(ctx, 'mode', p.mode, ['NN', 'BILINEAR'] as const);
  const linear = enumField(ctx, 'linearUpsampleMode', p.linearUpsampleMode, ['DEFAULT', 'ALIGN_CORNERS_TRUE', 'ALIGN_CORNERS_FALSE'] as const);
  if (mode === 'NN' && linear !== 'DEFAULT') throw layerError(ctx, 'linearUpsampleMode', 'applies to BILINEAR only');
  const rank = x.shape.length;
  const [h, w] = x.shape.slice(rank - 2) as [number, number];
  const [oh, ow] = [h * fh, w * fw];
  const rows = mode === 'NN' ? nearest(h, fh) : bilinear(h, oh, linear);
  const cols = mode === 'NN' ? nearest(w, fw) : bilinear(w, ow, linear);
  const out = outputTensor(ctx, [...x.shape.slice(0, rank - 2), oh, ow]);
  const planes = leadingSize(x.shape, 2);
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let y = 0; y < oh; y++) {
      const top = base + rows.lo[y]! * w;
      const bottom = base + rows.hi[y]! * w;
      const ty = rows.t[y]!;
      for (let c = 0; c < ow; c++) {
        const l = cols.lo[c]!;
        const r = cols.hi[c]!;
        const tx = cols.t[c]!;
        const upper = x.data[top + l]! * (1 - tx) + x.data[top + r]! * tx;
        const lower = x.data[bottom + l]! * (1 - tx) + x.data[bottom + r]! * tx;
        out.data[(plane * oh + y) * ow + c] = upper * (1 - ty) + lower * ty;
      }
    }
  }
  return [out];
}

function nearest(size: number, factor: number): Taps {
  const lo = Int32Array.from({ length: size * factor }, (_, i) => Math.floor(i / factor));
  return { lo, hi: lo, t: new Float64Array(lo.length) };
}

function bilinear(inSize: number, outSize: number, mode: LinearMode): Taps {
  const taps: Taps = { lo: new Int32Array(outSize), hi: new Int32Array(outSize), t: new Float64Array(outSize) };
  for (let i = 0; i < outSize; i++) {
    const g = Math.min(Math.max(gridPoint(i, inSize, outSize, mode), 0), inSize - 1);
    const lo = Math.floor(g);
    taps.lo[i] = lo;
    taps.hi[i] = Math.min(lo + 1, inSize - 1);
    taps.t[i] = g - lo;
  }
  return taps;
}

function gridPoint(i: number, inSize: number, outSize: number, mode: LinearMode): number {
  if (mode === 'ALIGN_CORNERS_FALSE') return (i + 0.5) * (inSize / outSize) - 0.5;
  if (outSize === 1) return 0;
  return mode === 'ALIGN_CORNERS_TRUE' ? (i * (inSize - 1)) / (outSize - 1) : (i * (inSize - inSize / outSize)) / (outSize - 1);
}
