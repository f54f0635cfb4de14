/**
 * MediaPipe's CPU ImageToTensorCalculator (the OpenCV converter), as the face detection graphs
 * configure it: keep_aspect_ratio true, BORDER_ZERO, a float range such as [-1, 1].
 *
 * 1. ROI (image_to_tensor_utils.cc GetRoi): the whole image, centre (w/2, h/2), size w x h,
 *    rotation 0, or a NormalizedRect scaled by the image size.
 * 2. PadRoi: the ROI grows along one axis until it has the tensor's aspect ratio, and the
 *    growth, as a fraction of the tensor on each side, is the letterbox padding
 *    (left = right, top = bottom) that detection projection removes later.
 * 3. The ROI's corners (cv::boxPoints of a RotatedRect whose angle is rotation * 180 / pi
 *    degrees) map to the tensor's corners (0,H), (0,0), (W,0), (W,H) through
 *    cv::getPerspectiveTransform, and cv::warpPerspective (INTER_LINEAR, BORDER_CONSTANT 0)
 *    samples the uint8 image (warp-perspective.ts). The ROI's outer edges land on the tensor's
 *    outer edges, so output pixel x samples source x * roi.width / W + left edge: there is no
 *    half-pixel shift, which is what MediaPipe does and a "half-pixel centres" resize does not.
 * 4. Mat::convertTo(CV_32F, scale, offset) with GetValueRangeTransformation's float scale
 *    (max - min) / 255 and offset min. OpenCV's SIMD loop computes pixel * scale + offset with
 *    a fused multiply-add (AVX2/FMA on x86, NEON on ARM), a single rounding to float32; the
 *    table here is that correctly rounded value. (A build without FMA rounds twice and differs
 *    in the last bit for 158 of the 256 values of the [-1, 1] range.)
 *
 * Every float in MediaPipe's code is float32 and is rounded here at each operation, in C++
 * evaluation order. Pure TypeScript without Node imports: it runs unchanged in a browser.
 */
import { InputError } from '../ir/errors.js';
import type { LetterboxTransform } from './letterbox.js';
import { getPerspectiveTransform, type Matrix3x3, rotatedRectCorners } from './perspective-transform.js';
import type { RgbImage } from './rgb-image.js';
import { type OrientedImage, uprightSize } from './orientation.js';
import { invertPerspective } from './perspective-transform.js';
import { type WarpInput, type WarpSource, warpInto } from './warp-perspective.js';

const f32 = Math.fround;

/** MediaPipe's RotatedRect: centre and size in pixels, rotation in radians (float32 values). */
export interface RoiRect {
  readonly centerX: number;
  readonly centerY: number;
  readonly width: number;
  readonly height: number;
  readonly rotation: number;
}

/** MediaPipe's NormalizedRect: centre and size as fractions of the image, rotation in radians. */
export interface NormalizedRect {
  readonly xCenter: number;
  readonly yCenter: number;
  readonly width: number;
  readonly height: number;
  readonly rotation?: number;
}

export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

export interface ImageToTensorOptions {
  /** The tensor's width and height in pixels (the model input). */
  readonly width: number;
  readonly height: number;
  /** Letterbox to the tensor's aspect ratio; the face detectors use true (the default). */
  readonly keepAspectRatio?: boolean;
  /** The float range 0..255 maps to; [-1, 1] by default, as the face detectors expect. */
  readonly range?: ValueRange;
  /** The region to take; the whole image by default. */
  readonly roi?: NormalizedRect;
}

export interface ImageTensor {
  /** NHWC float32, batch 1 implied: height * width * 3 values. */
  readonly tensor: Float32Array;
  /** The uint8 warp the tensor was converted from (what cv::warpPerspective returned). */
  readonly image: RgbImage;
  /** The padded ROI that was sampled. */
  readonly roi: RoiRect;
  /** The padding as fractions of the tensor, for DetectionLetterboxRemovalCalculator. */
  readonly letterbox: LetterboxTransform;
  /**
   * ImageToTensorCalculator's MATRIX output (row-major 4x4, float32): normalized tensor
   * coordinates → normalized image coordinates, for DetectionProjectionCalculator.
   */
  readonly matrix: Float32Array;
  /** The cv::getPerspectiveTransform result (image pixels → tensor pixels) the warp used. */
  readonly transform: Matrix3x3;
}

/** GetRoi: the normalized rect scaled to the image, or the whole image. */
export function getRoi(imageWidth: number, imageHeight: number, rect?: NormalizedRect): RoiRect {
  if (!rect) {
    return { centerX: f32(0.5 * imageWidth), centerY: f32(0.5 * imageHeight), width: f32(imageWidth), height: f32(imageHeight), rotation: 0 };
  }
  return {
    centerX: f32(f32(rect.xCenter) * imageWidth),
    centerY: f32(f32(rect.yCenter) * imageHeight),
    width: f32(f32(rect.width) * imageWidth),
    height: f32(f32(rect.height) * imageHeight),
    rotation: f32(rect.rotation ?? 0),
  };
}

/**
 * PadRoi: grows the ROI to the tensor's aspect ratio when `keepAspectRatio` is set and returns
 * the padding [left, top, right, bottom] as fractions of the tensor.
 */
export function padRoi(
  tensorWidth: number,
  tensorHeight: number,
  keepAspectRatio: boolean,
  roi: RoiRect,
): { roi: RoiRect; padding: readonly [number, number, number, number] } {
  if (!keepAspectRatio) return { roi, padding: [0, 0, 0, 0] };
  checkTensorSize(tensorWidth, tensorHeight);
  checkRoi(roi);
  const tensorAspect = f32(tensorHeight / tensorWidth);
  const roiAspect = f32(roi.height / roi.width);
  if (tensorAspect > roiAspect) {
    const vertical = f32(f32(1 - f32(roiAspect / tensorAspect)) / 2);
    return { roi: { ...roi, height: f32(roi.width * tensorAspect) }, padding: [0, vertical, 0, vertical] };
  }
  const horizontal = f32(f32(1 - f32(tensorAspect / roiAspect)) / 2);
  return { roi: { ...roi, width: f32(roi.height / tensorAspect) }, padding: [horizontal, 0, horizontal, 0] };
}

/** GetValueRangeTransformation: the float32 scale and offset that map [fromMin, fromMax] onto [toMin, toMax]. */
export function getValueRangeTransformation(fromMin: number, fromMax: number, toMin: number, toMax: number): { scale: number; offset: number } {
  if (!(fromMin < fromMax)) throw new InputError(`value range: from [${fromMin}, ${fromMax}] is empty (min >= max)`);
  if (!(toMin < toMax)) throw new InputError(`value range: to [${toMin}, ${toMax}] is empty (min >= max)`);
  const scale = f32(f32(f32(toMax) - f32(toMin)) / f32(f32(fromMax) - f32(fromMin)));
  const offset = f32(f32(toMin) - f32(f32(fromMin) * scale));
  return { scale, offset };
}

/** The float32 value of each byte 0..255 after convertTo(CV_32F, scale, offset) with a fused multiply-add. */
export function valueRangeTable(range: ValueRange): Float32Array {
  const { scale, offset } = getValueRangeTransformation(0, 255, range.min, range.max);
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = fusedMultiplyAddFloat32(v, scale, offset);
  return table;
}

/**
 * fmaf: round_to_float32(a * b + c) with a single rounding, for float32 `a`, `b`, `c` (finite,
 * no overflow). The product of two float32 values is exact in double; the double sum can sit
 * exactly on a float32 midpoint only because its own rounding dropped a remainder, and then
 * the remainder's sign decides.
 */
export function fusedMultiplyAddFloat32(a: number, b: number, c: number): number {
  const product = f32(a) * f32(b);
  const addend = f32(c);
  const sum = product + addend;
  const back = sum - product;
  const remainder = product - (sum - back) + (addend - back);
  const rounded = f32(sum);
  if (remainder === 0 || rounded === sum) return rounded;
  const other = nextFloat32(rounded, sum > rounded ? 1 : -1);
  if ((rounded + other) / 2 !== sum) return rounded;
  return remainder > 0 === other > rounded ? other : rounded;
}

const bits = new Float32Array(1);
const bitsInt = new Int32Array(bits.buffer);

/** The float32 next to finite `value` in `direction` (+1 up, -1 down). */
function nextFloat32(value: number, direction: 1 | -1): number {
  if (value === 0) return direction * 2 ** -149;
  bits[0] = value;
  bitsInt[0]! += value > 0 === direction > 0 ? 1 : -1;
  return bits[0]!;
}

/**
 * GetRotatedSubRectToRectTransformMatrix without flip: the row-major 4x4 float32 matrix that
 * maps normalized coordinates of the ROI (as the tensor sees it) to normalized coordinates of
 * the `width` x `height` image.
 */
export function rotatedSubRectToRectMatrix(roi: RoiRect, width: number, height: number): Float32Array {
  const a = f32(roi.width);
  const b = f32(roi.height);
  const c = f32(Math.cos(f32(roi.rotation)));
  const d = f32(Math.sin(f32(roi.rotation)));
  const e = f32(roi.centerX);
  const f = f32(roi.centerY);
  const g = f32(1 / width);
  const h = f32(1 / height);
  const m = new Float32Array(16);
  m[0] = f32(f32(a * c) * g);
  m[1] = f32(f32(-b * d) * g);
  m[3] = f32(f32(f32(f32(f32(-0.5 * a) * c) + f32(f32(0.5 * b) * d)) + e) * g);
  m[4] = f32(f32(a * d) * h);
  m[5] = f32(f32(b * c) * h);
  m[7] = f32(f32(f32(f32(f32(-0.5 * b) * c) - f32(f32(0.5 * a) * d)) + f) * h);
  m[10] = f32(a * g);
  m[15] = 1;
  return m;
}

/**
 * The perspective transform ImageToTensorCalculator hands to cv::warpPerspective: the ROI's
 * corners (cv::boxPoints, angle in float32 degrees) onto the tensor's corners.
 */
export function roiToTensorTransform(roi: RoiRect, tensorWidth: number, tensorHeight: number): Matrix3x3 {
  const corners = rotatedRectCorners({
    centerX: roi.centerX,
    centerY: roi.centerY,
    width: roi.width,
    height: roi.height,
    angleDegrees: f32(f32(f32(roi.rotation) * 180) / Math.PI),
  });
  const w = f32(tensorWidth);
  const h = f32(tensorHeight);
  return getPerspectiveTransform(corners, [
    { x: 0, y: h },
    { x: 0, y: 0 },
    { x: w, y: 0 },
    { x: w, y: h },
  ]);
}

/**
 * The whole of ImageToTensorCalculator on the CPU: ROI, letterbox, warp, value range. An
 * `OrientedImage` is the upright image its orientation shows, sampled from the stored pixels.
 */
export function imageToTensor(source: WarpInput, options: ImageToTensorOptions): ImageTensor {
  const { width, height } = options;
  checkTensorSize(width, height);
  const image = sourceSize(source);
  const initial = getRoi(image.width, image.height, options.roi);
  checkRoi(initial);
  const { roi, padding } = padRoi(width, height, options.keepAspectRatio ?? true, initial);
  const transform = roiToTensorTransform(roi, width, height);
  const values = cachedTable(options.range ?? { min: -1, max: 1 });
  const tensor = new Float32Array(width * height * 3);
  const warped = warpInto(source, invertPerspective(transform), width, height, undefined, { values, floats: tensor });
  return {
    tensor,
    image: warped,
    roi,
    letterbox: {
      sourceWidth: image.width,
      sourceHeight: image.height,
      targetWidth: width,
      targetHeight: height,
      padLeft: padding[0],
      padTop: padding[1],
      padRight: padding[2],
      padBottom: padding[3],
    },
    matrix: rotatedSubRectToRectMatrix(roi, image.width, image.height),
    transform,
  };
}

function sourceSize(source: WarpSource | OrientedImage): { width: number; height: number } {
  return 'stored' in source ? uprightSize(source) : source;
}

const tables = new Map<string, Float32Array>();

function cachedTable(range: ValueRange): Float32Array {
  const key = `${range.min},${range.max}`;
  let table = tables.get(key);
  if (!table) {
    table = valueRangeTable(range);
    if (tables.size < 16) tables.set(key, table);
  }
  return table;
}

function checkTensorSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InputError(`image to tensor: tensor size ${width}x${height} must be positive integers`);
  }
}

/** ValidateRoi: no NaN, positive size. */
function checkRoi(roi: RoiRect): void {
  const values = [roi.centerX, roi.centerY, roi.width, roi.height, roi.rotation];
  if (values.some(Number.isNaN)) throw new InputError(`image to tensor: ROI ${JSON.stringify(roi)} contains NaN`);
  if (!(roi.width > 0 && roi.height > 0)) throw new InputError(`image to tensor: ROI size ${roi.width}x${roi.height} must be positive`);
}
