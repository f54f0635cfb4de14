import type { Anchor } from './anchor.js';
import {
  ANCHOR_OPTION_FIELDS,
  ANCHOR_OPTION_KEYS,
  checkOptionValues,
  optionError,
  type AnchorOptionKey,
  type AnchorOptions,
  type FieldSpec,
} from './options.js';

export interface FeatureMap {
  readonly height: number;
  readonly width: number;
}

/** Consecutive SSD layers that share a stride: they share one feature map, anchors interleaved per cell. */
export interface LayerGroup extends FeatureMap {
  readonly layers: readonly number[];
}

export interface SsdPlan {
  readonly mode: 'ssd';
  readonly numLayers: number;
  readonly minScale: number;
  readonly maxScale: number;
  readonly anchorOffsetX: number;
  readonly anchorOffsetY: number;
  readonly aspectRatios: readonly number[];
  readonly reduceBoxesInLowestLayer: boolean;
  readonly interpolatedScaleAspectRatio: number;
  readonly fixedAnchorSize: boolean;
  readonly groups: readonly LayerGroup[];
}

export interface MultiscalePlan {
  readonly mode: 'multiscale';
  readonly inputSizeWidth: number;
  readonly inputSizeHeight: number;
  readonly aspectRatios: readonly number[];
  readonly anchorScale: number;
  readonly scalesPerOctave: number;
  readonly normalizeCoordinates: boolean;
  readonly levels: readonly (FeatureMap & { readonly level: number })[];
}

export interface FixedPlan {
  readonly mode: 'fixed';
  readonly anchors: readonly Anchor[];
}

/** Options checked, defaults applied and floats rounded to float32: all the generator needs. */
export type AnchorPlan = SsdPlan | MultiscalePlan | FixedPlan;

type Fail = (key: AnchorOptionKey, detail: string) => Error;

/**
 * Applies MediaPipe's own checks (fixed anchors exclude generation fields; strides or feature
 * maps must be given; their counts must match the layer count) and ours: required fields, and
 * fields that would change the table but that the chosen mode ignores. Where MediaPipe would
 * crash (CHECK) or never return, we throw an AnchorOptionsError naming the option.
 */
export function resolveAnchorOptions(options: AnchorOptions, where?: string): AnchorPlan {
  const o = checkOptionValues(options, where);
  const fail: Fail = (key, detail) => optionError(ANCHOR_OPTION_FIELDS[key].name, detail, where);

  if (o.fixedAnchors !== undefined && o.fixedAnchors.length > 0) {
    const extra = ANCHOR_OPTION_KEYS.find((key) => key !== 'fixedAnchors' && isEffective(o, key));
    if (extra) throw fail(extra, 'is set together with fixed_anchors, which replace anchor generation; leave it out');
    return { mode: 'fixed', anchors: o.fixedAnchors };
  }
  if (!isEffective(o, 'strides') && !isEffective(o, 'featureMapHeight') && !isEffective(o, 'featureMapWidth')) {
    throw fail('strides', 'neither strides nor feature_map_width/feature_map_height is given; give one of them');
  }
  required(o, 'inputSizeWidth', fail);
  required(o, 'inputSizeHeight', fail);
  return o.multiscaleAnchorGeneration ? multiscalePlan(o, fail) : ssdPlan(o, fail);
}

function ssdPlan(o: AnchorOptions, fail: Fail): SsdPlan {
  const numLayers = required(o, 'numLayers', fail);
  const minScale = required(o, 'minScale', fail);
  const maxScale = required(o, 'maxScale', fail);
  ignoredBy(
    o,
    ['minLevel', 'maxLevel', 'anchorScale', 'scalesPerOctave', 'normalizeCoordinates'],
    'is only used when multiscale_anchor_generation is true',
    fail,
  );
  const maps = featureMaps(o, numLayers, `num_layers is ${numLayers}`, fail);
  const strides = o.strides ?? [];
  if (strides.length > 0 && strides.length !== numLayers) {
    throw fail('strides', `has ${entries(strides.length)} but num_layers is ${numLayers}`);
  }

  const groups = groupLayers(maps, strides, fail);

  const aspectRatios = o.aspectRatios ?? [];
  const interpolatedScaleAspectRatio = o.interpolatedScaleAspectRatio ?? ANCHOR_OPTION_FIELDS.interpolatedScaleAspectRatio.default;
  const reduceBoxesInLowestLayer = o.reduceBoxesInLowestLayer ?? ANCHOR_OPTION_FIELDS.reduceBoxesInLowestLayer.default;
  // Only a reduced lowest layer has boxes of its own; every other layer needs a ratio or the interpolated box.
  const bare = groups.find((g) => !(reduceBoxesInLowestLayer && g.layers[0] === 0));
  if (bare && aspectRatios.length === 0 && interpolatedScaleAspectRatio === 0) {
    throw fail('aspectRatios', `is empty and interpolated_scale_aspect_ratio is 0, so layer ${bare.layers[0]} gets no anchors`);
  }
  return {
    mode: 'ssd',
    numLayers,
    minScale,
    maxScale,
    anchorOffsetX: o.anchorOffsetX ?? ANCHOR_OPTION_FIELDS.anchorOffsetX.default,
    anchorOffsetY: o.anchorOffsetY ?? ANCHOR_OPTION_FIELDS.anchorOffsetY.default,
    aspectRatios,
    reduceBoxesInLowestLayer,
    interpolatedScaleAspectRatio,
    fixedAnchorSize: o.fixedAnchorSize ?? ANCHOR_OPTION_FIELDS.fixedAnchorSize.default,
    groups,
  };
}

function multiscalePlan(o: AnchorOptions, fail: Fail): MultiscalePlan {
  const minLevel = o.minLevel ?? ANCHOR_OPTION_FIELDS.minLevel.default;
  const maxLevel = o.maxLevel ?? ANCHOR_OPTION_FIELDS.maxLevel.default;
  if (maxLevel < minLevel) throw fail('maxLevel', `is ${maxLevel}, below min_level ${minLevel}`);
  const count = maxLevel - minLevel + 1;
  const countText = `min_level ${minLevel} to max_level ${maxLevel} is ${count} levels`;
  // MediaPipe ignores num_layers here; a different value means the config describes another model.
  if (o.numLayers !== undefined && o.numLayers !== count) throw fail('numLayers', `is ${o.numLayers} but ${countText}`);
  ignoredBy(
    o,
    ['minScale', 'maxScale', 'anchorOffsetX', 'anchorOffsetY', 'reduceBoxesInLowestLayer', 'interpolatedScaleAspectRatio', 'fixedAnchorSize'],
    'has no effect when multiscale_anchor_generation is true',
    fail,
  );
  const hasMaps = isEffective(o, 'featureMapHeight') || isEffective(o, 'featureMapWidth');
  if (hasMaps && isEffective(o, 'strides')) {
    throw fail('strides', 'has no effect when feature maps are given in multiscale mode (the anchor stride is 2^level)');
  }
  const maps = featureMaps(o, count, countText, fail);
  const aspectRatios = o.aspectRatios ?? [];
  if (aspectRatios.length === 0) throw fail('aspectRatios', 'is empty, so multiscale generation yields no anchors');
  return {
    mode: 'multiscale',
    inputSizeWidth: o.inputSizeWidth!,
    inputSizeHeight: o.inputSizeHeight!,
    aspectRatios,
    anchorScale: o.anchorScale ?? ANCHOR_OPTION_FIELDS.anchorScale.default,
    scalesPerOctave: o.scalesPerOctave ?? ANCHOR_OPTION_FIELDS.scalesPerOctave.default,
    normalizeCoordinates: o.normalizeCoordinates ?? ANCHOR_OPTION_FIELDS.normalizeCoordinates.default,
    levels: maps.map((map, i) => ({ level: minLevel + i, ...map })),
  };
}

/**
 * MediaPipe merges consecutive layers with equal strides into one feature map. With feature
 * maps and no strides it never terminates; we merge consecutive layers with equal feature maps
 * instead, which gives the same table as the equivalent strides.
 */
function groupLayers(maps: readonly FeatureMap[], strides: readonly number[], fail: Fail): LayerGroup[] {
  const sameMap = (a: number, b: number) => maps[a]!.height === maps[b]!.height && maps[a]!.width === maps[b]!.width;
  const sameGroup = strides.length > 0 ? (a: number, b: number) => strides[a] === strides[b] : sameMap;
  const groups: LayerGroup[] = [];
  for (let first = 0; first < maps.length; ) {
    const layers = [first];
    while (first + layers.length < maps.length && sameGroup(first, first + layers.length)) layers.push(first + layers.length);
    // MediaPipe sizes a merged map by its first layer; a different size further on is a config error.
    const other = layers.find((layer) => !sameMap(first, layer));
    if (other !== undefined) {
      throw fail(
        maps[first]!.height !== maps[other]!.height ? 'featureMapHeight' : 'featureMapWidth',
        `layers ${first} and ${other} share stride ${strides[first]} but their feature maps differ ` +
          `(${mapText(maps[first]!)} and ${mapText(maps[other]!)})`,
      );
    }
    groups.push({ layers, ...maps[first]! });
    first += layers.length;
  }
  return groups;
}

/** Per layer: the given feature map, or ceil(input / stride) computed in float32 as MediaPipe does. */
function featureMaps(o: AnchorOptions, count: number, countText: string, fail: Fail): FeatureMap[] {
  const heights = o.featureMapHeight ?? [];
  const widths = o.featureMapWidth ?? [];
  if (heights.length > 0 || widths.length > 0) {
    if (heights.length !== count) throw fail('featureMapHeight', `has ${entries(heights.length)} but ${countText}`);
    if (widths.length !== count) throw fail('featureMapWidth', `has ${entries(widths.length)} but ${countText}`);
    return heights.map((height, i) => ({ height, width: widths[i]! }));
  }
  const strides = o.strides ?? [];
  if (strides.length !== count) throw fail('strides', `has ${entries(strides.length)} but ${countText}`);
  return strides.map((stride) => ({
    height: Math.ceil(Math.fround(o.inputSizeHeight! / stride)),
    width: Math.ceil(Math.fround(o.inputSizeWidth! / stride)),
  }));
}

/**
 * A field changes the table when it is set to something other than MediaPipe's default (or,
 * for fields without a default, when it is set at all; an empty list counts as unset).
 */
function isEffective(o: AnchorOptions, key: AnchorOptionKey): boolean {
  const value = o[key];
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  const spec: FieldSpec = ANCHOR_OPTION_FIELDS[key];
  return spec.default === undefined || value !== spec.default;
}

function ignoredBy(o: AnchorOptions, keys: readonly AnchorOptionKey[], detail: string, fail: Fail): void {
  const key = keys.find((k) => isEffective(o, k));
  if (key) throw fail(key, detail);
}

function required<K extends 'inputSizeWidth' | 'inputSizeHeight' | 'numLayers' | 'minScale' | 'maxScale'>(o: AnchorOptions, key: K, fail: Fail): number {
  const value = o[key];
  if (value === undefined) throw fail(key, 'is required');
  return value;
}

function entries(count: number): string {
  return count === 1 ? '1 entry' : `${count} entries`;
}

function mapText(map: FeatureMap): string {
  return `${map.width}x${map.height}`;
}
