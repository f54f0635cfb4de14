/**
 * 2-D convolution of NCHW float32 data in float64, shared by the Core ML executors: input
 * [batch, C_in, H, W], weights [C_out, C_in / groups, kH, kW], zero padding. Each output sums its
 * bias, then its taps in (input channel, kernel row, kernel column) order, and is rounded to
 * float32 once; taps that fall in the padding are skipped, not multiplied by zero. The loops run
 * in WebAssembly (schemas/wasm/conv-nchw.wat, assembled into src/schema/wasm/conv-nchw.ts), with SIMD lanes over
 * adjacent outputs and several outputs a pass, and every arrangement keeps that order of
 * additions, so the results do not depend on it.
 */
import { axisWindows, type AxisWindows } from './window.js';
import { CONV_NCHW_WASM } from '../schema/wasm/conv-nchw.js';
import { instantiateKernels, kernelBuffer, type KernelInstance } from './wasm.js';

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

/** The exports of conv-nchw.wat; addresses are byte offsets into its memory. */
interface Kernels {
  pointwise(x: number, xStride: number, w: number, bias: number, out: number, kc: number, hw: number, cOut: number): void;
  splitPhases(x: number, rows: number, wd: number, stride: number, phaseWidth: number, out: number): void;
  conv(
    x: number,
    xw: number,
    taps: number,
    rowW: number,
    lane: number,
    w: number,
    bias: number,
    out: number,
    rows: number,
    cols: number,
    kc: number,
    h: number,
    wd: number,
    cOut: number,
    kh: number,
    kw: number,
    dh: number,
    dw: number,
    oh: number,
    ow: number,
    ox0: number,
    ox1: number,
    oy0: number,
    oy1: number,
    groups: number,
  ): void;
}

let instance: KernelInstance<Kernels> | undefined;

/** Writes the convolution of `x` into `out` ([batch, C_out, oh, ow]). */
export function convolveNchw(x: Float32Array, weights: Float32Array, bias: Float32Array, g: ConvGeometry, out: Float32Array): void {
  const { batch, cIn, h, w, cOut, groups, kh, kw, sh, sw, dh, dw, oh, ow } = g;
  const hw = h * w;
  // A 1x1 convolution of one group that keeps the size is a product of matrices, with a kernel of
  // its own; it reads each input plane in blocks of four positions.
  const pointwise = kh === 1 && kw === 1 && sh === 1 && sw === 1 && groups === 1 && g.padTop === 0 && g.padLeft === 0 && oh === h && ow === w && hw >= 4;
  // Input planes 4 KiB apart fall into the same cache sets, and the pointwise kernel reads one
  // position of every plane in turn: a cache line of slack between them spreads the planes out.
  const xStride = pointwise && (hw * 8) % 4096 === 0 ? hw * 8 + 64 : hw * 8;
  const rows = axisWindows(h, kh, sh, dh, g.padTop, oh);
  const cols = axisWindows(w, kw, sw, dw, g.padLeft, ow);
  // The conv kernel's blocks of interior outputs read adjacent values when the rows are split
  // into sw phases (the input itself at stride 1). Splitting copies the input once more, which
  // pays when each input value serves many taps (a first layer's few planes and many output
  // channels), not in a strided depthwise layer, whose blocks then load their values one by one.
  const blocks = !pointwise && cols.interiorEnd - cols.interiorStart >= 8;
  const split = blocks && sw > 1 && ((cOut / groups) * kh * kw) / (sh * sw) >= 16;
  const phaseWidth = split ? Math.ceil(w / sw) : w;
  const rowW = split ? sw * phaseWidth * 8 : w * 8;
  const lane = split ? 8 : sw * 8;
  const outItem = cOut * oh * ow;
  const xAt = 0;
  const xwAt = xAt + cIn * xStride;
  const wAt = xwAt + (split ? cIn * h * rowW : 0);
  const biasAt = wAt + weights.length * 8;
  const outAt = biasAt + cOut * 8;
  const rowsAt = outAt + outItem * 4;
  const colsAt = rowsAt + oh * 12;
  const tapsAt = colsAt + ow * 12;
  instance ??= instantiateKernels<Kernels>(CONV_NCHW_WASM);
  const k = instance;
  const memory = kernelBuffer(k.memory, tapsAt + kw * 4);
  new Float64Array(memory, wAt, weights.length).set(weights);
  new Float64Array(memory, biasAt, cOut).set(bias);
  writeTable(new Int32Array(memory, rowsAt, oh * 3), rows);
  writeTable(new Int32Array(memory, colsAt, ow * 3), cols);
  writeTaps(new Int32Array(memory, tapsAt, kw), kw, split ? sw : 1, dw, g.padLeft, phaseWidth);
  const planes = new Float64Array(memory, xAt, (cIn * xStride) / 8);
  const result = new Float32Array(memory, outAt, outItem);
  for (let b = 0; b < batch; b++) {
    const item = x.subarray(b * cIn * hw, (b + 1) * cIn * hw);
    if (xStride === hw * 8) planes.set(item);
    else for (let c = 0; c < cIn; c++) planes.set(item.subarray(c * hw, (c + 1) * hw), (c * xStride) / 8);
    if (split) k.splitPhases(xAt, cIn * h, w, sw, phaseWidth, xwAt);
    if (pointwise) k.pointwise(xAt, xStride, wAt, biasAt, outAt, cIn, hw, cOut);
    else {
      k.conv(
        xAt,
        split ? xwAt : xAt,
        tapsAt,
        rowW,
        lane,
        wAt,
        biasAt,
        outAt,
        rowsAt,
        colsAt,
        cIn / groups,
        h,
        w,
        cOut / groups,
        kh,
        kw,
        dh,
        dw,
        oh,
        ow,
        cols.interiorStart,
        cols.interiorEnd,
        rows.interiorStart,
        rows.interiorEnd,
        groups,
      );
    }
    out.set(result, b * outItem);
  }
}

/**
 * Per kernel column kx, the byte offset of tap kx of output q from q * 8 in a row split into
 * `stride` phases of `phaseWidth`: its column q * stride - padLeft + kx * dilation is value
 * q + floor(m / stride) of phase m mod stride, for m = kx * dilation - padLeft. With stride 1
 * (one phase, the row as it is) that is the offset from the column q * lane / 8 the kernel starts at.
 */
function writeTaps(taps: Int32Array, kw: number, stride: number, dilation: number, padLeft: number, phaseWidth: number): void {
  for (let kx = 0; kx < kw; kx++) {
    const m = kx * dilation - padLeft;
    const phase = ((m % stride) + stride) % stride;
    taps[kx] = (phase * phaseWidth + Math.floor(m / stride)) * 8;
  }
}

/** An axis's windows as the kernels read them: (origin, first, end) per output. */
function writeTable(table: Int32Array, windows: AxisWindows): void {
  for (let i = 0; i < windows.size; i++) {
    table[3 * i] = windows.origin[i]!;
    table[3 * i + 1] = windows.first[i]!;
    table[3 * i + 2] = windows.end[i]!;
  }
}
