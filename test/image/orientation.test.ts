/**
 * Reading an image through its EXIF orientation: the view's pixels against the eight cases
 * written out by hand, and MediaPipe's tensor made through the view against the tensor of the
 * image turned first (whose warp is proven against OpenCV in warp-perspective-opencv.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { type ImageTensor, imageToTensor, type NormalizedRect } from '../../src/image/image-to-tensor.js';
import { type Orientation, orientedView, uprightImage, uprightSize } from '../../src/image/orientation.js';
import type { RgbImage } from '../../src/image/rgb-image.js';

const ORIENTATIONS: readonly Orientation[] = [1, 2, 3, 4, 5, 6, 7, 8];

function noise(width: number, height: number, seed: number): RgbImage {
  let s = seed;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, data };
}

/** Stored (x, y) of upright (x, y), from the EXIF definitions, for a w x h stored grid. */
function storedPixel(o: Orientation, x: number, y: number, w: number, h: number): [number, number] {
  const table: Record<Orientation, [number, number]> = {
    1: [x, y],
    2: [w - 1 - x, y],
    3: [w - 1 - x, h - 1 - y],
    4: [x, h - 1 - y],
    5: [y, x],
    6: [y, h - 1 - x],
    7: [w - 1 - y, h - 1 - x],
    8: [w - 1 - y, x],
  };
  return table[o];
}

describe('orientedView and uprightImage', () => {
  const stored = noise(7, 4, 11);

  it.each(ORIENTATIONS)('orientation %i: every upright pixel is the stored pixel the EXIF definition names', (o) => {
    const image = uprightImage({ stored, orientation: o });
    const view = orientedView(stored, o);
    const size = o >= 5 ? [4, 7] : [7, 4];
    expect([image.width, image.height]).toEqual(size);
    expect([view.width, view.height]).toEqual(size);
    expect(uprightSize({ stored, orientation: o })).toEqual({ width: size[0], height: size[1] });
    for (let y = 0; y < image.height; y++) {
      for (let x = 0; x < image.width; x++) {
        const [sx, sy] = storedPixel(o, x, y, 7, 4);
        const want = Array.from(stored.data.subarray((sy * 7 + sx) * 3, (sy * 7 + sx) * 3 + 3));
        expect(Array.from(image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3)), `(${x}, ${y})`).toEqual(want);
        const at = view.origin + x * view.xStep + y * view.yStep;
        expect(Array.from(stored.data.subarray(at, at + 3)), `view (${x}, ${y})`).toEqual(want);
      }
    }
  });

  it('returns orientation 1 as it is, without a copy', () => {
    expect(uprightImage({ stored, orientation: 1 })).toBe(stored);
  });

  it('refuses an orientation outside 1..8 and a buffer of the wrong size', () => {
    expect(() => orientedView(stored, 9)).toThrow(/EXIF orientation 9 is not one of 1 to 8/);
    expect(() => orientedView(stored, 0)).toThrow(/EXIF orientation 0/);
    expect(() => uprightImage({ stored: { width: 7, height: 4, data: new Uint8Array(5) }, orientation: 6 })).toThrow(/needs 84 bytes, got 5/);
  });
});

describe('imageToTensor through the orientation', () => {
  const expectSameTensor = (through: ImageTensor, turned: ImageTensor, label: string): void => {
    expect(Buffer.compare(Buffer.from(through.image.data), Buffer.from(turned.image.data)), `${label}: uint8 warp`).toBe(0);
    expect(Buffer.compare(Buffer.from(through.tensor.buffer), Buffer.from(turned.tensor.buffer)), `${label}: float tensor`).toBe(0);
    expect(through.roi, `${label}: ROI`).toEqual(turned.roi);
    expect(Array.from(through.matrix), `${label}: MATRIX`).toEqual(Array.from(turned.matrix));
    expect(through.letterbox, `${label}: letterbox`).toEqual(turned.letterbox);
  };

  // Landscape and portrait stored grids, odd sizes; model sizes of the face detectors.
  const sizes: readonly [number, number, number][] = [
    [160, 90, 128],
    [90, 160, 192],
    [101, 67, 256],
    [33, 58, 128],
  ];

  it.each(ORIENTATIONS)('orientation %i: the whole image letterboxed gives the bytes of the image turned first', (o) => {
    sizes.forEach(([w, h, size], i) => {
      const stored = noise(w, h, 100 + i);
      const through = imageToTensor({ stored, orientation: o }, { width: size, height: size });
      const turned = imageToTensor(uprightImage({ stored, orientation: o }), { width: size, height: size });
      expectSameTensor(through, turned, `${w}x${h} → ${size}`);
    });
  });

  it.each(ORIENTATIONS)('orientation %i: rotated and partial ROIs, off the edges too, give the same bytes', (o) => {
    const rois: readonly NormalizedRect[] = [
      { xCenter: 0.4, yCenter: 0.6, width: 0.5, height: 0.3, rotation: 0.7 },
      { xCenter: 0.9, yCenter: 0.1, width: 0.8, height: 1.1, rotation: -2.5 },
      { xCenter: 0.5, yCenter: 0.5, width: 0.6, height: 0.6, rotation: Math.PI / 2 },
      { xCenter: 0.3, yCenter: 0.7, width: 0.2, height: 0.4 },
    ];
    const stored = noise(71, 43, 7);
    rois.forEach((roi, i) => {
      const options = { width: 96, height: 160, roi, keepAspectRatio: i % 2 === 0 };
      expectSameTensor(imageToTensor({ stored, orientation: o }, options), imageToTensor(uprightImage({ stored, orientation: o }), options), `ROI ${i}`);
    });
  });
});
