/**
 * The caller's inputs checked against a model's input features, shared by the NeuralNetwork and
 * the MIL executor: an image feature takes 8-bit pixels of its size in RGB or BGR, a
 * multi-array feature FLOAT32 values filling its declared shape.
 */
import type { FeatureDescription, ImageFeatureType } from '../coreml/types.js';
import { CoremlError, InputError } from '../ir/errors.js';
import type { ModelInput, RgbImage } from './model-io.js';
import { sizeOf } from './tensor.js';

/** One input's value, of the kind its feature declares. */
export type FeatureValue =
  | { readonly kind: 'image'; readonly type: ImageFeatureType; readonly image: RgbImage }
  | { readonly kind: 'array'; readonly shape: readonly number[]; readonly data: Float32Array };

export function featureValue(feature: FeatureDescription, value: ModelInput | undefined, file: string): FeatureValue {
  const where = `input '${feature.name ?? ''}'`;
  if (value === undefined) throw new InputError(`${where}: no value given`, file);
  const { imageType, multiArrayType } = feature.type ?? {};
  if (imageType) {
    if (value instanceof Float32Array) throw new InputError(`${where}: is an image input, got a Float32Array`, file);
    return { kind: 'image', type: imageType, image: value };
  }
  if (!multiArrayType) throw new CoremlError(where, 'has neither an image nor a multi-array type', file);
  if (!(value instanceof Float32Array)) throw new InputError(`${where}: is a multi-array input, got an image`, file);
  if (multiArrayType.dataType !== 'FLOAT32') {
    throw new CoremlError(`${where} dataType`, `${String(multiArrayType.dataType)} is not implemented (FLOAT32 only)`, file);
  }
  const shape = multiArrayType.shape ?? [];
  if (sizeOf(shape) !== value.length) throw new InputError(`${where}: shape [${shape.join(', ')}] needs ${sizeOf(shape)} values, got ${value.length}`, file);
  return { kind: 'array', shape, data: value };
}

/**
 * Checks an image against its feature's size and colour space and returns, per tensor channel,
 * the RGB component it holds (the colour space's channel order).
 */
export function imageChannelOrder(where: string, type: ImageFeatureType, image: RgbImage, file: string): readonly number[] {
  const width = type.width ?? 0;
  const height = type.height ?? 0;
  if (image.width !== width || image.height !== height) {
    throw new InputError(`${where}: needs a ${width}x${height} image, got ${image.width}x${image.height}`, file);
  }
  if (image.data.length !== width * height * image.channels) {
    throw new InputError(`${where}: pixel data holds ${image.data.length} bytes, not ${width}x${height}x${image.channels}`, file);
  }
  const colorSpace = type.colorSpace;
  if (colorSpace !== 'RGB' && colorSpace !== 'BGR') throw new CoremlError(`${where} colorSpace`, `${String(colorSpace)} is not implemented (RGB, BGR)`, file);
  return colorSpace === 'RGB' ? [0, 1, 2] : [2, 1, 0];
}

/** The pixels as planar float32 [3, H, W] in `order`, each `scale * pixel + bias[component]`. */
export function imagePlanes(image: RgbImage, order: readonly number[], scale = 1, rgbBias: readonly number[] = [0, 0, 0]): Float32Array {
  const plane = image.width * image.height;
  const data = new Float32Array(3 * plane);
  for (let k = 0; k < 3; k++) {
    const component = order[k]!;
    const bias = rgbBias[component]!;
    for (let i = 0; i < plane; i++) data[k * plane + i] = scale * image.data[i * image.channels + component]! + bias;
  }
  return data;
}
