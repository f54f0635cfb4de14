import { AnchorOptionsError } from '../ir/errors.js';
import type { Anchor } from './anchor.js';

/**
 * MediaPipe's SsdAnchorsCalculatorOptions (ssd_anchors_calculator.proto), one field per proto
 * field, in camelCase. An absent field is an unset proto field: the generator applies
 * MediaPipe's default, and "is it set" matters for the consistency rules.
 */
export interface AnchorOptions {
  readonly inputSizeWidth?: number;
  readonly inputSizeHeight?: number;
  readonly minScale?: number;
  readonly maxScale?: number;
  /** Centre offset inside a feature-map cell, in cells (SSD mode only). Default 0.5. */
  readonly anchorOffsetX?: number;
  readonly anchorOffsetY?: number;
  readonly numLayers?: number;
  /** Feature-map sizes per layer; when given they replace `ceil(input / stride)`. */
  readonly featureMapWidth?: readonly number[];
  readonly featureMapHeight?: readonly number[];
  readonly strides?: readonly number[];
  readonly aspectRatios?: readonly number[];
  /** Layer 0 gets the fixed boxes (ratio 1 scale 0.1, ratio 2, ratio 0.5). Default false. */
  readonly reduceBoxesInLowestLayer?: boolean;
  /** Aspect ratio of the extra anchor between this layer's scale and the next; 0 turns it off. Default 1. */
  readonly interpolatedScaleAspectRatio?: number;
  /** Every anchor gets w = h = 1 (the regressor predicts sizes in pixels). Default false. */
  readonly fixedAnchorSize?: boolean;
  /** RetinaNet-style grid over pyramid levels min_level..max_level. Default false. */
  readonly multiscaleAnchorGeneration?: boolean;
  readonly minLevel?: number;
  readonly maxLevel?: number;
  readonly anchorScale?: number;
  readonly scalesPerOctave?: number;
  /** Multiscale mode only: divide by the input size. Default true. */
  readonly normalizeCoordinates?: boolean;
  /** A ready table that replaces generation altogether. */
  readonly fixedAnchors?: readonly Anchor[];
}

export interface FieldSpec {
  /** MediaPipe's field name: the JSON key, and the name every error message uses. */
  readonly name: string;
  readonly type: 'int' | 'float' | 'bool' | 'int[]' | 'float[]' | 'anchor[]';
  /** MediaPipe's default; fields without one are "required" in the proto's comments. */
  readonly default?: number | boolean;
  /** Smallest allowed value (`above`: strictly greater than). */
  readonly min?: number;
  readonly above?: number;
  readonly max?: number;
}

/** One row per proto field; `satisfies` makes a field missing from the table a compile error. */
export const ANCHOR_OPTION_FIELDS = {
  inputSizeWidth: { name: 'input_size_width', type: 'int', min: 1 },
  inputSizeHeight: { name: 'input_size_height', type: 'int', min: 1 },
  minScale: { name: 'min_scale', type: 'float', above: 0 },
  maxScale: { name: 'max_scale', type: 'float', above: 0 },
  anchorOffsetX: { name: 'anchor_offset_x', type: 'float', default: 0.5 },
  anchorOffsetY: { name: 'anchor_offset_y', type: 'float', default: 0.5 },
  numLayers: { name: 'num_layers', type: 'int', min: 1 },
  featureMapWidth: { name: 'feature_map_width', type: 'int[]', min: 1 },
  featureMapHeight: { name: 'feature_map_height', type: 'int[]', min: 1 },
  strides: { name: 'strides', type: 'int[]', min: 1 },
  aspectRatios: { name: 'aspect_ratios', type: 'float[]', above: 0 },
  reduceBoxesInLowestLayer: { name: 'reduce_boxes_in_lowest_layer', type: 'bool', default: false },
  // MediaPipe skips the anchor for any value <= 0; we accept only 0 as "off" so a sign slip is caught.
  interpolatedScaleAspectRatio: { name: 'interpolated_scale_aspect_ratio', type: 'float', default: 1.0, min: 0 },
  fixedAnchorSize: { name: 'fixed_anchor_size', type: 'bool', default: false },
  multiscaleAnchorGeneration: { name: 'multiscale_anchor_generation', type: 'bool', default: false },
  // 2^level is an int32 in MediaPipe and a negative level divides by zero there.
  minLevel: { name: 'min_level', type: 'int', default: 3, min: 0, max: 30 },
  maxLevel: { name: 'max_level', type: 'int', default: 7, min: 0, max: 30 },
  anchorScale: { name: 'anchor_scale', type: 'float', default: 4.0, above: 0 },
  scalesPerOctave: { name: 'scales_per_octave', type: 'int', default: 2, min: 1 },
  normalizeCoordinates: { name: 'normalize_coordinates', type: 'bool', default: true },
  fixedAnchors: { name: 'fixed_anchors', type: 'anchor[]' },
} as const satisfies { readonly [K in keyof Required<AnchorOptions>]: FieldSpec };

export type AnchorOptionKey = keyof typeof ANCHOR_OPTION_FIELDS;

export const ANCHOR_OPTION_KEYS = Object.keys(ANCHOR_OPTION_FIELDS) as AnchorOptionKey[];

/** The Anchor proto's fields, in the order MediaPipe's anchor text files list them. */
export const ANCHOR_FIELDS = [
  ['xCenter', 'x_center'],
  ['yCenter', 'y_center'],
  ['w', 'w'],
  ['h', 'h'],
] as const;

/** An AnchorOptionsError that also says where the options came from (a file, a registry entry). */
export function optionError(option: string, detail: string, where?: string): AnchorOptionsError {
  return new AnchorOptionsError(option, where ? `${detail} (${where})` : detail);
}

const INT32_MAX = 2 ** 31 - 1;

/**
 * Checks every set field's value against its row in ANCHOR_OPTION_FIELDS and returns the
 * options with float fields rounded to float32, as the proto stores them. The JSON reader
 * checks JSON types; this catches values a TypeScript caller can still get wrong (2.5 layers,
 * a zero stride, NaN).
 */
export function checkOptionValues(options: AnchorOptions, where?: string): AnchorOptions {
  const out: Partial<Record<AnchorOptionKey, unknown>> = {};
  for (const key of ANCHOR_OPTION_KEYS) {
    const value = options[key];
    if (value === undefined) continue;
    const spec: FieldSpec = ANCHOR_OPTION_FIELDS[key];
    out[key] = checkValue(spec, value, spec.name, where);
  }
  return out as AnchorOptions;
}

function checkValue(spec: FieldSpec, value: unknown, label: string, where?: string): unknown {
  const fail = (detail: string) => optionError(label, detail, where);
  switch (spec.type) {
    case 'bool':
      if (typeof value !== 'boolean') throw fail(`expected true or false, got ${show(value)}`);
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > INT32_MAX) {
        throw fail(`expected an integer, got ${show(value)}`);
      }
      return checkRange(spec, value, fail);
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw fail(`expected a number, got ${show(value)}`);
      const rounded = Math.fround(value);
      if (!Number.isFinite(rounded)) throw fail(`${value} does not fit in a float32`);
      return checkRange(spec, rounded, fail);
    }
    case 'int[]':
    case 'float[]': {
      if (!Array.isArray(value)) throw fail(`expected an array, got ${show(value)}`);
      const item: FieldSpec = { ...spec, type: spec.type === 'int[]' ? 'int' : 'float' };
      return value.map((v: unknown, i) => checkValue(item, v, `${label}[${i}]`, where));
    }
    case 'anchor[]':
      if (!Array.isArray(value)) throw fail(`expected an array of anchors, got ${show(value)}`);
      return value.map((v: unknown, i) => checkAnchor(v, `${label}[${i}]`, where));
  }
}

function checkAnchor(value: unknown, label: string, where?: string): Anchor {
  if (typeof value !== 'object' || value === null) {
    throw optionError(label, `expected an anchor {x_center, y_center, w, h}, got ${show(value)}`, where);
  }
  const record = value as Record<string, unknown>;
  const float: FieldSpec = { name: label, type: 'float' };
  const [x, y, w, h] = ANCHOR_FIELDS.map(([key, name]) => {
    if (record[key] === undefined) throw optionError(`${label}.${name}`, 'is required', where);
    return checkValue(float, record[key], `${label}.${name}`, where) as number;
  });
  return { xCenter: x!, yCenter: y!, w: w!, h: h! };
}

function checkRange(spec: FieldSpec, value: number, fail: (detail: string) => Error): number {
  if (spec.min !== undefined && value < spec.min) throw fail(`must be at least ${spec.min}, got ${value}`);
  if (spec.above !== undefined && value <= spec.above) throw fail(`must be greater than ${spec.above}, got ${value}`);
  if (spec.max !== undefined && value > spec.max) throw fail(`must be at most ${spec.max}, got ${value}`);
  return value;
}

/** A value as the user wrote it; numbers directly, since JSON.stringify prints NaN as null. */
export function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}
