import { describe, expect, it } from 'vitest';
import {
  fusedMultiplyAddFloat32,
  getRoi,
  getValueRangeTransformation,
  imageToTensor,
  padRoi,
  rotatedSubRectToRectMatrix,
  valueRangeTable,
} from '../../src/image/image-to-tensor.js';

const f = Math.fround;

describe('getRoi', () => {
  it('takes the whole image when no rect is given', () => {
    expect(getRoi(640, 480)).toEqual({ centerX: 320, centerY: 240, width: 640, height: 480, rotation: 0 });
  });

  it('scales a normalized rect by the image size, in float32', () => {
    const roi = getRoi(640, 480, { xCenter: 0.25, yCenter: 0.5, width: 0.5, height: 0.25, rotation: 0.3 });
    expect(roi).toEqual({ centerX: 160, centerY: 240, width: 320, height: 120, rotation: f(0.3) });
  });
});

describe('padRoi (keep_aspect_ratio)', () => {
  it('pads a landscape image top and bottom: 640x480 into a square grows to 640x640, 1/8 each side', () => {
    const { roi, padding } = padRoi(128, 128, true, getRoi(640, 480));
    expect(roi).toEqual({ centerX: 320, centerY: 240, width: 640, height: 640, rotation: 0 });
    expect(padding).toEqual([0, 0.125, 0, 0.125]);
  });

  it('pads a portrait image left and right', () => {
    const { roi, padding } = padRoi(192, 192, true, getRoi(480, 640));
    expect(roi.width).toBe(640);
    expect(roi.height).toBe(640);
    expect(padding).toEqual([0.125, 0, 0.125, 0]);
  });

  it('gives 1280x720 a border of (1 - 9/16) / 2 = 7/32 top and bottom', () => {
    expect(padRoi(192, 192, true, getRoi(1280, 720)).padding).toEqual([0, 0.21875, 0, 0.21875]);
  });

  it("matches the calculator's documented example: 10x10 into 20 wide by 40 high pads 0.25 top and bottom", () => {
    const { roi, padding } = padRoi(20, 40, true, getRoi(10, 10));
    expect([roi.width, roi.height]).toEqual([10, 20]);
    expect(padding).toEqual([0, 0.25, 0, 0.25]);
  });

  it('computes a non-square tensor in float32: 100x100 into 192x128', () => {
    // tensor aspect 128/192 = 2/3 < 1: width 100 / f(2/3), padding (1 - f(2/3)) / 2 each side.
    const aspect = f(128 / 192);
    const { roi, padding } = padRoi(192, 128, true, getRoi(100, 100));
    expect(roi.width).toBe(f(100 / aspect));
    expect(padding[0]).toBe(f(f(1 - aspect) / 2));
    expect(padding[0]).toBeCloseTo(1 / 6, 6);
  });

  it('leaves the ROI alone without keep_aspect_ratio', () => {
    const roi = getRoi(640, 480);
    expect(padRoi(128, 128, false, roi)).toEqual({ roi, padding: [0, 0, 0, 0] });
  });
});

describe('value range', () => {
  it("is GetValueRangeTransformation's float32 scale and offset", () => {
    expect(getValueRangeTransformation(0, 255, -1, 1)).toEqual({ scale: f(f(2) / 255), offset: -1 });
    expect(getValueRangeTransformation(0, 255, 0, 1)).toEqual({ scale: f(1 / 255), offset: 0 });
    expect(() => getValueRangeTransformation(0, 255, 1, 1)).toThrow(/empty/);
  });

  it('maps 0 to -1 and 255 to 1 + 2^-23 for [-1, 1]: f(2/255) is a little above 2/255', () => {
    const table = valueRangeTable({ min: -1, max: 1 });
    expect(table[0]).toBe(-1);
    expect(table[255]).toBe(1 + 2 ** -23);
  });

  it('rounds once, as a fused multiply-add: 158 of the 256 [-1, 1] values differ from two roundings', () => {
    const { scale } = getValueRangeTransformation(0, 255, -1, 1);
    const table = valueRangeTable({ min: -1, max: 1 });
    let differ = 0;
    for (let v = 0; v < 256; v++) {
      // v * scale - 1 is exact in double here (at most 33 significant bits), so one fround is the exact rounding.
      expect(table[v]).toBe(f(v * scale - 1));
      if (table[v] !== f(f(v * scale) - 1)) differ++;
    }
    expect(differ).toBe(158);
  });
});

describe('fusedMultiplyAddFloat32', () => {
  it('breaks a double-rounding tie by the dropped remainder, downwards', () => {
    // a*b = 2^-24 - 2^-70: the exact sum lies just below the float32 midpoint 1 + 3*2^-24, but
    // the double sum is that midpoint, which ties-to-even would round up to 1 + 2^-22.
    const a = 2 ** -12 * (1 + 2 ** -23);
    const b = 2 ** -12 * (1 - 2 ** -23);
    expect(f(a * b + (1 + 2 ** -23))).toBe(1 + 2 ** -22);
    expect(fusedMultiplyAddFloat32(a, b, 1 + 2 ** -23)).toBe(1 + 2 ** -23);
  });

  it('and upwards', () => {
    const a = -(2 ** -12) * (1 + 2 ** -23);
    const b = 2 ** -12 * (1 - 2 ** -23);
    const c = 1 + 3 * 2 ** -23;
    expect(f(a * b + c)).toBe(1 + 2 ** -22);
    expect(fusedMultiplyAddFloat32(a, b, c)).toBe(c);
  });

  it('agrees with one rounding wherever the double sum is exact', () => {
    expect(fusedMultiplyAddFloat32(3, f(0.1), f(0.25))).toBe(f(3 * f(0.1) + f(0.25)));
  });
});

describe('rotatedSubRectToRectMatrix (the MATRIX output)', () => {
  it('maps normalized tensor coordinates of a letterboxed image onto the image', () => {
    // 640x480 letterboxed to a square: ROI 640x640 centred at (320, 240). Tensor y = 0.125
    // (top of the picture) is image y = 0; tensor y = 0.875 is image y = 1.
    const m = rotatedSubRectToRectMatrix({ centerX: 320, centerY: 240, width: 640, height: 640, rotation: 0 }, 640, 480);
    // g = f(1/640), h = f(1/480); m0 = 640 g, m3 = (-320 + 0 + 320) g, m5 = 640 h, m7 = (-320 - 0 + 240) h.
    const g = f(1 / 640);
    const h = f(1 / 480);
    expect(Array.from(m).map((v) => v + 0)).toEqual([f(640 * g), 0, 0, 0, 0, f(640 * h), 0, f(-80 * h), 0, 0, f(640 * g), 0, 0, 0, 0, 1]);
    expect(f(f(0.125 * m[5]!) + m[7]!)).toBeCloseTo(0, 7);
    expect(f(f(0.875 * m[5]!) + m[7]!)).toBeCloseTo(1, 6);
  });

  it('turns with the ROI: at 90 degrees the tensor x axis runs down the image', () => {
    const m = rotatedSubRectToRectMatrix({ centerX: 50, centerY: 50, width: 100, height: 100, rotation: Math.PI / 2 }, 100, 100);
    // Tensor (1, 0.5), the middle of the right edge, is image (0.5, 1).
    expect(f(f(1 * m[0]!) + f(0.5 * m[1]!)) + m[3]!).toBeCloseTo(0.5, 6);
    expect(f(f(1 * m[4]!) + f(0.5 * m[5]!)) + m[7]!).toBeCloseTo(1, 6);
  });
});

describe('imageToTensor', () => {
  it('letterboxes a 2x1 image into a 2x2 tensor: every row samples half a pixel of the image and half of the border', () => {
    // ROI 2x2 centred at (1, 0.5): tensor row 0 samples image row -0.5, row 1 samples 0.5; on
    // a one-row image both are half the pixel and half the zero border: (v * 16384 + 16384) >> 15,
    // so 200 → 100, 90 → 45, 51 → 26, 255 → 128, 1 → 1.
    const image = { width: 2, height: 1, data: Uint8Array.of(200, 0, 90, 51, 255, 1) };
    const result = imageToTensor(image, { width: 2, height: 2 });
    expect(Array.from(result.image.data)).toEqual([100, 0, 45, 26, 128, 1, 100, 0, 45, 26, 128, 1]);
    const table = valueRangeTable({ min: -1, max: 1 });
    expect(Array.from(result.tensor)).toEqual(Array.from(result.image.data, (v) => table[v]));
    expect(result.roi).toEqual({ centerX: 1, centerY: 0.5, width: 2, height: 2, rotation: 0 });
    expect(result.letterbox).toEqual({
      sourceWidth: 2,
      sourceHeight: 1,
      targetWidth: 2,
      targetHeight: 2,
      padLeft: 0,
      padTop: 0.25,
      padRight: 0,
      padBottom: 0.25,
    });
    expect(Array.from(result.transform).map((v) => v + 0)).toEqual([1, 0, 0, 0, 1, 0.5, 0, 0, 1]);
  });

  it('takes the range and the ROI from the options', () => {
    const image = { width: 4, height: 4, data: new Uint8Array(48).fill(255) };
    const inside = imageToTensor(image, { width: 2, height: 2, range: { min: 0, max: 1 }, roi: { xCenter: 0.5, yCenter: 0.5, width: 0.5, height: 0.5 } });
    expect(Array.from(inside.tensor)).toEqual(new Array(12).fill(1));
    const outside = imageToTensor(image, { width: 2, height: 2, range: { min: 0, max: 1 }, roi: { xCenter: 3, yCenter: 3, width: 0.5, height: 0.5 } });
    expect(Array.from(outside.tensor)).toEqual(new Array(12).fill(0));
  });

  it('refuses an empty ROI and a bad tensor size', () => {
    const image = { width: 4, height: 4, data: new Uint8Array(48) };
    expect(() => imageToTensor(image, { width: 2, height: 2, roi: { xCenter: 0.5, yCenter: 0.5, width: 0, height: 0.5 } })).toThrow(
      /ROI size 0x2 must be positive/,
    );
    expect(() => imageToTensor(image, { width: 2.5, height: 2 })).toThrow(/tensor size 2.5x2/);
  });
});
