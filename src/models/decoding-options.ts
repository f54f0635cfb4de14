import { BlazefaceError } from '../ir/errors.js';
import type { DecodingOptions } from './registry.js';

/** Every TensorsToDetectionsCalculatorOptions field the decoder uses (plus the NMS threshold), with its JSON type. */
const FIELDS: Readonly<Record<keyof DecodingOptions, 'count' | 'number' | 'boolean'>> = {
  num_boxes: 'count',
  num_coords: 'count',
  box_coord_offset: 'count',
  keypoint_coord_offset: 'count',
  num_keypoints: 'count',
  num_values_per_keypoint: 'count',
  x_scale: 'number',
  y_scale: 'number',
  w_scale: 'number',
  h_scale: 'number',
  sigmoid_score: 'boolean',
  score_clipping_thresh: 'number',
  reverse_output_order: 'boolean',
  min_score_thresh: 'number',
  min_suppression_threshold: 'number',
};

/**
 * Decoding options from JSON with MediaPipe's field names, laid over `base`: a file may give
 * only the fields it changes. Unknown names and values of the wrong type are refused, naming
 * `where` (the file) and the field.
 */
export function decodingOptionsFromJson(json: unknown, where: string, base?: DecodingOptions): DecodingOptions {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new BlazefaceError('expected a JSON object of TensorsToDetectionsCalculatorOptions fields', where);
  const merged: Record<string, unknown> = { ...base };
  for (const [name, value] of Object.entries(json)) {
    const kind = (FIELDS as Readonly<Record<string, string>>)[name];
    if (kind === undefined) throw new BlazefaceError(`unknown decoding option ${name} (known: ${Object.keys(FIELDS).join(', ')})`, where);
    const fits =
      kind === 'boolean'
        ? typeof value === 'boolean'
        : typeof value === 'number' && Number.isFinite(value) && (kind === 'number' || (Number.isInteger(value) && value >= 0));
    if (!fits)
      throw new BlazefaceError(`decoding option ${name}: ${JSON.stringify(value)} is not ${kind === 'count' ? 'a non-negative integer' : `a ${kind}`}`, where);
    merged[name] = value;
  }
  const missing = Object.keys(FIELDS).filter((name) => merged[name] === undefined);
  if (missing.length > 0) throw new BlazefaceError(`decoding options lack ${missing.join(', ')} (nothing to take them from)`, where);
  return merged as unknown as DecodingOptions;
}
