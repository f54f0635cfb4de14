import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  annotate,
  annotateLandmarks,
  annotationMetrics,
  annotationScale,
  annotationSvg,
  BOX_COLOR,
  KEYPOINT_COLORS,
  keypointColor,
  LANDMARK_COLOR,
  landmarkSvg,
  LEGEND_BACKGROUND,
} from '../../src/detect/annotate.js';
import type { Detection } from '../../src/detect/detection.js';
import { KEYPOINT_NAMES } from '../../src/models/keypoints.js';

const GRAY = [10, 20, 30];

function grayImage(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  data.set(GRAY);
  // Doubling copies: a 3000-pixel square is 9 million pixels, too many to set one by one.
  for (let filled = 3; filled < data.length; filled *= 2) data.copyWithin(filled, 0, Math.min(filled, data.length - filled));
  return { width, height, data };
}

const hex = (color: string): number[] => [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));

/** A face whose box is (x, y, w, h) in pixels of a `size`-wide square image, keypoints inside it. */
function face(score: number, size: number, x: number, y: number, w: number, h: number): Detection {
  const spots: Record<string, [number, number]> = {
    right_eye: [0.3, 0.35],
    left_eye: [0.7, 0.35],
    nose_tip: [0.5, 0.55],
    mouth_center: [0.5, 0.78],
    right_ear_tragion: [0.08, 0.5],
    left_ear_tragion: [0.92, 0.5],
  };
  return {
    score,
    box: { xmin: x / size, ymin: y / size, xmax: (x + w) / size, ymax: (y + h) / size, width: w / size, height: h / size },
    boxPixels: { x, y, width: w, height: h },
    keypoints: KEYPOINT_NAMES.map((name) => {
      const [fx, fy] = spots[name]!;
      return { name, x: (x + fx * w) / size, y: (y + fy * h) / size, xPixels: x + fx * w, yPixels: y + fy * h };
    }),
  };
}

async function render(size: number, detections: readonly Detection[]) {
  const png = await annotate(grayImage(size, size), detections);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number): number[] => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
  return { info, pixel, png };
}

const close = (a: readonly number[], b: readonly number[], tolerance = 8): boolean => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);

describe('annotationSvg', () => {
  it('has one box, six keypoints in their colours and a numbered score label per face, and the legend', () => {
    const svg = annotationSvg(200, 100, [face(0.973, 200, 20, 30, 50, 40), face(0.61, 200, 120, 10, 30, 30)]);
    expect(svg.match(/<rect [^>]*fill="none" stroke="#00ff00"/g)).toHaveLength(2);
    expect(svg).toContain('<rect x="21" y="31" width="48" height="38" fill="none"');
    for (const name of KEYPOINT_NAMES) {
      expect(svg.match(new RegExp(`<circle [^>]*fill="${KEYPOINT_COLORS[name]}"`, 'g')), name).toHaveLength(3);
      expect(svg).toContain(`>${name}</text>`);
    }
    expect(svg).toContain('>1: 97.3%</text>');
    expect(svg).toContain('>2: 61.0%</text>');
  });

  it('grows text, lines and dots with the image', () => {
    const small = annotationMetrics(128, 128);
    const large = annotationMetrics(8000, 4000);
    expect(small.fontSize).toBe(11);
    expect(large.fontSize).toBe(125);
    expect(large.stroke / small.stroke).toBeGreaterThan(8);
    expect(large.keypointRadius / small.keypointRadius).toBeGreaterThan(10);
    // Six names do not fit one row of a 128-pixel image: the legend wraps.
    expect(small.legendHeight).toBeGreaterThan(3 * small.fontSize);
    expect(large.legendHeight).toBeLessThanOrEqual(2 * large.fontSize);
  });

  it('gives every keypoint its own colour, different from the box', () => {
    expect(new Set([BOX_COLOR, ...Object.values(KEYPOINT_COLORS)]).size).toBe(7);
  });
});

describe('annotate', () => {
  it('draws the box, keypoints and label on a copy, and the legend in a strip below the image', async () => {
    const image = grayImage(640, 640);
    const detection = face(0.973, 640, 160, 240, 320, 280);
    const png = await annotate(image, [detection]);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const { legendHeight, fontSize } = annotationMetrics(640, 640);
    expect([info.width, info.height, info.channels]).toEqual([640, 640 + legendHeight, 3]);
    const pixel = (x: number, y: number): number[] => Array.from(data.subarray((y * 640 + x) * 3, (y * 640 + x) * 3 + 3));

    expect(pixel(320, 240)).toEqual(hex(BOX_COLOR)); // top edge
    expect(pixel(160, 400)).toEqual(hex(BOX_COLOR)); // left edge
    for (const k of detection.keypoints) expect(close(pixel(Math.round(k.xPixels), Math.round(k.yPixels)), hex(keypointColor(k.name, 0))), k.name).toBe(true);
    expect(pixel(5, 5)).toEqual(GRAY);
    expect(pixel(630, 630)).toEqual(GRAY);
    expect(Array.from(image.data.subarray(0, 3))).toEqual(GRAY);

    // The label above the box: green with black glyphs.
    const label = { top: 240 - Math.ceil(fontSize * 1.3), bottom: 239, left: 160, right: 160 + 8 * fontSize };
    let green = 0;
    let dark = 0;
    for (let y = label.top; y <= label.bottom; y++) {
      for (let x = label.left; x <= label.right; x++) {
        const [r, g, b] = pixel(x, y) as [number, number, number];
        if (g > 200 && r < 60 && b < 60) green++;
        if (r < 60 && g < 60 && b < 60) dark++;
      }
    }
    expect(green).toBeGreaterThan(dark);
    expect(dark).toBeGreaterThan(20);

    // The legend: white text and a dot of each keypoint colour on its background, none of the image.
    let white = 0;
    const dots = new Set<string>();
    const grayInLegend: string[] = [];
    const colours = Object.entries(KEYPOINT_COLORS).map(([name, colour]) => [name, hex(colour)] as const);
    for (let y = 640; y < 640 + legendHeight; y++) {
      for (let x = 0; x < 640; x++) {
        const p = pixel(x, y);
        if (p.every((v) => v > 200)) white++;
        for (const [name, colour] of colours) if (close(p, colour)) dots.add(name);
        if (p.every((v, i) => v === GRAY[i])) grayInLegend.push(`(${x}, ${y})`);
      }
    }
    expect(grayInLegend, 'legend pixels of the image colour').toEqual([]);
    expect(white).toBeGreaterThan(100);
    expect([...dots].sort()).toEqual([...KEYPOINT_NAMES].sort());
    expect(pixel(1, 640 + legendHeight - 1)).toEqual(hex(LEGEND_BACKGROUND));
  });

  it('keeps labels readable on a large photo: the glyphs grow with it', async () => {
    const darkInLabel = async (size: number): Promise<number> => {
      const box = size / 4;
      const { pixel } = await render(size, [face(0.5, size, box, box, box, box)]);
      const { fontSize } = annotationMetrics(size, size);
      let dark = 0;
      for (let y = Math.floor(box - fontSize * 1.3); y < box; y++) {
        for (let x = Math.floor(box); x < box + 7 * fontSize; x++) if (pixel(x, y).every((v) => v < 60)) dark++;
      }
      return dark;
    };
    const small = await darkInLabel(600);
    const large = await darkInLabel(3000);
    // Ink area grows with the square of the font size (19 → 94 px).
    expect(large / small).toBeGreaterThan(15);
  });

  it('clips a box that runs off the image: nothing lands in the legend strip', async () => {
    const { pixel } = await render(600, [face(0.5, 600, 360, 420, 360, 360)]);
    expect(pixel(360, 480)).toEqual(hex(BOX_COLOR));
    const { legendHeight } = annotationMetrics(600, 600);
    for (let y = 600; y < 600 + legendHeight; y++) expect(pixel(599, y), `(599, ${y})`).not.toEqual(hex(BOX_COLOR));
  });

  it('enlarges a small picture by a whole factor, its pixels kept, the drawing scaled with it', async () => {
    expect([annotationScale(128, 128), annotationScale(384, 834), annotationScale(512, 384), annotationScale(1280, 720), annotationScale(1, 4000)]).toEqual([
      4, 2, 2, 1, 8,
    ]);
    const image = grayImage(128, 128);
    image.data.set([200, 100, 50], (127 * 128 + 127) * 3);
    const { info, pixel } = await render(128, [face(0.9, 128, 32, 48, 64, 56)]);
    expect([info.width, info.height]).toEqual([512, 512 + annotationMetrics(512, 512).legendHeight]);
    expect(pixel(4 * 64, 4 * 48)).toEqual(hex(BOX_COLOR));
    const png = await annotate(image, []);
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    for (const [x, y] of [
      [508, 508],
      [511, 511],
      [507, 511],
    ] as const) {
      const expected = x >= 508 && y >= 508 ? [200, 100, 50] : GRAY;
      expect(Array.from(data.subarray((y * 512 + x) * 3, (y * 512 + x) * 3 + 3)), `(${x}, ${y})`).toEqual(expected);
    }
  });

  it('writes JPEG and WebP on request', async () => {
    const image = grayImage(64, 48);
    expect((await sharp(await annotate(image, [], 'jpeg')).metadata()).format).toBe('jpeg');
    expect((await sharp(await annotate(image, [], 'webp')).metadata()).format).toBe('webp');
  });
});

describe('annotate options and landmarks', () => {
  it('resizes by any factor and leaves the legend out on request', async () => {
    const image = grayImage(192, 96);
    const half = await sharp(await annotate(image, [face(0.9, 192, 40, 20, 60, 50)], 'png', { scale: 4 / 3, legend: false })).metadata();
    expect([half.width, half.height]).toEqual([256, 128]);
    const withLegend = await sharp(await annotate(image, [], 'png', { scale: 4 / 3 })).metadata();
    expect(withLegend.height).toBe(128 + annotationMetrics(256, 128).legendHeight);
    expect(annotationSvg(256, 128, [], 1, false)).not.toContain('right_eye');
    await expect(annotate(image, [], 'png', { scale: 0 })).rejects.toThrow(/scale 0 must be a positive number/);
  });

  it('compresses PNG harder on request, to the same pixels', async () => {
    const image = grayImage(64, 64);
    for (let i = 0; i < image.data.length; i++) image.data[i] = (i * 7919) % 251;
    const fast = await annotate(image, [], 'png', { legend: false });
    const small = await annotate(image, [], 'png', { legend: false, compression: 'small' });
    expect(small.byteLength).toBeLessThan(fast.byteLength);
    expect((await sharp(small).raw().toBuffer()).equals(await sharp(fast).raw().toBuffer())).toBe(true);
  });

  it('draws every landmark as a dot where it lies, scaled with the picture', async () => {
    const landmarks = [
      { x: 0.1, y: 0.2, xPixels: 16.25, yPixels: 32.25 },
      { x: 0.3, y: 0.1, xPixels: 48.25, yPixels: 16.25 },
    ];
    const svg = landmarkSvg(320, 320, landmarks, 2);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain('cx="32.5" cy="64.5" r="2"');
    const png = await annotateLandmarks(grayImage(160, 160), landmarks, 'png', { scale: 2 });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([320, 320]);
    const at = (x: number, y: number) => Array.from(data.subarray((y * 320 + x) * info.channels, (y * 320 + x) * info.channels + 3));
    expect(at(32, 64)).toEqual(hex(LANDMARK_COLOR));
    expect(at(96, 32)).toEqual(hex(LANDMARK_COLOR));
    expect(at(64, 100)).toEqual(GRAY);
  });
});
