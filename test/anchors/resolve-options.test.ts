import { describe, expect, it } from 'vitest';
import { AnchorOptionsError } from '../../src/ir/errors.js';
import { generateAnchors } from '../../src/anchors/generate-anchors.js';
import type { AnchorOptions } from '../../src/anchors/options.js';
import { resolveAnchorOptions } from '../../src/anchors/resolve-options.js';

const SSD: AnchorOptions = {
  inputSizeWidth: 128,
  inputSizeHeight: 128,
  numLayers: 4,
  minScale: 0.1484375,
  maxScale: 0.75,
  strides: [8, 16, 16, 16],
  aspectRatios: [1],
  fixedAnchorSize: true,
};

const MULTISCALE: AnchorOptions = {
  inputSizeWidth: 640,
  inputSizeHeight: 640,
  strides: [64, 128],
  aspectRatios: [1, 2, 0.5],
  multiscaleAnchorGeneration: true,
  minLevel: 6,
  maxLevel: 7,
};

function failure(options: AnchorOptions): AnchorOptionsError {
  try {
    generateAnchors(options);
  } catch (e) {
    if (e instanceof AnchorOptionsError) return e;
    throw e;
  }
  throw new Error('generateAnchors accepted the options');
}

describe('MediaPipe consistency rules', () => {
  it('rejects a strides count that differs from num_layers', () => {
    const e = failure({ ...SSD, strides: [8, 16, 16] });
    expect(e.option).toBe('strides');
    expect(e.message).toBe('anchor option strides: has 3 entries but num_layers is 4');
  });

  it('rejects fixed anchors together with generation fields, naming the field', () => {
    const fixedAnchors = [{ xCenter: 0.5, yCenter: 0.5, w: 1, h: 1 }];
    expect(failure({ fixedAnchors, inputSizeWidth: 128 }).option).toBe('input_size_width');
    expect(failure({ fixedAnchors, multiscaleAnchorGeneration: true }).option).toBe('multiscale_anchor_generation');
    expect(failure({ fixedAnchors, strides: [8] }).message).toMatch(/^anchor option strides: is set together with fixed_anchors/);
    // Defaults written out change nothing, so they are not a conflict (MediaPipe agrees).
    expect(generateAnchors({ fixedAnchors, multiscaleAnchorGeneration: false, anchorOffsetX: 0.5 })).toHaveLength(1);
  });

  it('rejects options with neither strides nor feature maps', () => {
    const { strides: _s, ...rest } = SSD;
    expect(failure(rest).message).toMatch(/^anchor option strides: neither strides nor feature_map_width\/feature_map_height/);
    expect(failure({ ...rest, strides: [] }).option).toBe('strides');
  });

  it('rejects feature map counts that differ from num_layers or from each other', () => {
    expect(failure({ ...SSD, featureMapHeight: [16, 8, 8], featureMapWidth: [16, 8, 8] }).option).toBe('feature_map_height');
    expect(failure({ ...SSD, featureMapHeight: [16, 8, 8, 8], featureMapWidth: [16, 8, 8] }).option).toBe('feature_map_width');
    expect(failure({ ...SSD, featureMapWidth: [16, 8, 8, 8] }).option).toBe('feature_map_height');
  });

  it('rejects layers that share a stride but not a feature map size', () => {
    const e = failure({ ...SSD, featureMapHeight: [16, 8, 8, 8], featureMapWidth: [16, 8, 7, 8] });
    expect(e.message).toBe('anchor option feature_map_width: layers 1 and 2 share stride 16 but their feature maps differ (8x8 and 7x8)');
  });

  it('in multiscale mode counts layers as min_level..max_level', () => {
    expect(generateAnchors(MULTISCALE)).toHaveLength((10 * 10 + 5 * 5) * 3 * 2);
    expect(failure({ ...MULTISCALE, strides: [64] }).message).toBe('anchor option strides: has 1 entry but min_level 6 to max_level 7 is 2 levels');
    expect(failure({ ...MULTISCALE, numLayers: 3 }).option).toBe('num_layers');
    expect(generateAnchors({ ...MULTISCALE, numLayers: 2 })).toHaveLength(750);
    expect(failure({ ...MULTISCALE, maxLevel: 5 }).message).toBe('anchor option max_level: is 5, below min_level 6');
    expect(failure({ ...MULTISCALE, featureMapHeight: [10, 5], featureMapWidth: [10, 5] }).option).toBe('strides');
    expect(failure({ ...MULTISCALE, aspectRatios: [] }).option).toBe('aspect_ratios');
  });
});

describe('our stricter rules', () => {
  it('requires the fields MediaPipe marks as required for the chosen mode', () => {
    const { numLayers: _n, ...noLayers } = SSD;
    expect(failure(noLayers).message).toBe('anchor option num_layers: is required');
    const { minScale: _m, ...noMin } = SSD;
    expect(failure(noMin).option).toBe('min_scale');
    const { inputSizeHeight: _h, ...noHeight } = MULTISCALE;
    expect(failure(noHeight).option).toBe('input_size_height');
  });

  it('rejects a field the mode ignores when it is set to a value that would matter', () => {
    expect(failure({ ...SSD, minLevel: 4 }).message).toBe('anchor option min_level: is only used when multiscale_anchor_generation is true');
    expect(failure({ ...SSD, normalizeCoordinates: false }).option).toBe('normalize_coordinates');
    expect(generateAnchors({ ...SSD, minLevel: 3, normalizeCoordinates: true })).toHaveLength(896);
    expect(failure({ ...MULTISCALE, anchorOffsetX: 0.25 }).message).toBe(
      'anchor option anchor_offset_x: has no effect when multiscale_anchor_generation is true',
    );
    expect(failure({ ...MULTISCALE, minScale: 0.1 }).option).toBe('min_scale');
    expect(failure({ ...MULTISCALE, fixedAnchorSize: true }).option).toBe('fixed_anchor_size');
  });

  it('rejects a layer that would get no anchors', () => {
    expect(failure({ ...SSD, aspectRatios: [], interpolatedScaleAspectRatio: 0 }).message).toBe(
      'anchor option aspect_ratios: is empty and interpolated_scale_aspect_ratio is 0, so layer 0 gets no anchors',
    );
    // The interpolated box alone is enough: one anchor per cell and layer.
    expect(generateAnchors({ ...SSD, aspectRatios: [] })).toHaveLength(16 * 16 + 8 * 8 * 3);
  });

  it('checks values: integers, ranges, finite float32 numbers', () => {
    expect(failure({ ...SSD, numLayers: 2.5 }).message).toBe('anchor option num_layers: expected an integer, got 2.5');
    expect(failure({ ...SSD, strides: [8, 16, 0, 16] }).message).toBe('anchor option strides[2]: must be at least 1, got 0');
    expect(failure({ ...SSD, aspectRatios: [-1] }).option).toBe('aspect_ratios[0]');
    expect(failure({ ...SSD, interpolatedScaleAspectRatio: -1 }).option).toBe('interpolated_scale_aspect_ratio');
    expect(failure({ ...SSD, minScale: Number.NaN }).message).toBe('anchor option min_scale: expected a number, got NaN');
    expect(failure({ ...SSD, maxScale: 1e39 }).message).toBe('anchor option max_scale: 1e+39 does not fit in a float32');
    expect(failure({ ...MULTISCALE, minLevel: -1 }).option).toBe('min_level');
    expect(failure({ ...MULTISCALE, maxLevel: 31 }).option).toBe('max_level');
    expect(failure({ fixedAnchors: [{ xCenter: 0.5, yCenter: Number.POSITIVE_INFINITY, w: 1, h: 1 }] }).option).toBe('fixed_anchors[0].y_center');
  });

  it('names the source of the options when given one', () => {
    expect(() => resolveAnchorOptions({ ...SSD, strides: [8] }, 'my.json')).toThrow('anchor option strides: has 1 entry but num_layers is 4 (my.json)');
  });
});

describe('resolveAnchorOptions', () => {
  it('rounds float options to float32 and groups layers by stride', () => {
    const plan = resolveAnchorOptions({ ...SSD, minScale: 0.1 });
    expect(plan.mode).toBe('ssd');
    if (plan.mode !== 'ssd') return;
    expect(plan.minScale).toBe(Math.fround(0.1));
    expect(plan.groups).toEqual([
      { layers: [0], height: 16, width: 16 },
      { layers: [1, 2, 3], height: 8, width: 8 },
    ]);
  });
});
