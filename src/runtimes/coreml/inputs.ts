/**
 * Turning the caller's inputs into the network's first tensors, as Core ML does: an image becomes
 * [C, H, W] floats in its colour space's channel order, scaled and biased by the image
 * preprocessing, with one or two leading 1-axes depending on imageInputShapeMapping; a
 * multi-array keeps its declared shape (EXACT) or is mapped to rank 5 (RANK5).
 */
import { CoremlError } from '../../ir/errors.js';
import type { FeatureDescription, ImageFeatureType, NeuralNetwork, NeuralNetworkImageScaler } from '../../coreml/types.js';
import type { ModelInput, RgbImage } from '../model-io.js';
import { featureValue, imageChannelOrder, imagePlanes } from '../feature-inputs.js';
import { tensor, type Tensor } from './tensor.js';

export type { ModelInput, RgbImage } from '../model-io.js';

export function inputTensor(feature: FeatureDescription, value: ModelInput | undefined, nn: NeuralNetwork, file: string): Tensor {
  const input = featureValue(feature, value, file);
  if (input.kind === 'image') return imageTensor(feature.name ?? '', input.type, input.image, nn, file);
  const { shape: declared, data } = input;
  const mapping = nn.arrayInputShapeMapping ?? 'RANK5_ARRAY_MAPPING';
  if (mapping === 'EXACT_ARRAY_MAPPING') return tensor(declared, data);
  if (mapping !== 'RANK5_ARRAY_MAPPING') throw new CoremlError('arrayInputShapeMapping', `${String(mapping)} is not implemented`, file);
  if (declared.length === 1) return tensor([1, 1, declared[0]!, 1, 1], data);
  if (declared.length === 3) return tensor([1, 1, ...declared], data);
  throw new CoremlError(`input '${feature.name ?? ''}' shape`, `RANK5_ARRAY_MAPPING needs rank 1 or 3, got [${declared.join(', ')}]`, file);
}

function imageTensor(name: string, type: ImageFeatureType, image: RgbImage, nn: NeuralNetwork, file: string): Tensor {
  const order = imageChannelOrder(`input '${name}'`, type, image, file);
  const scaler = imageScaler(name, nn, file);
  // Without a scaler pixels pass unchanged; with one, an unset channelScale is proto3's 0.
  const scale = scaler ? (scaler.channelScale ?? 0) : 1;
  const data = imagePlanes(image, order, scale, [scaler?.redBias ?? 0, scaler?.greenBias ?? 0, scaler?.blueBias ?? 0]);
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
