import { describe, expect, it } from 'vitest';
import { AnchorOptionsError } from '../../src/ir/errors.js';
import { anchorOptionsFromJson } from '../../src/anchors/options-json.js';

const FRONT_JSON = {
  input_size_width: 128,
  input_size_height: 128,
  num_layers: 4,
  min_scale: 0.1484375,
  max_scale: 0.75,
  anchor_offset_x: 0.5,
  anchor_offset_y: 0.5,
  strides: [8, 16, 16, 16],
  aspect_ratios: [1.0],
  interpolated_scale_aspect_ratio: 1.0,
  fixed_anchor_size: true,
};

function message(json: unknown): string {
  try {
    anchorOptionsFromJson(json, 'cfg.json');
  } catch (e) {
    expect(e).toBeInstanceOf(AnchorOptionsError);
    return (e as Error).message;
  }
  throw new Error('anchorOptionsFromJson accepted the options');
}

describe('anchorOptionsFromJson', () => {
  it("maps MediaPipe's snake_case names to AnchorOptions", () => {
    expect(anchorOptionsFromJson(FRONT_JSON, 'cfg.json')).toEqual({
      inputSizeWidth: 128,
      inputSizeHeight: 128,
      numLayers: 4,
      minScale: 0.1484375,
      maxScale: 0.75,
      anchorOffsetX: 0.5,
      anchorOffsetY: 0.5,
      strides: [8, 16, 16, 16],
      aspectRatios: [1],
      interpolatedScaleAspectRatio: 1,
      fixedAnchorSize: true,
    });
  });

  it('reads every multiscale field', () => {
    const json = {
      input_size_width: 64,
      input_size_height: 32,
      feature_map_width: [8, 4],
      feature_map_height: [4, 2],
      aspect_ratios: [1, 2],
      multiscale_anchor_generation: true,
      min_level: 3,
      max_level: 4,
      anchor_scale: 3,
      scales_per_octave: 1,
      normalize_coordinates: false,
    };
    expect(anchorOptionsFromJson(json, 'cfg.json')).toEqual({
      inputSizeWidth: 64,
      inputSizeHeight: 32,
      featureMapWidth: [8, 4],
      featureMapHeight: [4, 2],
      aspectRatios: [1, 2],
      multiscaleAnchorGeneration: true,
      minLevel: 3,
      maxLevel: 4,
      anchorScale: 3,
      scalesPerOctave: 1,
      normalizeCoordinates: false,
    });
  });

  it('reads fixed_anchors as Anchor protos', () => {
    const json = { fixed_anchors: [{ x_center: 0.25, y_center: 0.75, w: 0.5, h: 0.125 }] };
    expect(anchorOptionsFromJson(json, 'cfg.json')).toEqual({
      fixedAnchors: [{ xCenter: 0.25, yCenter: 0.75, w: 0.5, h: 0.125 }],
    });
    expect(message({ fixed_anchors: [{ x_center: 0, y_center: 0, width: 1, h: 1 }] })).toBe(
      'anchor option fixed_anchors[0].width: unknown Anchor field (did you mean w?) (cfg.json)',
    );
    expect(message({ fixed_anchors: [{ x_center: 0, y_center: 0, w: 1 }] })).toBe('anchor option fixed_anchors[0].h: is required (cfg.json)');
    expect(message({ fixed_anchors: [7] })).toBe('anchor option fixed_anchors[0]: expected an anchor {x_center, y_center, w, h}, got 7 (cfg.json)');
  });

  it('rejects unknown names, suggesting the MediaPipe name for camelCase and typos', () => {
    expect(message({ ...FRONT_JSON, stride: [8] })).toBe('anchor option stride: unknown option (did you mean strides?) (cfg.json)');
    expect(message({ inputSizeWidth: 128 })).toBe('anchor option inputSizeWidth: unknown option (did you mean input_size_width?) (cfg.json)');
    expect(message({ ...FRONT_JSON, colour: 1 })).toBe('anchor option colour: unknown option (cfg.json)');
  });

  it('rejects wrong JSON types, naming the option and the entry', () => {
    expect(message({ ...FRONT_JSON, strides: '8' })).toBe('anchor option strides: expected an array, got "8" (cfg.json)');
    expect(message({ ...FRONT_JSON, strides: [8, '16', 16, 16] })).toBe('anchor option strides[1]: expected an integer, got "16" (cfg.json)');
    expect(message({ ...FRONT_JSON, fixed_anchor_size: 'yes' })).toBe('anchor option fixed_anchor_size: expected true or false, got "yes" (cfg.json)');
    expect(message({ ...FRONT_JSON, min_scale: null })).toBe('anchor option min_scale: expected a number, got null (cfg.json)');
  });

  it('rejects a document that is not an object', () => {
    expect(message([FRONT_JSON])).toMatch(/^anchor option \(options\): expected an object of SsdAnchorsCalculatorOptions fields/);
    expect(message(null)).toMatch(/got null \(cfg\.json\)$/);
  });

  it('applies the consistency rules, naming the source', () => {
    expect(message({ ...FRONT_JSON, num_layers: 3 })).toBe('anchor option strides: has 4 entries but num_layers is 3 (cfg.json)');
    expect(message({ ...FRONT_JSON, fixed_anchors: [{ x_center: 0, y_center: 0, w: 1, h: 1 }] })).toMatch(
      /^anchor option input_size_width: is set together with fixed_anchors/,
    );
  });
});
