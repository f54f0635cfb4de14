import { describe, expect, it } from 'vitest';
import { anchorsToFloat32, type Anchor } from '../../src/anchors/anchor.js';
import { generateAnchors } from '../../src/anchors/generate-anchors.js';
import type { AnchorOptions } from '../../src/anchors/options.js';

// Every expected table below is worked out by hand from MediaPipe's rules:
//   scale(i) = min + (max - min) * i / (n - 1), or (min + max) / 2 for one layer;
//   box(scale, ratio) = w: scale * sqrt(ratio), h: scale / sqrt(ratio);
//   centre = (cell + offset) / feature map size; feature map = ceil(input / stride).
// Values are chosen to be exact in float32 wherever possible; where sqrt is involved the
// expectation spells out the float32 rounding MediaPipe applies (f = Math.fround).
const f = Math.fround;
const R2 = f(Math.SQRT2);

/** Rows [x_center, y_center, w, h]. */
function rows(anchors: readonly Anchor[]): number[][] {
  return anchors.map((a) => [a.xCenter, a.yCenter, a.w, a.h]);
}

describe('generateAnchors, SSD mode', () => {
  it('gives non-fixed boxes per aspect ratio plus the interpolated box, with defaults for offsets', () => {
    // Layer 0: stride 2 on 4x4 -> 2x2 cells, scale 0.25; interpolated: sqrt(0.25 * scale(1) = 1) = 0.5.
    // Layer 1: stride 4 -> 1 cell, scale 1; last layer, so interpolated is sqrt(1 * 1.0) = 1.
    // Ratio 4 has sqrt 2: w = 2 * scale, h = scale / 2.
    const options: AnchorOptions = {
      inputSizeWidth: 4,
      inputSizeHeight: 4,
      numLayers: 2,
      strides: [2, 4],
      minScale: 0.25,
      maxScale: 1,
      aspectRatios: [1, 4],
    };
    const layer0 = (x: number, y: number) => [
      [x, y, 0.25, 0.25],
      [x, y, 0.5, 0.125],
      [x, y, 0.5, 0.5],
    ];
    expect(rows(generateAnchors(options))).toEqual([
      ...layer0(0.25, 0.25),
      ...layer0(0.75, 0.25),
      ...layer0(0.25, 0.75),
      ...layer0(0.75, 0.75),
      [0.5, 0.5, 1, 1],
      [0.5, 0.5, 2, 0.5],
      [0.5, 0.5, 1, 1],
    ]);
  });

  it('uses (min + max) / 2 for a single layer and 1.0 as the next scale of the last layer', () => {
    // scale = (0.125 + 0.375) / 2 = 0.25; interpolated scale sqrt(0.25 * 1) = 0.5 at ratio 4.
    const anchors = generateAnchors({
      inputSizeWidth: 4,
      inputSizeHeight: 4,
      numLayers: 1,
      strides: [4],
      minScale: 0.125,
      maxScale: 0.375,
      aspectRatios: [1],
      interpolatedScaleAspectRatio: 4,
    });
    expect(rows(anchors)).toEqual([
      [0.5, 0.5, 0.25, 0.25],
      [0.5, 0.5, 1, 0.25],
    ]);
  });

  it('merges consecutive layers with equal strides into one feature map, boxes interleaved per cell', () => {
    // Scales over 3 layers from 0.25 to 0.75: 0.25, 0.5, 0.75. Layers 0 and 1 (stride 8 on 16)
    // share a 2x2 map with two boxes per cell; layer 2 (stride 16) has one cell.
    const anchors = generateAnchors({
      inputSizeWidth: 16,
      inputSizeHeight: 16,
      numLayers: 3,
      strides: [8, 8, 16],
      minScale: 0.25,
      maxScale: 0.75,
      aspectRatios: [1],
      interpolatedScaleAspectRatio: 0,
    });
    expect(rows(anchors)).toEqual([
      [0.25, 0.25, 0.25, 0.25],
      [0.25, 0.25, 0.5, 0.5],
      [0.75, 0.25, 0.25, 0.25],
      [0.75, 0.25, 0.5, 0.5],
      [0.25, 0.75, 0.25, 0.25],
      [0.25, 0.75, 0.5, 0.5],
      [0.75, 0.75, 0.25, 0.25],
      [0.75, 0.75, 0.5, 0.5],
      [0.5, 0.5, 0.75, 0.75],
    ]);
  });

  it('does not merge equal strides that are not consecutive', () => {
    const anchors = generateAnchors({
      inputSizeWidth: 8,
      inputSizeHeight: 8,
      numLayers: 3,
      strides: [8, 4, 8],
      minScale: 0.25,
      maxScale: 0.75,
      aspectRatios: [1],
      interpolatedScaleAspectRatio: 0,
      fixedAnchorSize: true,
    });
    // 1 cell, then 2x2 cells, then 1 cell again: 6 anchors, the last one a layer of its own.
    expect(anchors).toHaveLength(6);
    expect(rows(anchors)[5]).toEqual([0.5, 0.5, 1, 1]);
  });

  it('reduce_boxes_in_lowest_layer gives layer 0 the fixed three boxes and no interpolated box', () => {
    // Layer 0: (ratio 1, scale 0.1), (ratio 2, scale 0.25), (ratio 0.5, scale 0.25).
    // Layer 1 is untouched: ratios 1 and 4 at scale 1, then the interpolated box sqrt(1 * 1) = 1.
    const anchors = generateAnchors({
      inputSizeWidth: 4,
      inputSizeHeight: 4,
      numLayers: 2,
      strides: [2, 4],
      minScale: 0.25,
      maxScale: 1,
      aspectRatios: [1, 4],
      reduceBoxesInLowestLayer: true,
    });
    const rHalf = f(Math.sqrt(0.5));
    const lowest = (x: number, y: number) => [
      [x, y, f(0.1), f(0.1)],
      [x, y, f(0.25 * R2), f(0.25 / R2)],
      [x, y, f(0.25 * rHalf), f(0.25 / rHalf)],
    ];
    expect(rows(anchors)).toEqual([
      ...lowest(0.25, 0.25),
      ...lowest(0.75, 0.25),
      ...lowest(0.25, 0.75),
      ...lowest(0.75, 0.75),
      [0.5, 0.5, 1, 1],
      [0.5, 0.5, 2, 0.5],
      [0.5, 0.5, 1, 1],
    ]);
  });

  it('takes feature map sizes over ceil(input / stride), width and height separately', () => {
    // Strides would give 4x4 and 2x2; the maps say 3 wide by 2 high, then 1x1.
    const options: AnchorOptions = {
      inputSizeWidth: 32,
      inputSizeHeight: 32,
      numLayers: 2,
      strides: [8, 16],
      featureMapWidth: [3, 1],
      featureMapHeight: [2, 1],
      minScale: 0.2,
      maxScale: 0.8,
      aspectRatios: [1],
      interpolatedScaleAspectRatio: 0,
      fixedAnchorSize: true,
    };
    const x = [f(0.5 / 3), f(1.5 / 3), f(2.5 / 3)];
    expect(rows(generateAnchors(options))).toEqual([
      [x[0], 0.25, 1, 1],
      [x[1], 0.25, 1, 1],
      [x[2], 0.25, 1, 1],
      [x[0], 0.75, 1, 1],
      [x[1], 0.75, 1, 1],
      [x[2], 0.75, 1, 1],
      [0.5, 0.5, 1, 1],
    ]);
    const { strides: _ignored, ...withoutStrides } = options;
    expect(generateAnchors(withoutStrides)).toEqual(generateAnchors(options));
  });

  it('with feature maps and no strides, merges consecutive layers of equal size as equal strides would', () => {
    const common = {
      inputSizeWidth: 16,
      inputSizeHeight: 16,
      numLayers: 3,
      minScale: 0.25,
      maxScale: 0.75,
      aspectRatios: [1],
      interpolatedScaleAspectRatio: 0,
    };
    const expected = [
      [0.25, 0.25, 0.25, 0.25],
      [0.75, 0.25, 0.25, 0.25],
      [0.25, 0.75, 0.25, 0.25],
      [0.75, 0.75, 0.25, 0.25],
      [0.5, 0.5, 0.5, 0.5],
      [0.5, 0.5, 0.75, 0.75],
    ];
    expect(rows(generateAnchors({ ...common, strides: [8, 16, 16] }))).toEqual(expected);
    expect(rows(generateAnchors({ ...common, featureMapWidth: [2, 1, 1], featureMapHeight: [2, 1, 1] }))).toEqual(expected);
  });

  it('places centres by anchor_offset_x and anchor_offset_y, in cells', () => {
    const anchors = generateAnchors({
      inputSizeWidth: 4,
      inputSizeHeight: 4,
      numLayers: 1,
      strides: [2],
      minScale: 0.5,
      maxScale: 0.5,
      aspectRatios: [1],
      interpolatedScaleAspectRatio: 0,
      anchorOffsetX: 0,
      anchorOffsetY: 1,
      fixedAnchorSize: true,
    });
    expect(rows(anchors)).toEqual([
      [0, 0.5, 1, 1],
      [0.5, 0.5, 1, 1],
      [0, 1, 1, 1],
      [0.5, 1, 1, 1],
    ]);
  });
});

describe('generateAnchors, multiscale mode', () => {
  it('walks levels, then cells, with stride 2^level, base anchor_scale * stride and 2^(k/scales_per_octave)', () => {
    // Level 2: stride 4, 2x2 cells (strides[0] = 4 on 8), base 8, centres 4 * cell + 2.
    // Level 3: stride 8, 1 cell, base 16, centre 4. Scales 1 and sqrt 2; normalised by 8.
    const anchors = generateAnchors({
      inputSizeWidth: 8,
      inputSizeHeight: 8,
      strides: [4, 8],
      aspectRatios: [1],
      multiscaleAnchorGeneration: true,
      minLevel: 2,
      maxLevel: 3,
      anchorScale: 2,
      scalesPerOctave: 2,
    });
    const cell = (x: number, y: number) => [
      [x, y, 1, 1],
      [x, y, R2, R2],
    ];
    expect(rows(anchors)).toEqual([
      ...cell(0.25, 0.25),
      ...cell(0.75, 0.25),
      ...cell(0.25, 0.75),
      ...cell(0.75, 0.75),
      [0.5, 0.5, 2, 2],
      [0.5, 0.5, 2 * R2, 2 * R2],
    ]);
  });

  it('keeps pixels when normalize_coordinates is false, loops ratio then scale, and offsets only evenly divided axes', () => {
    // Level 3: stride 8, base 8 (anchor_scale 1). Height 12 is not a multiple of 8, so y centres
    // get no half-stride offset (0, 8); width 8 is, so x centres are 4. Ratio 4 (sqrt 2):
    // w = scale * 2 * 8, h = scale * 8 / 2.
    const anchors = generateAnchors({
      inputSizeWidth: 8,
      inputSizeHeight: 12,
      strides: [8],
      aspectRatios: [1, 4],
      multiscaleAnchorGeneration: true,
      minLevel: 3,
      maxLevel: 3,
      anchorScale: 1,
      scalesPerOctave: 2,
      normalizeCoordinates: false,
    });
    const cell = (y: number) => [
      [4, y, 8, 8],
      [4, y, 8 * R2, 8 * R2],
      [4, y, 16, 4],
      [4, y, 16 * R2, 4 * R2],
    ];
    expect(rows(anchors)).toEqual([...cell(0), ...cell(8)]);
  });

  it('offsets an axis of input size 1 even though 1 is not a multiple of the stride', () => {
    // Level 1: stride 2, base 2; 1x1 input -> offset 1 on both axes. A 3x3 input -> no offset.
    const common = {
      strides: [2],
      aspectRatios: [1],
      multiscaleAnchorGeneration: true,
      minLevel: 1,
      maxLevel: 1,
      anchorScale: 1,
      scalesPerOctave: 1,
      normalizeCoordinates: false,
    };
    expect(rows(generateAnchors({ ...common, inputSizeWidth: 1, inputSizeHeight: 1 }))).toEqual([[1, 1, 2, 2]]);
    expect(rows(generateAnchors({ ...common, inputSizeWidth: 3, inputSizeHeight: 3 }))).toEqual([
      [0, 0, 2, 2],
      [2, 0, 2, 2],
      [0, 2, 2, 2],
      [2, 2, 2, 2],
    ]);
  });
});

describe('generateAnchors, fixed anchors', () => {
  it('returns fixed_anchors as given, rounded to float32 like the proto fields', () => {
    const anchors = generateAnchors({ fixedAnchors: [{ xCenter: 0.1, yCenter: 0.2, w: 3, h: 0.4 }] });
    expect(rows(anchors)).toEqual([[f(0.1), f(0.2), 3, f(0.4)]]);
  });
});

describe('anchorsToFloat32', () => {
  it('lays the table out row-major as x_center, y_center, w, h', () => {
    const table = anchorsToFloat32([
      { xCenter: 1, yCenter: 2, w: 3, h: 4 },
      { xCenter: 5, yCenter: 6, w: 7, h: 8 },
    ]);
    expect(Array.from(table)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
