/**
 * Reading WeightParams. Core ML stores parameters either as float32 (`floatValue`) or as
 * little-endian IEEE half floats (`float16Value`); quantised or raw encodings are refused.
 */
import type { WeightParams } from '../../coreml/types.js';
import { layerError, onlyFields, type LayerContext } from './layer-context.js';
import { halvesToFloats as halvesToFloatArray } from '../../ir/float16.js';
import { HOST_IS_LITTLE_ENDIAN, typedArrayFromBytes } from '../../ir/dtype.js';

/**
 * Parameters already read, by the decoded message they came from: a model run on many inputs
 * converts its weights once. Layers never write into their parameters, so sharing is safe.
 */
const converted = new WeakMap<WeightParams, Float32Array>();

/** The values of `weights` as float32, which must hold exactly `count` of them. Callers must not write into the array. */
export function readWeights(ctx: LayerContext, field: string, weights: WeightParams | undefined, count: number): Float32Array {
  if (!weights) throw layerError(ctx, field, 'is missing');
  onlyFields(ctx, weights, ['floatValue', 'float16Value'], `${field}.`);
  const { floatValue, float16Value } = weights;
  if (floatValue !== undefined && float16Value !== undefined) {
    throw layerError(ctx, field, 'sets both floatValue and float16Value');
  }
  let values = converted.get(weights);
  if (!values) {
    values =
      floatValue instanceof Float32Array
        ? floatValue
        : floatValue !== undefined
          ? Float32Array.from(floatValue)
          : float16Value !== undefined
            ? halvesToFloats(ctx, field, float16Value)
            : new Float32Array(0);
    converted.set(weights, values);
  }
  if (values.length !== count) {
    throw layerError(ctx, field, `holds ${values.length} values, the layer needs ${count}`);
  }
  return values;
}

function halvesToFloats(ctx: LayerContext, field: string, bytes: Uint8Array): Float32Array {
  if (bytes.length % 2 !== 0) throw layerError(ctx, `${field}.float16Value`, `has an odd byte length ${bytes.length}`);
  // The little-endian halves read in place where the host and the alignment allow.
  const inPlace = HOST_IS_LITTLE_ENDIAN && bytes.byteOffset % 2 === 0;
  const halves = inPlace ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2) : typedArrayFromBytes('uint16', bytes);
  return halvesToFloatArray(halves);
}
