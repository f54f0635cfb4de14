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
 * Pure TypeScript without Node imports: it runs unchanged in a browser.
 */
import { InputError } from '../ir/errors.js';
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

/**
 * Warps `src` with the perspective transform `matrix` (source pixel → output pixel, OpenCV's
 * default without WARP_INVERSE_MAP; it is inverted as OpenCV inverts it) into a `width` x
 * `height` RGB image. `output`, when given, must hold width * height * 3 bytes and is
 * overwritten entirely.
 */
export function warpPerspective(src: WarpSource, matrix: Matrix3x3, width: number, height: number, output?: Uint8Array): RgbImage {
  return warpPerspectiveInverse(src, invertPerspective(matrix), width, height, output);
}

/** As `warpPerspective`, with the inverse map (output pixel → source pixel) given directly. */
export function warpPerspectiveInverse(src: WarpSource, inverse: Matrix3x3, width: number, height: number, output?: Uint8Array): RgbImage {
  const channels = src.channels ?? 3;
  checkSizes(src, channels, width, height);
  const data = output ?? new Uint8Array(width * height * 3);
  if (data.length !== width * height * 3) {
    throw new InputError(`warpPerspective: output buffer holds ${data.length} bytes, a ${width}x${height} RGB image needs ${width * height * 3}`);
  }
  if (inverse.length !== 9 || !inverse.every(Number.isFinite)) {
    throw new InputError(`warpPerspective: expected a finite 3x3 matrix, got [${Array.from(inverse).join(', ')}]`);
  }
  const blockRows = Math.min(16, height);
  const blockWidth = Math.min(Math.floor(1024 / blockRows), width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x += blockWidth) {
      warpRun(src.data, src.width, src.height, channels, inverse, x, y, Math.min(blockWidth, width - x), data, (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

function checkSizes(src: WarpSource, channels: number, width: number, height: number): void {
  if (channels !== 3 && channels !== 4) throw new InputError(`warpPerspective: ${channels} channels, expected 3 (RGB) or 4 (RGBA)`);
  if (!Number.isInteger(src.width) || !Number.isInteger(src.height) || src.width < 1 || src.height < 1) {
    throw new InputError(`warpPerspective: cannot sample an empty ${src.width}x${src.height} image`);
  }
  if (src.width >= MAX_SIDE || src.height >= MAX_SIDE) {
    throw new InputError(`warpPerspective: a ${src.width}x${src.height} image has a side of ${MAX_SIDE} pixels or more, which OpenCV's remap refuses`);
  }
  if (src.data.length !== src.width * src.height * channels) {
    throw new InputError(
      `warpPerspective: a ${src.width}x${src.height} image with ${channels} channels needs ${src.width * src.height * channels} bytes, got ${src.data.length}`,
    );
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width >= MAX_SIDE || height >= MAX_SIDE) {
    throw new InputError(`warpPerspective: cannot produce a ${width}x${height} image`);
  }
}

/** Per-run scratch (a run is at most 1024 pixels): source column, row and weight index of each sample. */
const RUN_X = new Int32Array(1024);
const RUN_Y = new Int32Array(1024);
const RUN_WEIGHT = new Int32Array(1024);

/**
 * One row of one block: `count` output pixels starting at output column `x0`, row `y`. The
 * coordinates of the whole run come first, then the sampling, as OpenCV does it (and two
 * tight loops run faster in V8 than one loop doing both).
 */
function warpRun(
  src: Uint8Array,
  srcWidth: number,
  srcHeight: number,
  cn: number,
  m: Matrix3x3,
  x0: number,
  y: number,
  count: number,
  dst: Uint8Array,
  out: number,
): void {
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
    const fx = clampToInt((rowX + m0 * i) * w);
    const fy = clampToInt((rowY + m3 * i) * w);
    const ix = (fx + ROUND_TO_EVEN - ROUND_TO_EVEN) | 0;
    const iy = (fy + ROUND_TO_EVEN - ROUND_TO_EVEN) | 0;
    RUN_X[i] = clampToInt16(ix >> INTER_BITS);
    RUN_Y[i] = clampToInt16(iy >> INTER_BITS);
    RUN_WEIGHT[i] = (((iy & (INTER_TAB_SIZE - 1)) << INTER_BITS) | (ix & (INTER_TAB_SIZE - 1))) << 2;
  }
  const stride = srcWidth * cn;
  const lastX = srcWidth - 1;
  const lastY = srcHeight - 1;
  for (let i = 0; i < count; i++, out += 3) {
    const sx = RUN_X[i]!;
    const sy = RUN_Y[i]!;
    const wt = RUN_WEIGHT[i]!;
    const w0 = WEIGHTS[wt]!,
      w1 = WEIGHTS[wt + 1]!,
      w2 = WEIGHTS[wt + 2]!,
      w3 = WEIGHTS[wt + 3]!;
    if (sx >= 0 && sx < lastX && sy >= 0 && sy < lastY) {
      const p = sy * stride + sx * cn;
      const q = p + stride;
      dst[out] = (src[p]! * w0 + src[p + cn]! * w1 + src[q]! * w2 + src[q + cn]! * w3 + COEF_ROUND) >> COEF_BITS;
      dst[out + 1] = (src[p + 1]! * w0 + src[p + cn + 1]! * w1 + src[q + 1]! * w2 + src[q + cn + 1]! * w3 + COEF_ROUND) >> COEF_BITS;
      dst[out + 2] = (src[p + 2]! * w0 + src[p + cn + 2]! * w1 + src[q + 2]! * w2 + src[q + cn + 2]! * w3 + COEF_ROUND) >> COEF_BITS;
    } else if (sx > lastX || sx < -1 || sy > lastY || sy < -1) {
      dst[out] = 0;
      dst[out + 1] = 0;
      dst[out + 2] = 0;
    } else {
      // Straddles the border: each of the four neighbours is either a source pixel or 0.
      const left = sx >= 0;
      const right = sx < lastX;
      const top = sy >= 0;
      const bottom = sy < lastY;
      const p = sy * stride + sx * cn;
      const q = p + stride;
      for (let c = 0; c < 3; c++) {
        const v00 = left && top ? src[p + c]! : 0;
        const v01 = right && top ? src[p + cn + c]! : 0;
        const v10 = left && bottom ? src[q + c]! : 0;
        const v11 = right && bottom ? src[q + cn + c]! : 0;
        dst[out + c] = (v00 * w0 + v01 * w1 + v10 * w2 + v11 * w3 + COEF_ROUND) >> COEF_BITS;
      }
    }
  }
}

function clampToInt(v: number): number {
  return v < -2147483648 ? -2147483648 : v > 2147483647 ? 2147483647 : v;
}

function clampToInt16(v: number): number {
  return v < -32768 ? -32768 : v > 32767 ? 32767 : v;
}
