/**
 * 2-D convolution of NCHW float32 data in float64, shared by the Core ML executors: input
 * [batch, C_in, H, W], weights [C_out, C_in / groups, kH, kW], zero padding. Each output sums its
 * bias, then its taps in (input channel, kernel row, kernel column) order, and is rounded to
 * float32 once; taps that fall in the padding are skipped, not multiplied by zero. The loops are
 * arranged for speed (bands of rows, four output channels and several taps per pass), and every
 * arrangement keeps that order of additions, so the results do not depend on it.
 */
import { axisWindows, type AxisWindows } from './window.js';

/** Sizes of one convolution; the caller has checked that they fit together. */
export interface ConvGeometry {
  readonly batch: number;
  readonly cIn: number;
  readonly h: number;
  readonly w: number;
  readonly cOut: number;
  readonly groups: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly dh: number;
  readonly dw: number;
  /** Padding before the first row and column; what follows the last ones comes from oh and ow. */
  readonly padTop: number;
  readonly padLeft: number;
  readonly oh: number;
  readonly ow: number;
}

/**
 * The running sums of a band, kept between calls: a model runs hundreds of convolutions, and a
 * fresh array for each costs more in garbage collection than it saves.
 */
let sumsScratch = new Float64Array(0);

/** Writes the convolution of `x` into `out` ([batch, C_out, oh, ow]). */
export function convolveNchw(x: Float32Array, weights: Float32Array, bias: Float32Array, g: ConvGeometry, out: Float32Array): void {
  const { batch, cIn, h, w, cOut, groups, kh, kw, sh, sw, dh, dw, oh, ow } = g;
  const kc = cIn / groups;
  const rows = axisWindows(h, kh, sh, dh, g.padTop, oh);
  const cols = axisWindows(w, kw, sw, dw, g.padLeft, ow);
  const outPerGroup = cOut / groups;
  // Each output sums bias, then its taps in (input channel, kernel row, kernel column) order, in
  // float64. The weights of one output channel are stored in that very order, so the taps are
  // one flat list; `tapOffsets` holds where each reads relative to tap 0.
  const taps = kc * kh * kw;
  const tapOffsets = new Int32Array(taps);
  for (let ic = 0, t = 0; ic < kc; ic++) {
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++, t++) tapOffsets[t] = ic * h * w + ky * dh * w + kx * dw;
    }
  }
  // Output rows go in bands of about 1024 outputs, every output channel of a band before the
  // next band, so the input rows a band reads stay in cache across output channels.
  const bandRows = Math.max(1, Math.floor(1024 / ow));
  const colBase = cols.interiorStart < ow ? cols.origin[cols.interiorStart]! : 0;
  const plane: Plane = { x, w, ow, sw, rowOrigin: rows.origin, base: 0, firstRow: 0, oy0: 0, oy1: 0, ox0: cols.interiorStart, ox1: cols.interiorEnd };
  const band = bandRows * ow;
  if (sumsScratch.length < 4 * band) sumsScratch = new Float64Array(4 * band);
  const sums = sumsScratch;
  const accs = [0, 1, 2, 3].map((j) => sums.subarray(j * band, (j + 1) * band)) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const border: Border = { x, weights, h, w, kh, kw, kc, dh, dw, rows, cols };
  for (let b = 0; b < batch; b++) {
    for (let r0 = 0; r0 < oh; r0 += bandRows) {
      const r1 = Math.min(r0 + bandRows, oh);
      const inner0 = Math.min(Math.max(rows.interiorStart, r0), r1);
      const inner1 = Math.max(Math.min(rows.interiorEnd, r1), inner0);
      plane.firstRow = r0;
      for (let oc = 0; oc < cOut; ) {
        const group = Math.floor(oc / outPerGroup);
        // Four output channels of one group go together, so each input value read serves four sums.
        const n = oc + 4 <= (group + 1) * outPerGroup ? 4 : 1;
        const xBase = (b * cIn + group * kc) * h * w;
        const wBase = oc * taps;
        for (let j = 0; j < n; j++) accs[j]!.fill(bias[oc + j]!);
        plane.base = xBase + colBase;
        // Rows whose windows lie wholly inside the input take every tap.
        plane.oy0 = inner0;
        plane.oy1 = inner1;
        addTaps(accs, n, plane, weights, tapOffsets, wBase, taps, 0, taps);
        // A row cut by the top or bottom edge takes kernel rows [first, end) of each input
        // channel: one run of consecutive taps per channel, still in order.
        for (let oy = r0; oy < r1; oy++) {
          if (oy >= inner0 && oy < inner1) continue;
          plane.oy0 = oy;
          plane.oy1 = oy + 1;
          for (let ic = 0; ic < kc; ic++) {
            const first = (ic * kh + rows.first[oy]!) * kw;
            addTaps(accs, n, plane, weights, tapOffsets, wBase, taps, first, Math.max(first, (ic * kh + rows.end[oy]!) * kw));
          }
        }
        for (let j = 0; j < n; j++) {
          edgeColumns(accs[j]!, border, plane, r0, r1, xBase, oc + j, bias[oc + j]!);
          out.set(accs[j]!.subarray(0, (r1 - r0) * ow), ((b * cOut + oc + j) * oh + r0) * ow);
        }
        oc += n;
      }
    }
  }
}

/**
 * Adds the flat taps [from, to) to the sums of `n` output channels (four, or one) over the
 * plane's rows and interior columns, several taps a pass: each running sum is loaded and stored
 * once per pass (eight taps a pass where they last: fewer loads and stores per product), and the
 * taps still go in order. The channels' weights lie `stride` apart.
 */
function addTaps(
  accs: readonly [Float64Array, Float64Array, Float64Array, Float64Array],
  n: number,
  p: Plane,
  weights: Float32Array,
  offsets: Int32Array,
  wBase: number,
  stride: number,
  from: number,
  to: number,
): void {
  let t = from;
  if (n === 4) {
    for (; t + 8 <= to; t += 8) taps8x4(accs, p, weights, offsets, wBase + t, stride, t);
    for (; t + 4 <= to; t += 4) taps4x4(accs, p, weights, offsets, wBase + t, stride, t);
  } else {
    for (; t + 25 <= to; t += 25) taps25(accs[0], p, weights, offsets, wBase + t, t);
    for (; t + 9 <= to; t += 9) taps9(accs[0], p, weights, offsets, wBase + t, t);
    for (; t + 4 <= to; t += 4) taps4(accs[0], p, weights, offsets, wBase + t, t);
  }
  for (let j = 0; j < n; j++) {
    for (let r = t; r < to; r++) taps1(accs[j]!, p, weights[wBase + j * stride + r]!, offsets[r]!);
  }
}

/** What the edge columns read: the input, the weights and the layer's geometry. */
interface Border {
  readonly x: Float32Array;
  readonly weights: Float32Array;
  readonly h: number;
  readonly w: number;
  readonly kh: number;
  readonly kw: number;
  readonly kc: number;
  readonly dh: number;
  readonly dw: number;
  readonly rows: AxisWindows;
  readonly cols: AxisWindows;
}

/** The outputs of rows [r0, r1) in columns cut by the left or right edge, each over its in-range taps. */
function edgeColumns(acc: Float64Array, g: Border, p: Plane, r0: number, r1: number, xBase: number, oc: number, bias: number): void {
  const { rows, cols, x, weights, w, kh, kw, kc, dh, dw } = g;
  const ow = cols.size;
  const plane = g.h * w;
  for (let oy = r0; oy < r1; oy++) {
    const fy0 = rows.first[oy]!;
    const fy1 = rows.end[oy]!;
    const y0 = rows.origin[oy]!;
    for (let ox = 0; ox < ow; ox++) {
      if (ox === p.ox0) ox = p.ox1;
      if (ox >= ow) break;
      const fx0 = cols.first[ox]!;
      const fx1 = cols.end[ox]!;
      const x0 = cols.origin[ox]!;
      let s = bias;
      for (let ic = 0; ic < kc; ic++) {
        for (let ky = fy0; ky < fy1; ky++) {
          const row = xBase + ic * plane + (y0 + ky * dh) * w + x0;
          const wRow = ((oc * kc + ic) * kh + ky) * kw;
          for (let kx = fx0; kx < fx1; kx++) s += weights[wRow + kx]! * x[row + kx * dw]!;
        }
      }
      acc[(oy - r0) * ow + ox] = s;
    }
  }
}

/**
 * The interior outputs of one band: rows [oy0, oy1) and columns [ox0, ox1). Output (oy, ox0 + j)
 * has its tap 0 at x[base + rowOrigin[oy] * w + j * sw] and its sum at acc[(oy - firstRow) * ow + ox0 + j].
 */
interface Plane {
  readonly x: Float32Array;
  readonly w: number;
  readonly ow: number;
  readonly sw: number;
  readonly rowOrigin: Int32Array;
  base: number;
  firstRow: number;
  oy0: number;
  oy1: number;
  readonly ox0: number;
  readonly ox1: number;
}

/**
 * Adds taps t..t+3 to the interior sums of four output channels, whose weights start at `wAt`
 * and lie `stride` apart.
 */
function taps4x4(
  accs: readonly [Float64Array, Float64Array, Float64Array, Float64Array],
  p: Plane,
  weights: Float32Array,
  offsets: Int32Array,
  wAt: number,
  stride: number,
  t: number,
): void {
  const [acc0, acc1, acc2, acc3] = accs;
  const a0 = weights[wAt]!;
  const a1 = weights[wAt + 1]!;
  const a2 = weights[wAt + 2]!;
  const a3 = weights[wAt + 3]!;
  const b0 = weights[wAt + stride]!;
  const b1 = weights[wAt + stride + 1]!;
  const b2 = weights[wAt + stride + 2]!;
  const b3 = weights[wAt + stride + 3]!;
  const c0 = weights[wAt + 2 * stride]!;
  const c1 = weights[wAt + 2 * stride + 1]!;
  const c2 = weights[wAt + 2 * stride + 2]!;
  const c3 = weights[wAt + 2 * stride + 3]!;
  const d0 = weights[wAt + 3 * stride]!;
  const d1 = weights[wAt + 3 * stride + 1]!;
  const d2 = weights[wAt + 3 * stride + 2]!;
  const d3 = weights[wAt + 3 * stride + 3]!;
  const o0 = offsets[t]!;
  const o1 = offsets[t + 1]!;
  const o2 = offsets[t + 2]!;
  const o3 = offsets[t + 3]!;
  const x = p.x;
  for (let oy = p.oy0; oy < p.oy1; oy++) {
    let q = p.base + p.rowOrigin[oy]! * p.w;
    const row = (oy - p.firstRow) * p.ow;
    for (let i = row + p.ox0, end = row + p.ox1; i < end; i++, q += p.sw) {
      const x0 = x[q + o0]!;
      const x1 = x[q + o1]!;
      const x2 = x[q + o2]!;
      const x3 = x[q + o3]!;
      acc0[i] = acc0[i]! + a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3;
      acc1[i] = acc1[i]! + b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3;
      acc2[i] = acc2[i]! + c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3;
      acc3[i] = acc3[i]! + d0 * x0 + d1 * x1 + d2 * x2 + d3 * x3;
    }
  }
}

/** Adds taps t..t+7 to the interior sums of four output channels, like taps4x4. */
function taps8x4(
  accs: readonly [Float64Array, Float64Array, Float64Array, Float64Array],
  p: Plane,
  weights: Float32Array,
  offsets: Int32Array,
  wAt: number,
  stride: number,
  t: number,
): void {
  const [acc0, acc1, acc2, acc3] = accs;
  const a0 = weights[wAt]!;
  const a1 = weights[wAt + 1]!;
  const a2 = weights[wAt + 2]!;
  const a3 = weights[wAt + 3]!;
  const a4 = weights[wAt + 4]!;
  const a5 = weights[wAt + 5]!;
  const a6 = weights[wAt + 6]!;
  const a7 = weights[wAt + 7]!;
  const b0 = weights[wAt + stride]!;
  const b1 = weights[wAt + stride + 1]!;
  const b2 = weights[wAt + stride + 2]!;
  const b3 = weights[wAt + stride + 3]!;
  const b4 = weights[wAt + stride + 4]!;
  const b5 = weights[wAt + stride + 5]!;
  const b6 = weights[wAt + stride + 6]!;
  const b7 = weights[wAt + stride + 7]!;
  const c0 = weights[wAt + 2 * stride]!;
  const c1 = weights[wAt + 2 * stride + 1]!;
  const c2 = weights[wAt + 2 * stride + 2]!;
  const c3 = weights[wAt + 2 * stride + 3]!;
  const c4 = weights[wAt + 2 * stride + 4]!;
  const c5 = weights[wAt + 2 * stride + 5]!;
  const c6 = weights[wAt + 2 * stride + 6]!;
  const c7 = weights[wAt + 2 * stride + 7]!;
  const d0 = weights[wAt + 3 * stride]!;
  const d1 = weights[wAt + 3 * stride + 1]!;
  const d2 = weights[wAt + 3 * stride + 2]!;
  const d3 = weights[wAt + 3 * stride + 3]!;
  const d4 = weights[wAt + 3 * stride + 4]!;
  const d5 = weights[wAt + 3 * stride + 5]!;
  const d6 = weights[wAt + 3 * stride + 6]!;
  const d7 = weights[wAt + 3 * stride + 7]!;
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
    const row = (oy - p.firstRow) * p.ow;
    for (let i = row + p.ox0, end = row + p.ox1; i < end; i++, q += p.sw) {
      const x0 = x[q + o0]!;
      const x1 = x[q + o1]!;
      const x2 = x[q + o2]!;
      const x3 = x[q + o3]!;
      const x4 = x[q + o4]!;
      const x5 = x[q + o5]!;
      const x6 = x[q + o6]!;
      const x7 = x[q + o7]!;
      acc0[i] = acc0[i]! + a0 * x0 + a1 * x1 + a2 * x2 + a3 * x3 + a4 * x4 + a5 * x5 + a6 * x6 + a7 * x7;
      acc1[i] = acc1[i]! + b0 * x0 + b1 * x1 + b2 * x2 + b3 * x3 + b4 * x4 + b5 * x5 + b6 * x6 + b7 * x7;
      acc2[i] = acc2[i]! + c0 * x0 + c1 * x1 + c2 * x2 + c3 * x3 + c4 * x4 + c5 * x5 + c6 * x6 + c7 * x7;
      acc3[i] = acc3[i]! + d0 * x0 + d1 * x1 + d2 * x2 + d3 * x3 + d4 * x4 + d5 * x5 + d6 * x6 + d7 * x7;
    }
  }
}

/** Adds taps t..t+24 (weights from `wAt`) to every interior sum: one input channel of a 5x5 kernel. */
function taps25(acc: Float64Array, p: Plane, weights: Float32Array, offsets: Int32Array, wAt: number, t: number): void {
  const a0 = weights[wAt]!;
  const a1 = weights[wAt + 1]!;
  const a2 = weights[wAt + 2]!;
  const a3 = weights[wAt + 3]!;
  const a4 = weights[wAt + 4]!;
  const a5 = weights[wAt + 5]!;
  const a6 = weights[wAt + 6]!;
  const a7 = weights[wAt + 7]!;
  const a8 = weights[wAt + 8]!;
  const a9 = weights[wAt + 9]!;
  const a10 = weights[wAt + 10]!;
  const a11 = weights[wAt + 11]!;
  const a12 = weights[wAt + 12]!;
  const a13 = weights[wAt + 13]!;
  const a14 = weights[wAt + 14]!;
  const a15 = weights[wAt + 15]!;
  const a16 = weights[wAt + 16]!;
  const a17 = weights[wAt + 17]!;
  const a18 = weights[wAt + 18]!;
  const a19 = weights[wAt + 19]!;
  const a20 = weights[wAt + 20]!;
  const a21 = weights[wAt + 21]!;
  const a22 = weights[wAt + 22]!;
  const a23 = weights[wAt + 23]!;
  const a24 = weights[wAt + 24]!;
  const o0 = offsets[t]!;
  const o1 = offsets[t + 1]!;
  const o2 = offsets[t + 2]!;
  const o3 = offsets[t + 3]!;
  const o4 = offsets[t + 4]!;
  const o5 = offsets[t + 5]!;
  const o6 = offsets[t + 6]!;
  const o7 = offsets[t + 7]!;
  const o8 = offsets[t + 8]!;
  const o9 = offsets[t + 9]!;
  const o10 = offsets[t + 10]!;
  const o11 = offsets[t + 11]!;
  const o12 = offsets[t + 12]!;
  const o13 = offsets[t + 13]!;
  const o14 = offsets[t + 14]!;
  const o15 = offsets[t + 15]!;
  const o16 = offsets[t + 16]!;
  const o17 = offsets[t + 17]!;
  const o18 = offsets[t + 18]!;
  const o19 = offsets[t + 19]!;
  const o20 = offsets[t + 20]!;
  const o21 = offsets[t + 21]!;
  const o22 = offsets[t + 22]!;
  const o23 = offsets[t + 23]!;
  const o24 = offsets[t + 24]!;
  const x = p.x;
  for (let oy = p.oy0; oy < p.oy1; oy++) {
    let q = p.base + p.rowOrigin[oy]! * p.w;
    const row = (oy - p.firstRow) * p.ow;
    for (let i = row + p.ox0, end = row + p.ox1; i < end; i++, q += p.sw) {
      acc[i] =
        acc[i]! +
        a0 * x[q + o0]! +
        a1 * x[q + o1]! +
        a2 * x[q + o2]! +
        a3 * x[q + o3]! +
        a4 * x[q + o4]! +
        a5 * x[q + o5]! +
        a6 * x[q + o6]! +
        a7 * x[q + o7]! +
        a8 * x[q + o8]! +
        a9 * x[q + o9]! +
        a10 * x[q + o10]! +
        a11 * x[q + o11]! +
        a12 * x[q + o12]! +
        a13 * x[q + o13]! +
        a14 * x[q + o14]! +
        a15 * x[q + o15]! +
        a16 * x[q + o16]! +
        a17 * x[q + o17]! +
        a18 * x[q + o18]! +
        a19 * x[q + o19]! +
        a20 * x[q + o20]! +
        a21 * x[q + o21]! +
        a22 * x[q + o22]! +
        a23 * x[q + o23]! +
        a24 * x[q + o24]!;
    }
  }
}

/** Adds taps t..t+8 (weights from `wAt`) to every interior sum: one input channel of a 3x3 kernel. */
function taps9(acc: Float64Array, p: Plane, weights: Float32Array, offsets: Int32Array, wAt: number, t: number): void {
  const a0 = weights[wAt]!;
  const a1 = weights[wAt + 1]!;
  const a2 = weights[wAt + 2]!;
  const a3 = weights[wAt + 3]!;
  const a4 = weights[wAt + 4]!;
  const a5 = weights[wAt + 5]!;
  const a6 = weights[wAt + 6]!;
  const a7 = weights[wAt + 7]!;
  const a8 = weights[wAt + 8]!;
  const o0 = offsets[t]!;
  const o1 = offsets[t + 1]!;
  const o2 = offsets[t + 2]!;
  const o3 = offsets[t + 3]!;
  const o4 = offsets[t + 4]!;
  const o5 = offsets[t + 5]!;
  const o6 = offsets[t + 6]!;
  const o7 = offsets[t + 7]!;
  const o8 = offsets[t + 8]!;
  const x = p.x;
  for (let oy = p.oy0; oy < p.oy1; oy++) {
    let q = p.base + p.rowOrigin[oy]! * p.w;
    const row = (oy - p.firstRow) * p.ow;
    for (let i = row + p.ox0, end = row + p.ox1; i < end; i++, q += p.sw) {
      acc[i] =
        acc[i]! +
        a0 * x[q + o0]! +
        a1 * x[q + o1]! +
        a2 * x[q + o2]! +
        a3 * x[q + o3]! +
        a4 * x[q + o4]! +
        a5 * x[q + o5]! +
        a6 * x[q + o6]! +
        a7 * x[q + o7]! +
        a8 * x[q + o8]!;
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
    const row = (oy - p.firstRow) * p.ow;
    for (let i = row + p.ox0, end = row + p.ox1; i < end; i++, q += p.sw) {
      acc[i] = acc[i]! + a0 * x[q + o0]! + a1 * x[q + o1]! + a2 * x[q + o2]! + a3 * x[q + o3]!;
    }
  }
}

/** Adds one tap (weight a0, offset o0) to every interior sum. */
function taps1(acc: Float64Array, p: Plane, a0: number, o0: number): void {
  const x = p.x;
  for (let oy = p.oy0; oy < p.oy1; oy++) {
    let q = p.base + p.rowOrigin[oy]! * p.w + o0;
    const row = (oy - p.firstRow) * p.ow;
    for (let i = row + p.ox0, end = row + p.ox1; i < end; i++, q += p.sw) acc[i] = acc[i]! + a0 * x[q]!;
  }
}
