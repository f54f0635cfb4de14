/**
 * Decodes PNG and JPEG files into 8-bit RGB, choosing the decoder by the file's magic bytes
 * (the extension is not trusted).
 *
 * PNG (pngjs): every bit depth, palette, grayscale and alpha. 16-bit samples are rescaled to
 * 8 bits by pngjs (round(v * 255 / 65535)); the gAMA chunk is ignored; alpha is dropped, not
 * composited. tRNS chunks are removed before decoding because pngjs blackens colour-keyed
 * pixels, which would not be "alpha dropped".
 * JPEG (jpeg-js): baseline and progressive, grayscale/RGB/CMYK, decoded strictly (no partial
 * image from a truncated file).
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InputError } from '../ir/errors.js';
import type { RgbImage } from './rgb-image.js';

export type { RgbImage } from './rgb-image.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

export function decodeImage(bytes: Uint8Array, file: string): RgbImage {
  if (startsWith(bytes, PNG_SIGNATURE)) return decodePng(bytes, file);
  if (startsWith(bytes, JPEG_SIGNATURE)) return decodeJpeg(bytes, file);
  throw new InputError('not a PNG or JPEG file (unrecognised magic bytes)', file);
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);
}

function decodePng(bytes: Uint8Array, file: string): RgbImage {
  let png: { width: number; height: number; data: Uint8Array };
  try {
    png = PNG.sync.read(Buffer.from(withoutChunk(bytes, 'tRNS', file)));
  } catch (error) {
    throw new InputError(`cannot decode PNG: ${(error as Error).message}`, file);
  }
  // pngjs always hands back RGBA.
  return fromInterleaved(png.width, png.height, png.data, 4);
}

function decodeJpeg(bytes: Uint8Array, file: string): RgbImage {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false });
  } catch (error) {
    throw new InputError(`cannot decode JPEG: ${(error as Error).message}`, file);
  }
  return fromInterleaved(image.width, image.height, image.data, 3);
}

function fromInterleaved(width: number, height: number, source: Uint8Array, channels: number): RgbImage {
  const pixels = width * height;
  const data = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    data[p * 3] = source[p * channels]!;
    data[p * 3 + 1] = source[p * channels + 1]!;
    data[p * 3 + 2] = source[p * channels + 2]!;
  }
  return { width, height, data };
}

/**
 * Copies a PNG without the chunks of one type. The chunk layout (length, type, data, CRC) is
 * checked only as far as walking it needs; pngjs checks the rest.
 */
function withoutChunk(bytes: Uint8Array, type: string, file: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, PNG_SIGNATURE.length)];
  let offset = PNG_SIGNATURE.length;
  let removed = false;
  while (offset + 8 <= bytes.length) {
    const end = offset + 12 + view.getUint32(offset);
    if (end > bytes.length) throw new InputError(`truncated PNG: chunk at byte ${offset} runs past the end`, file);
    const chunkType = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (chunkType === type) removed = true;
    else kept.push(bytes.subarray(offset, end));
    offset = end;
  }
  if (!removed) return bytes;
  kept.push(bytes.subarray(offset));
  return Buffer.concat(kept);
}
