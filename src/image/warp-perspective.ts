/**
 * `cv::warpPerspective(src, dst, M, size, INTER_LINEAR, BORDER_CONSTANT, 0)` on 8-bit RGB or
 * RGBA images, byte for byte (RGBA sources give the RGB channels of OpenCV's 4-channel result,
 * which is what MediaPipe keeps after its RGBA2RGB conversion).
 *
 * OpenCV 4.x does it in two steps per block of output pixels, and both are reproduced here:
 *
 * 1. Coordinates (WarpPerspectiveInvoker). The output is cut into blocks of at most 1024
 *    pixels: bh = min(16, H) rows by bw = min(1024 / bh, W) columns. For each output row y of a
 *    block starting at column x, in double:
 *      X0 = M0*x + M1*y + M2,  Y0 = M3*x + M4*y + M5,  W0 = M6*x + M7*y + M8
 *    and for column x + i of the block
 *      w = W0 + M6*i;  w = w ? 32 / w : 0
 *      X = round((X0 + M0*i) * w),  Y = round((Y0 + M3*i) * w)
 *    (M is the inverse map; the products are clamped to the int range and rounded half to
 *    even). The block origin matters: X0 + M0*i rounds differently from M0*(x+i) + ... . The
 *    integer part X >> 5 (saturated to int16) is the source column, X & 31 the 1/32-pixel
 *    fraction; likewise for Y. The SSE4.1 line kernel performs the same double operations in
 *    the same order, so every path gives the same integers.
 * 2. Interpolation (remapBilinear with 16-bit fixed point). The fractions index a table of
 *    32x32 weight quadruples in units of 2^-15: (32-fy)(32-fx)*32, (32-fy)*fx*32,
 *    fy*(32-fx)*32, fy*fx*32. The zero fraction's 32768 does not fit int16: OpenCV's table
 *    holds 32767, and wherever the missing unit goes the pixel is p00, since
 *    (32767*p00 + p + 2^14) >> 15 = p00 for any bytes p00, p. Each channel is
 *    (p00*w0 + p01*w1 + p10*w2 + p11*w3 + 2^14) >> 15. A sample whose
 *    2x2 neighbourhood lies wholly outside the source is 0; one that straddles the border uses
 *    0 for the missing neighbours (BORDER_CONSTANT).
 *
 * When the inverse map has no rotation, shear or perspective (M1 = M3 = M6 = M7 = 0, what a
 * letterboxed whole image or an upright ROI gives), X depends only on the output column and Y
 * only on the row: the products M1*y and M3*x are zeros, which leave every sum unchanged but
 * for the sign of a zero, and the sign of a zero cannot change a rounded integer. The columns'
 * and rows' integers are then computed once each, rows wholly outside the source are filled
 * without sampling, and the result is the same bytes as the per-pixel path.
 *
 * The source may be an `OrientedImage` (orientation.ts): the warp then samples the upright
 * image through the EXIF orientation, straight from the stored grid.
 *
 * Pure TypeScript without Node imports: it runs unchanged in a browser.
 */
import { InputError } from '../ir/errors.js';
import { type OrientedImage, orientedView, type PixelView } from './orientation.js';
import { invertPerspective, type Matrix3x3 } from './perspective-transform.js';
import type { RgbImage } from './rgb-image.js';

/** An 8-bit image to sample from: RGB (the default) or RGBA, interleaved, row-major. */
export interface WarpSource {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  /** 3 (RGB, as `RgbImage`) or 4 (RGBA: alpha is read past, never sampled). */
  readonly channels?: 3 | 4;
}

const INTER_BITS = 5;
const INTER_TAB_SIZE = 1 << INTER_BITS;
const COEF_BITS = 15;
const COEF_ROUND = 1 << (COEF_BITS - 1);
/** Adding and subtracting 1.5 * 2^52 rounds a double below 2^51 to an integer, ties to even. */
const ROUND_TO_EVEN = 6755399441055744;
/** OpenCV's remap refuses images whose side reaches SHRT_MAX; the int16 coordinates need it. */
const MAX_SIDE = 32767;

/** remap's bilinear table: for fraction (fy, fx) the weights of p00, p01, p10, p11 at index (fy*32 + fx)*4. */
const WEIGHTS = bilinearWeights();

function bilinearWeights(): Int32Array {
  const table = new Int32Array(INTER_TAB_SIZE * INTER_TAB_SIZE * 4);
  for (let fy = 0; fy < INTER_TAB_SIZE; fy++) {
    for (let fx = 0; fx < INTER_TAB_SIZE; fx++) {
      const at = (fy * INTER_TAB_SIZE + fx) * 4;
      table[at] = (INTER_TAB_SIZE - fy) * (INTER_TAB_SIZE - fx) * INTER_TAB_SIZE;
      table[at + 1] = (INTER_TAB_SIZE - fy) * fx * INTER_TAB_SIZE;
      table[at + 2] = fy * (INTER_TAB_SIZE - fx) * INTER_TAB_SIZE;
      table[at + 3] = fy * fx * INTER_TAB_SIZE;
    }
  }
  table[0] = (1 << COEF_BITS) - 1;
  table[3] = 1;
  return table;
}

/** An image to warp: upright pixels, or stored pixels with their EXIF orientation. */
export type WarpInput = WarpSource | OrientedImage;

/**
 * Warps `src` with the perspective transform `matrix` (source pixel → output pixel, OpenCV's
 * default without WARP_INVERSE_MAP; it is inverted as OpenCV inverts it) into a `width` x
 * `height` RGB image. `output`, when given, must hold width * height * 3 bytes and is
 * overwritten entirely.
 */
export function warpPerspective(src: WarpInput, matrix: Matrix3x3, width: number, height: number, output?: Uint8Array): RgbImage {
  return warpPerspectiveInverse(src, invertPerspective(matrix), width, height, output);
}

/** As `warpPerspective`, with the inverse map (output pixel → source pixel) given directly. */
export function warpPerspectiveInverse(src: WarpInput, inverse: Matrix3x3, width: number, height: number, output?: Uint8Array): RgbImage {
  return warpInto(src, inverse, width, height, output);
}

/** The float tensor made with the warp: byte b is written as values[b] into floats, at the byte's index. */
export interface ToFloats {
  readonly values: Float32Array;
  readonly floats: Float32Array;
}

/** Stands in for the value table when no tensor is made. */
const NO_VALUES = new Float32Array(256);

/** The warp, and with `convert` the float tensor too: each byte b is also written as values[b] into `floats`. */
export function warpInto(src: WarpInput, inverse: Matrix3x3, width: number, height: number, output?: Uint8Array, convert?: ToFloats): RgbImage {
  const view = sourceView(src);
  checkOutput(width, height);
  const data = output ?? new Uint8Array(width * height * 3);
  if (data.length !== width * height * 3) {
    throw new InputError(`warpPerspective: output buffer holds ${data.length} bytes, a ${width}x${height} RGB image needs ${width * height * 3}`);
  }
  if (convert && convert.floats.length !== data.length) {
    throw new InputError(`warpPerspective: tensor holds ${convert.floats.length} values, a ${width}x${height} RGB image needs ${data.length}`);
  }
  if (inverse.length !== 9 || !inverse.every(Number.isFinite)) {
    throw new InputError(`warpPerspective: expected a finite 3x3 matrix, got [${Array.from(inverse).join(', ')}]`);
  }
  if (inverse[1] === 0 && inverse[3] === 0 && inverse[6] === 0 && inverse[7] === 0) {
    warpAxisAligned(view, inverse, width, height, data, convert);
  } else {
    warpGeneral(view, inverse, width, height, data);
    if (convert) toFloats(data, convert.values, convert.floats);
  }
  return { width, height, data };
}

/** The upright view of the source after checking its size and buffer. */
function sourceView(src: WarpInput): PixelView {
  const stored = 'stored' in src ? { ...src.stored, channels: 3 } : src;
  const channels = stored.channels ?? 3;
  if (channels !== 3 && channels !== 4) throw new InputError(`warpPerspective: ${channels} channels, expected 3 (RGB) or 4 (RGBA)`);
  if (!Number.isInteger(stored.width) || !Number.isInteger(stored.height) || stored.width < 1 || stored.height < 1) {
    throw new InputError(`warpPerspective: cannot sample an empty ${stored.width}x${stored.height} image`);
  }
  if (stored.width >= MAX_SIDE || stored.height >= MAX_SIDE) {
    throw new InputError(`warpPerspective: a ${stored.width}x${stored.height} image has a side of ${MAX_SIDE} pixels or more, which OpenCV's remap refuses`);
  }
  if (stored.data.length !== stored.width * stored.height * channels) {
    throw new InputError(
      `warpPerspective: a ${stored.width}x${stored.height} image with ${channels} channels needs ${stored.width * stored.height * channels} bytes, got ${stored.data.length}`,
    );
  }
  return orientedView(stored, 'stored' in src ? src.orientation : 1, channels);
}

function checkOutput(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width >= MAX_SIDE || height >= MAX_SIDE) {
    throw new InputError(`warpPerspective: cannot produce a ${width}x${height} image`);
  }
}

/** OpenCV's block width: rows are cut into runs of this many pixels, each with its own origin. */
function blockWidth(width: number, height: number): number {
  return Math.min(Math.floor(1024 / Math.min(16, height)), width);
}

/** The 1/32-pixel fixed-point coordinate OpenCV stores: v rounded half to even, clamped to the int range. */
function fixedPoint(v: number): number {
  return (clampToInt(v) + ROUND_TO_EVEN - ROUND_TO_EVEN) | 0;
}

function toFloats(data: Uint8Array, values: Float32Array, floats: Float32Array): void {
  for (let k = 0; k < data.length; k++) floats[k] = values[data[k]!]!;
}

/** Per-run scratch (a run is at most 1024 pixels): source column, row and weight index of each sample. */
const RUN_X = new Int32Array(1024);
const RUN_Y = new Int32Array(1024);
const RUN_WEIGHT = new Int32Array(1024);

function warpGeneral(view: PixelView, m: Matrix3x3, width: number, height: number, data: Uint8Array): void {
  const runWidth = blockWidth(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x += runWidth) {
      const count = Math.min(runWidth, width - x);
      const out = (y * width + x) * 3;
      warpRun(view, m, x, y, count, data, out);
    }
  }
}

/**
 * One row of one block: `count` output pixels starting at output column `x0`, row `y`. The
 * coordinates of the whole run come first, then the sampling, as OpenCV does it (and two
 * tight loops run faster in V8 than one loop doing both).
 */
function warpRun(view: PixelView, m: Matrix3x3, x0: number, y: number, count: number, dst: Uint8Array, out: number): void {
  const m0 = m[0]!,
    m3 = m[3]!,
    m6 = m[6]!;
  const rowX = m0 * x0 + m[1]! * y + m[2]!;
  const rowY = m3 * x0 + m[4]! * y + m[5]!;
  const rowW = m6 * x0 + m[7]! * y + m[8]!;
  // Without a perspective term every w of the run is rowW + 0 * i = rowW: one division serves.
  const affineW = m6 === 0 ? (rowW !== 0 ? INTER_TAB_SIZE / rowW : 0) : NaN;
  for (let i = 0; i < count; i++) {
    let w = affineW;
    if (m6 !== 0) {
      w = rowW + m6 * i;
      w = w !== 0 ? INTER_TAB_SIZE / w : 0;
    }
    const ix = fixedPoint((rowX + m0 * i) * w);
    const iy = fixedPoint((rowY + m3 * i) * w);
    RUN_X[i] = clampToInt16(ix >> INTER_BITS);
    RUN_Y[i] = clampToInt16(iy >> INTER_BITS);
    RUN_WEIGHT[i] = (((iy & (INTER_TAB_SIZE - 1)) << INTER_BITS) | (ix & (INTER_TAB_SIZE - 1))) << 2;
  }
  const { data: src, origin, xStep, yStep } = view;
  const lastX = view.width - 1;
  const lastY = view.height - 1;
  for (let i = 0; i < count; i++, out += 3) {
    const sx = RUN_X[i]!;
    const sy = RUN_Y[i]!;
    const wt = RUN_WEIGHT[i]!;
    if (sx >= 0 && sx < lastX && sy >= 0 && sy < lastY) {
      const p = origin + sy * yStep + sx * xStep;
      sampleInside(src, p, p + xStep, p + yStep, p + xStep + yStep, wt, dst, out);
    } else if (sx > lastX || sx < -1 || sy > lastY || sy < -1) {
      dst[out] = 0;
      dst[out + 1] = 0;
      dst[out + 2] = 0;
    } else {
      sampleBorder(view, sx, sy, wt, dst, out);
    }
  }
}

/** Column (or row) tables of the axis-aligned path: source index, 1/32 fraction, and where it falls. */
interface AxisSamples {
  readonly at: Int32Array;
  readonly fraction: Int32Array;
  /** 0: the pair (at, at + 1) is inside; 1: it straddles the border; 2: both outside. */
  readonly place: Uint8Array;
}

function axisSamples(fixed: (k: number) => number, count: number, last: number): AxisSamples {
  const at = new Int32Array(count);
  const fraction = new Int32Array(count);
  const place = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const v = fixed(k);
    const s = clampToInt16(v >> INTER_BITS);
    at[k] = s;
    fraction[k] = v & (INTER_TAB_SIZE - 1);
    place[k] = s >= 0 && s < last ? 0 : s > last || s < -1 ? 2 : 1;
  }
  return { at, fraction, place };
}

/** The warp for M1 = M3 = M6 = M7 = 0 (see the file comment): per-column and per-row integers computed once. */
function warpAxisAligned(view: PixelView, m: Matrix3x3, width: number, height: number, data: Uint8Array, convert?: ToFloats): void {
  const floats = convert?.floats;
  const values = convert ? convert.values : NO_VALUES;
  const m0 = m[0]!,
    m1 = m[1]!,
    m2 = m[2]!,
    m3 = m[3]!,
    m4 = m[4]!,
    m5 = m[5]!,
    m6 = m[6]!,
    m7 = m[7]!,
    m8 = m[8]!;
  const lastX = view.width - 1;
  const lastY = view.height - 1;
  const runWidth = blockWidth(width, height);
  // The per-pixel expressions of warpRun at row 0 and column 0, where the zero terms vanish.
  const columns = axisSamples(
    (x) => {
      const x0 = x - (x % runWidth);
      const rowW = m6 * x0 + m7 * 0 + m8;
      const w = rowW !== 0 ? INTER_TAB_SIZE / rowW : 0;
      return fixedPoint((m0 * x0 + m1 * 0 + m2 + m0 * (x - x0)) * w);
    },
    width,
    lastX,
  );
  const rows = axisSamples(
    (y) => {
      const rowW = m6 * 0 + m7 * y + m8;
      const w = rowW !== 0 ? INTER_TAB_SIZE / rowW : 0;
      return fixedPoint((m3 * 0 + m4 * y + m5 + m3 * 0) * w);
    },
    height,
    lastY,
  );
  const { data: src, origin, xStep, yStep } = view;
  const columnOffset = new Int32Array(width);
  for (let x = 0; x < width; x++) columnOffset[x] = columns.at[x]! * xStep;
  const rowBytes = width * 3;
  for (let y = 0; y < height; y++) {
    const start = y * rowBytes;
    const rowPlace = rows.place[y]!;
    if (rowPlace === 2) {
      data.fill(0, start, start + rowBytes);
      if (floats) floats.fill(values[0]!, start, start + rowBytes);
    } else {
      const sy = rows.at[y]!;
      const rowWeight = rows.fraction[y]! << (INTER_BITS + 2);
      const rowStart = origin + sy * yStep;
      for (let x = 0, out = start; x < width; x++, out += 3) {
        const place = columns.place[x]! | rowPlace;
        const wt = rowWeight | (columns.fraction[x]! << 2);
        if (place === 0) {
          const p = rowStart + columnOffset[x]!;
          const q = p + yStep;
          const w0 = WEIGHTS[wt]!,
            w1 = WEIGHTS[wt + 1]!,
            w2 = WEIGHTS[wt + 2]!,
            w3 = WEIGHTS[wt + 3]!;
          const r = (src[p]! * w0 + src[p + xStep]! * w1 + src[q]! * w2 + src[q + xStep]! * w3 + COEF_ROUND) >> COEF_BITS;
          const g = (src[p + 1]! * w0 + src[p + xStep + 1]! * w1 + src[q + 1]! * w2 + src[q + xStep + 1]! * w3 + COEF_ROUND) >> COEF_BITS;
          const b = (src[p + 2]! * w0 + src[p + xStep + 2]! * w1 + src[q + 2]! * w2 + src[q + xStep + 2]! * w3 + COEF_ROUND) >> COEF_BITS;
          data[out] = r;
          data[out + 1] = g;
          data[out + 2] = b;
          if (floats) {
            floats[out] = values[r]!;
            floats[out + 1] = values[g]!;
            floats[out + 2] = values[b]!;
          }
        } else {
          if (place >= 2) {
            data[out] = 0;
            data[out + 1] = 0;
            data[out + 2] = 0;
          } else {
            sampleBorder(view, columns.at[x]!, sy, wt, data, out);
          }
          if (floats) {
            floats[out] = values[data[out]!]!;
            floats[out + 1] = values[data[out + 1]!]!;
            floats[out + 2] = values[data[out + 2]!]!;
          }
        }
      }
    }
  }
}

/** A sample whose 2x2 neighbourhood (p00, p01, p10, p11 are byte offsets) lies inside the source. */
function sampleInside(src: Uint8Array, p00: number, p01: number, p10: number, p11: number, wt: number, dst: Uint8Array, out: number): void {
  const w0 = WEIGHTS[wt]!,
    w1 = WEIGHTS[wt + 1]!,
    w2 = WEIGHTS[wt + 2]!,
    w3 = WEIGHTS[wt + 3]!;
  dst[out] = (src[p00]! * w0 + src[p01]! * w1 + src[p10]! * w2 + src[p11]! * w3 + COEF_ROUND) >> COEF_BITS;
  dst[out + 1] = (src[p00 + 1]! * w0 + src[p01 + 1]! * w1 + src[p10 + 1]! * w2 + src[p11 + 1]! * w3 + COEF_ROUND) >> COEF_BITS;
  dst[out + 2] = (src[p00 + 2]! * w0 + src[p01 + 2]! * w1 + src[p10 + 2]! * w2 + src[p11 + 2]! * w3 + COEF_ROUND) >> COEF_BITS;
}

/** A sample straddling the border: each of the four neighbours is either a source pixel or 0. */
function sampleBorder(view: PixelView, sx: number, sy: number, wt: number, dst: Uint8Array, out: number): void {
  const { data: src, origin, xStep, yStep } = view;
  const left = sx >= 0;
  const right = sx < view.width - 1;
  const top = sy >= 0;
  const bottom = sy < view.height - 1;
  const p = origin + sy * yStep + sx * xStep;
  const q = p + yStep;
  const w0 = WEIGHTS[wt]!,
    w1 = WEIGHTS[wt + 1]!,
    w2 = WEIGHTS[wt + 2]!,
    w3 = WEIGHTS[wt + 3]!;
  for (let c = 0; c < 3; c++) {
    const v00 = left && top ? src[p + c]! : 0;
    const v01 = right && top ? src[p + xStep + c]! : 0;
    const v10 = left && bottom ? src[q + c]! : 0;
    const v11 = right && bottom ? src[q + xStep + c]! : 0;
    dst[out + c] = (v00 * w0 + v01 * w1 + v10 * w2 + v11 * w3 + COEF_ROUND) >> COEF_BITS;
  }
}

function clampToInt(v: number): number {
  return v < -2147483648 ? -2147483648 : v > 2147483647 ? 2147483647 : v;
}

function clampToInt16(v: number): number {
  return v < -32768 ? -32768 : v > 32767 ? 32767 : v;
}
