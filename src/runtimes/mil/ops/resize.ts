/**
 * Bilinear resizing of the last two axes. Each output index i samples the input at a grid
 * point g(i), clamped to [0, in - 1], and interpolates the two neighbours floor(g), floor(g)+1:
 *
 *   resize_bilinear sampling_mode   g(i)
 *   STRICT_ALIGN_CORNERS            i * (in - 1) / (out - 1)
 *   ALIGN_CORNERS                   the same, but (in - 1) / 2 when out = 1
 *   DEFAULT                         i * (in - in/out) / (out - 1)
 *   OFFSET_CORNERS                  d/2 + i * d, d = max(1, in - 1) / out
 *   UNALIGN_CORNERS                 (i + 0.5) * in / out - 0.5
 *
 * upsample_bilinear takes scale factors (out = floor(in * scale)); align_corners true samples
 * like STRICT_ALIGN_CORNERS, false like UNALIGN_CORNERS.
 */
import { opError, type OpContext, type Params } from '../op-context.js';
import type { MilOpExecutor } from '../op-executor.js';
import type { FloatTensor } from '../tensor.js';

const SAMPLING_MODES = ['STRICT_ALIGN_CORNERS', 'ALIGN_CORNERS', 'DEFAULT', 'OFFSET_CORNERS', 'UNALIGN_CORNERS'] as const;
type SamplingMode = (typeof SAMPLING_MODES)[number];

export const resizeBilinear: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'target_size_height', 'target_size_width', 'sampling_mode']);
  const x = p.float('x');
  const mode = p.string('sampling_mode', SAMPLING_MODES, 'DEFAULT');
  return [resize(ctx, p, x, [p.int('target_size_height', 1), p.int('target_size_width', 1)], mode)];
};

export const upsampleBilinear: MilOpExecutor = (ctx, p) => {
  p.only(['x', 'scale_factor_height', 'scale_factor_width', 'align_corners']);
  const x = p.float('x');
  const rank = x.shape.length;
  if (rank < 3) throw opError(ctx, 'x', `needs rank 3 or more, got [${x.shape.join(', ')}]`);
  const factor = (name: string): number => {
    const t = p.optional(name);
    if (t === undefined) return 1;
    if ((t.dtype !== 'int32' && t.dtype !== 'fp32') || t.shape.length !== 0 || !(t.data[0]! > 0))
      throw opError(ctx, name, 'must be a positive int32 or fp32 scalar');
    return t.data[0] as number;
  };
  const size: [number, number] = [
    Math.floor(x.shape[rank - 2]! * factor('scale_factor_height')),
    Math.floor(x.shape[rank - 1]! * factor('scale_factor_width')),
  ];
  return [resize(ctx, p, x, size, p.bool('align_corners', true) ? 'STRICT_ALIGN_CORNERS' : 'UNALIGN_CORNERS')];
};

function resize(ctx: OpContext, p: Params, x: FloatTensor, [outH, outW]: [number, number], mode: SamplingMode): FloatTensor {
  const rank = x.shape.length;
  if (rank < 3) throw opError(ctx, 'x', `needs rank 3 or more, got [${x.shape.join(', ')}]`);
  if (!(outH >= 1 && outW >= 1 && Number.isInteger(outH) && Number.isInteger(outW)))
    throw opError(ctx, undefined, `output size ${outH}x${outW} must be positive integers`);
  const [inH, inW] = [x.shape[rank - 2]!, x.shape[rank - 1]!];
  const rows = axisSamples(inH, outH, mode);
  const cols = axisSamples(inW, outW, mode);
  const planes = x.data.length / (inH * inW);
  const out = p.output(x.dtype, [...x.shape.slice(0, rank - 2), outH, outW]);
  // The columns' samples as flat arrays, read once per output row.
  const left = Int32Array.from(cols, (c) => c.i0);
  const right = Int32Array.from(cols, (c) => c.i1);
  const t = Float64Array.from(cols, (c) => c.t);
  const rest = Float64Array.from(cols, (c) => 1 - c.t);
  const data = x.data;
  const o = out.data;
  let at = 0;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * inH * inW;
    for (const r of rows) {
      const above = base + r.i0 * inW;
      const below = base + r.i1 * inW;
      const rt = r.t;
      const rRest = 1 - r.t;
      for (let j = 0; j < outW; j++) {
        const top = data[above + left[j]!]! * rest[j]! + data[above + right[j]!]! * t[j]!;
        const bottom = data[below + left[j]!]! * rest[j]! + data[below + right[j]!]! * t[j]!;
        o[at++] = top * rRest + bottom * rt;
      }
    }
  }
  return out;
}

interface Sample {
  readonly i0: number;
  readonly i1: number;
  readonly t: number;
}

function axisSamples(size: number, count: number, mode: SamplingMode): Sample[] {
  return Array.from({ length: count }, (_, i) => {
    let g: number;
    if (mode === 'UNALIGN_CORNERS') g = (i + 0.5) * (size / count) - 0.5;
    else if (mode === 'OFFSET_CORNERS') {
      const d = Math.max(1, size - 1) / count;
      g = 0.5 * d + i * d;
    } else if (count === 1) g = mode === 'ALIGN_CORNERS' ? (size - 1) / 2 : 0;
    else if (mode === 'DEFAULT') g = (i * (size - size / count)) / (count - 1);
    else g = (i * (size - 1)) / (count - 1);
    const clamped = Math.min(size - 1, Math.max(0, g));
    const i0 = Math.floor(clamped);
    return { i0, i1: Math.min(i0 + 1, size - 1), t: clamped - i0 };
  });
}
