/**
 * Turning the caller's inputs into the network's first tensors, as Core ML does: an image becomes
 * [C, H, W] floats in its colour space's channel order, scaled and biased by the image
 * preprocessing, with one or two leading 1-axes depending on imageInputShapeMapping; a
 * multi-array keeps its declared shape (EXACT) or is mapped to rank 5 (RANK5).
 */
import { CoremlError, InputError } from '../../ir/errors.js';
import type { FeatureDescription, ImageFeatureType, NeuralNetwork, NeuralNetworkImageScaler } from '../../coreml/types.js';
import type { ModelInput, RgbImage } from '../model-io.js';
import { sizeOf, tensor, type Tensor } from './tensor.js';

export type { ModelInput, RgbImage } from '../model-io.js';

export function inputTensor(feature: FeatureDescription, value: ModelInput | undefined, nn: NeuralNetwork, file: string): Tensor {
  const name = feature.name ?? '';
  const where = `input '${name}'`;
  if (value === undefined) throw new InputError(`${where}: no value given`, file);
  const { imageType, multiArrayType } = feature.type ?? {};
  if (imageType) {
    if (value instanceof Float32Array) throw new InputError(`${where}: is an image input, got a Float32Array`, file);
    return imageTensor(name, imageType, value, nn, file);
  }
  if (!multiArrayType) throw new CoremlError(where, 'has neither an image nor a multi-array type', file);
  if (!(value instanceof Float32Array)) throw new InputError(`${where}: is a multi-array input, got an image`, file);
  if (multiArrayType.dataType !== 'FLOAT32') {
    throw new CoremlError(`${where} dataType`, `${String(multiArrayType.dataType)} is not implemented (FLOAT32 only)`, file);
  }
  const declared = multiArrayType.shape ?? [];
  if (sizeOf(declared) !== value.length) {
    throw new InputError(`${where}: shape [${declared.join(', ')}] needs ${sizeOf(declared)} values, got ${value.length}`, file);
  }
  const mapping = nn.arrayInputShapeMapping ?? 'RANK5_ARRAY_MAPPING';
  if (mapping === 'EXACT_ARRAY_MAPPING') return tensor(declared, value);
  if (mapping !== 'RANK5_ARRAY_MAPPING') throw new CoremlError('arrayInputShapeMapping', `${String(mapping)} is not implemented`, file);
  if (declared.length === 1) return tensor([1, 1, declared[0]!, 1, 1], value);
  if (declared.length === 3) return tensor([1, 1, ...declared], value);
  throw new CoremlError(`${where} shape`, `RANK5_ARRAY_MAPPING needs rank 1 or 3, got [${declared.join(', ')}]`, file);
}

function imageTensor(name: string, type: ImageFeatureType, image: RgbImage, nn: NeuralNetwork, file: string): Tensor {
  const where = `input '${name}'`;
  if (image.width !== type.width || image.height !== type.height) {
    throw new InputError(`${where}: needs a ${type.width}x${type.height} image, got ${image.width}x${image.height}`, file);
  }
  if (image.data.length !== image.width * image.height * image.channels) {
    throw new InputError(`${where}: pixel data holds ${image.data.length} bytes, not ${image.width}x${image.height}x${image.channels}`, file);
  }
  const colorSpace = type.colorSpace;
  if (colorSpace !== 'RGB' && colorSpace !== 'BGR') throw new CoremlError(`${where} colorSpace`, `${String(colorSpace)} is not implemented (RGB, BGR)`, file);
  const scaler = imageScaler(name, nn, file);
  // Without a scaler pixels pass unchanged; with one, an unset channelScale is proto3's 0.
  const scale = scaler ? (scaler.channelScale ?? 0) : 1;
  const rgbBias = [scaler?.redBias ?? 0, scaler?.greenBias ?? 0, scaler?.blueBias ?? 0];
  // Channel k of the tensor holds this RGB component.
  const order = colorSpace === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  const plane = image.width * image.height;
  const data = new Float32Array(3 * plane);
  for (let k = 0; k < 3; k++) {
    const component = order[k]!;
    for (let i = 0; i < plane; i++) data[k * plane + i] = scale * image.data[i * image.channels + component]! + rgbBias[component]!;
  }
  const mapping = nn.imageInputShapeMapping ?? 'RANK5_IMAGE_MAPPING';
  if (mapping !== 'RANK5_IMAGE_MAPPING' && mapping !== 'RANK4_IMAGE_MAPPING') {
    throw new CoremlError('imageInputShapeMapping', `${String(mapping)} is not implemented`, file);
  }
  const lead = mapping === 'RANK5_IMAGE_MAPPING' ? [1, 1] : [1];
  return tensor([...lead, 3, image.height, image.width], data);
}

/** The scaler for this input (none means the identity); a mean image is refused. */
function imageScaler(name: string, nn: NeuralNetwork, file: string): NeuralNetworkImageScaler | undefined {
  const entries = (nn.preprocessing ?? []).filter((p) => p.featureName === name);
  if (entries.length > 1) throw new CoremlError(`preprocessing of '${name}'`, `${entries.length} entries, expected at most one`, file);
  const entry = entries[0];
  if (!entry) return undefined;
  for (const key of Object.keys(entry)) {
    if (key !== 'featureName' && key !== 'scaler') {
      throw new CoremlError(`preprocessing of '${name}' field ${key}`, 'is set, but the reference executor does not implement it', file);
    }
  }
  return entry.scaler;
}
