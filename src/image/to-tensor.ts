/**
 * The model input tensor: NHWC float32 (batch 1 implied), each channel mapped from 0..255 to
 * the model's range [low, high] as low + pixel * (high - low) / 255 (for [-1, 1]: the same
 * number as pixel / 127.5 - 1), computed in float64 and rounded once to float32 on store.
 */
import type { RgbImage } from './rgb-image.js';

export function imageToInput(image: RgbImage, range: readonly [number, number] = [-1, 1]): Float32Array {
  const [low, high] = range;
  const input = new Float32Array(image.data.length);
  for (let i = 0; i < image.data.length; i++) input[i] = low + (image.data[i]! * (high - low)) / 255;
  return input;
}

/** The 8-bit pixel an input value came from (the inverse of imageToInput, rounded). */
export function inputToPixel(value: number, range: readonly [number, number] = [-1, 1]): number {
  return Math.round(((value - range[0]) * 255) / (range[1] - range[0]));
}

/**
 * inputToPixel of every value. A plain loop: Uint8Array.from with a mapping function walks the
 * input through its iterator, several times slower on the larger models' inputs.
 */
export function inputToPixels(input: Float32Array, range: readonly [number, number] = [-1, 1]): Uint8Array {
  const pixels = new Uint8Array(input.length);
  for (let i = 0; i < input.length; i++) pixels[i] = inputToPixel(input[i]!, range);
  return pixels;
}
