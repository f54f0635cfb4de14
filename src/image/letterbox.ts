/**
 * Letterboxing as MediaPipe's ImageToTensorCalculator does it with keep_aspect_ratio: scale
 * the image to fit the model input without changing its aspect ratio, centre it, and fill the
 * border with zero (black). The image is resized (resize.ts) to the largest whole-pixel size
 * that fits, round(w * s) x round(h * s) with s = min(W / w, H / h), and placed at offset
 * floor((W - content) / 2) on each axis (an odd leftover pixel goes to the right/bottom).
 *
 * The transform records the padding actually used, as fractions of the model input, so
 * projecting detections back is exact for the pixels we placed; this is what MediaPipe's
 * DetectionLetterboxRemovalCalculator consumes. An image with the model's aspect ratio gets
 * no padding: letterboxing it is a plain resize.
 */
import { InputError } from '../ir/errors.js';
import { resizeBilinear } from './resize.js';
import type { RgbImage } from './rgb-image.js';

export interface LetterboxTransform {
  /** The original image size, in pixels. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** The model input size, in pixels. */
  readonly targetWidth: number;
  readonly targetHeight: number;
  /** Border on each side as a fraction of the model input's width (left/right) or height (top/bottom). */
  readonly padLeft: number;
  readonly padTop: number;
  readonly padRight: number;
  readonly padBottom: number;
}

export function letterbox(image: RgbImage, width: number, height: number): { image: RgbImage; transform: LetterboxTransform } {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InputError(`cannot letterbox to ${width}x${height}`);
  }
  if (image.width < 1 || image.height < 1) throw new InputError(`cannot letterbox an empty ${image.width}x${image.height} image`);
  const scale = Math.min(width / image.width, height / image.height);
  const contentWidth = Math.min(width, Math.max(1, Math.round(image.width * scale)));
  const contentHeight = Math.min(height, Math.max(1, Math.round(image.height * scale)));
  const left = Math.floor((width - contentWidth) / 2);
  const top = Math.floor((height - contentHeight) / 2);
  const transform: LetterboxTransform = {
    sourceWidth: image.width,
    sourceHeight: image.height,
    targetWidth: width,
    targetHeight: height,
    padLeft: left / width,
    padTop: top / height,
    padRight: (width - contentWidth - left) / width,
    padBottom: (height - contentHeight - top) / height,
  };
  const content = resizeBilinear(image, contentWidth, contentHeight);
  if (contentWidth === width && contentHeight === height) return { image: content, transform };
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < contentHeight; y++) {
    const from = y * contentWidth * 3;
    data.set(content.data.subarray(from, from + contentWidth * 3), ((top + y) * width + left) * 3);
  }
  return { image: { width, height, data }, transform };
}

/**
 * Maps a point in normalized model-input coordinates (0..1 across the letterboxed input) to
 * normalized coordinates of the original image: x' = (x - padLeft) / (1 - padLeft - padRight),
 * likewise y. Points on the border map outside 0..1.
 */
export function projectPoint(transform: LetterboxTransform, x: number, y: number): [number, number] {
  return [(x - transform.padLeft) / (1 - transform.padLeft - transform.padRight), (y - transform.padTop) / (1 - transform.padTop - transform.padBottom)];
}
