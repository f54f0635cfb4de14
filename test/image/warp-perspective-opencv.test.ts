/**
 * The TypeScript ImageToTensorCalculator against OpenCV itself (Debian's python3-opencv): for
 * seeded random images and ROIs, the ROI corners (cv2.boxPoints), the perspective matrix
 * (cv2.getPerspectiveTransform), the uint8 warp (cv2.warpPerspective, INTER_LINEAR,
 * BORDER_CONSTANT) and the float tensor (convertTo) must be bit for bit OpenCV's. All cases go
 * to one Python process. The tensor comes back as its SHA-256 (equal digests, equal bits) and
 * the converted values of the bytes 0..255, which measure a difference when there is one.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getValueRangeTransformation, type ImageTensor, imageToTensor, type NormalizedRect, type ValueRange } from '../../src/image/image-to-tensor.js';
import { invertPerspective, rotatedRectCorners } from '../../src/image/perspective-transform.js';
import type { WarpSource } from '../../src/image/warp-perspective.js';

/** Debian's python3-opencv lives beside the system interpreter, not a pyenv one on PATH. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = 'test/support/opencv-warp.py';

function openCvProblem(): string | undefined {
  try {
    // find_spec locates the modules without importing them (importing cv2 took a second of CPU,
    // and the script imports it again); a broken install still fails the script's run.
    const probe = 'import importlib.util, sys; sys.exit(any(importlib.util.find_spec(m) is None for m in ("cv2", "numpy")))';
    execFileSync(PYTHON, ['-c', probe], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `python3-opencv is missing (${PYTHON} finds no cv2 or numpy module): install it with \`apt-get install python3-opencv\` (.ci/run does). ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
}

/** mulberry32: a small seeded generator, so every run draws the same cases. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface PoolImage extends WarpSource {
  readonly channels: 3 | 4;
}

/**
 * Noise shows a wrong weight or a wrong sample at once; the smooth third adds gradients, where
 * neighbouring samples are close and rounding ties cluster.
 */
function makeImage(next: () => number, width: number, height: number, channels: 3 | 4): PoolImage {
  const data = new Uint8Array(width * height * channels);
  let state = Math.floor(next() * 4294967296) | 1;
  const words = new Uint32Array(data.buffer, 0, data.length >>> 2);
  for (let i = 0; i < words.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    words[i] = state;
  }
  for (let i = words.length * 4; i < data.length; i++) data[i] = Math.floor(next() * 256);
  if (next() < 0.3) {
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < channels; c++, i++) data[i] = ((x * (c + 1) * 7 + y * 3) & 255) ^ (data[i]! & 7);
      }
    }
  }
  return { width, height, data, channels };
}

const POOL_SIZES: readonly [number, number, 3 | 4][] = [
  [1, 1, 3],
  [2, 2, 3],
  [1, 7, 3],
  [7, 1, 3],
  [3, 5, 4],
  [17, 33, 3],
  [33, 17, 3],
  [64, 64, 3],
  [101, 57, 3],
  [57, 101, 3],
  [128, 128, 3],
  [200, 150, 4],
  [150, 200, 3],
  [257, 129, 3],
  [320, 240, 3],
  [480, 640, 3],
  [640, 480, 4],
  [500, 500, 3],
  [1280, 720, 3],
  [720, 1280, 3],
  [1920, 1080, 3],
  [1080, 1920, 3],
  [1280, 720, 4],
];
const SQUARE_SIZES = [128, 192, 224, 256] as const;
const OTHER_SIZES: readonly [number, number][] = [
  [256, 128],
  [128, 192],
  [96, 160],
];
const RANGES: readonly ValueRange[] = [
  { min: -1, max: 1 },
  { min: 0, max: 1 },
  { min: -0.5, max: 0.5 },
  { min: 0, max: 255 },
];

interface Case {
  readonly label: string;
  readonly image: number;
  readonly width: number;
  readonly height: number;
  readonly range: ValueRange;
  readonly ours: ImageTensor;
}

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)]!;
}

function buildCases(pool: readonly PoolImage[], next: () => number): Case[] {
  const cases: Case[] = [];
  const add = (image: number, width: number, height: number, range: ValueRange, keepAspectRatio: boolean, roi?: NormalizedRect) => {
    const src = pool[image]!;
    const label = `#${cases.length} ${src.width}x${src.height}x${src.channels} → ${width}x${height}${roi ? ` roi ${JSON.stringify(roi)}` : ' whole image'}${keepAspectRatio ? ' letterboxed' : ' stretched'} range [${range.min}, ${range.max}]`;
    const options = { width, height, range, keepAspectRatio, ...(roi ? { roi } : {}) };
    cases.push({ label, image, width, height, range, ours: imageToTensor(src, options) });
  };
  // MediaPipe's detector path: the whole image, letterboxed, [-1, 1], every model size.
  pool.forEach((_, image) => {
    for (const size of SQUARE_SIZES) add(image, size, size, RANGES[0]!, true);
  });
  const rotations = [0, Math.PI / 2, -Math.PI / 2, Math.PI];
  while (cases.length < 260) {
    const image = Math.floor(next() * pool.length);
    const [width, height] = next() < 0.8 ? [pick(next, SQUARE_SIZES), 0] : pick(next, OTHER_SIZES);
    const rotation = next() < 0.5 ? pick(next, rotations) : (next() * 2 - 1) * Math.PI;
    const roi: NormalizedRect = {
      xCenter: next() * 1.4 - 0.2,
      yCenter: next() * 1.4 - 0.2,
      width: 0.05 + next() * 1.4,
      height: 0.05 + next() * 1.4,
      rotation,
    };
    add(image, width, height || width, pick(next, RANGES), next() < 0.7, roi);
  }
  return cases;
}

interface Outcome {
  readonly label: string;
  readonly pixels: number;
  readonly corners: boolean;
  readonly matrix: boolean;
  readonly bytesDiffering: number;
  readonly maxByteDiff: number;
  readonly floatsDiffering: number;
  readonly maxFloatDiff: number;
  /** OpenCV's conversion rounded the product before adding: a build (or CPU) without FMA. */
  readonly roundsTwice: boolean;
  /** The inverse map has no rotation, shear or perspective term: the warp's axis-aligned path. */
  readonly axisAligned: boolean;
}

describe('image to tensor against OpenCV (python3-opencv)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blazeface-opencv-warp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let outcomes: Outcome[] = [];
  let problem: string | undefined;
  /** Without OpenCV every test fails with the reason: CI must not pass by skipping the proof. */
  const results = (): Outcome[] => {
    if (problem) throw new Error(problem);
    return outcomes;
  };

  beforeAll(() => {
    problem = openCvProblem();
    if (problem) return;
    const next = random(0x5eed14);
    const pool = POOL_SIZES.map(([w, h, c]) => makeImage(next, w, h, c));
    const cases = buildCases(pool, next);

    let offset = 0;
    const images = pool.map((image) => {
      const info = { offset, width: image.width, height: image.height, channels: image.channels };
      offset += image.data.length;
      return info;
    });
    const blob = new Uint8Array(offset);
    pool.forEach((image, i) => blob.set(image.data, images[i]!.offset));
    const jobs = {
      images,
      cases: cases.map((c) => {
        const { centerX, centerY, width, height, rotation } = c.ours.roi;
        const angle = Math.fround(Math.fround(rotation * 180) / Math.PI);
        return { image: c.image, rect: [centerX, centerY, width, height, angle], width: c.width, height: c.height, range: [c.range.min, c.range.max] };
      }),
    };
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
    writeFileSync(join(dir, 'images.bin'), blob);
    execFileSync(PYTHON, [SCRIPT, join(dir, 'jobs.json'), join(dir, 'images.bin'), join(dir, 'out.bin')], { stdio: 'pipe' });

    const fd = openSync(join(dir, 'out.bin'), 'r');
    let position = 0;
    const read = (bytes: number): Uint8Array => {
      const buffer = new Uint8Array(bytes);
      if (readSync(fd, buffer, 0, bytes, position) !== bytes) throw new Error(`out.bin ends before byte ${position + bytes}`);
      position += bytes;
      return buffer;
    };
    try {
      outcomes = cases.map((c) => compare(c, read));
    } finally {
      closeSync(fd);
    }
  });

  it('runs at least 200 cases, through both the axis-aligned and the per-pixel path of the warp', () => {
    expect(results().length).toBeGreaterThanOrEqual(200);
    const axisAligned = outcomes.filter((o) => o.axisAligned).length;
    expect(axisAligned, 'cases on the axis-aligned path').toBeGreaterThanOrEqual(50);
    expect(outcomes.length - axisAligned, 'cases on the per-pixel path').toBeGreaterThanOrEqual(100);
    const pixels = outcomes.reduce((n, o) => n + o.pixels, 0);
    const maxByte = Math.max(...outcomes.map((o) => o.maxByteDiff));
    const maxFloat = Math.max(...outcomes.map((o) => o.maxFloatDiff));
    console.log(
      `opencv parity: ${outcomes.length} cases (${axisAligned} on the axis-aligned path), ${pixels} output pixels; max |byte diff| ${maxByte}, max |float diff| ${maxFloat}`,
    );
  });

  it('gives cv2.boxPoints corners and the cv2.getPerspectiveTransform matrix bit for bit', () => {
    expect(
      results()
        .filter((o) => !o.corners)
        .map((o) => o.label),
    ).toEqual([]);
    expect(
      results()
        .filter((o) => !o.matrix)
        .map((o) => o.label),
    ).toEqual([]);
  });

  it('gives the uint8 warp of cv2.warpPerspective byte for byte', () => {
    const bad = results()
      .filter((o) => o.bytesDiffering > 0)
      .map((o) => `${o.label}: ${o.bytesDiffering} bytes, max |diff| ${o.maxByteDiff}`);
    expect(bad).toEqual([]);
  });

  it('gives the float tensor of convertTo bit for bit', () => {
    const bad = results()
      .filter((o) => o.floatsDiffering > 0)
      .map(
        (o) =>
          `${o.label}: ${o.floatsDiffering} values, max |diff| ${o.maxFloatDiff}${o.roundsTwice ? ' (this OpenCV rounds pixel * scale before adding the offset: no FMA on this CPU or build)' : ''}`,
      );
    expect(bad).toEqual([]);
  });
});

function compare(c: Case, read: (bytes: number) => Uint8Array): Outcome {
  const { ours } = c;
  const corners = new Float32Array(read(8 * 4).buffer);
  const matrix = new Float64Array(read(9 * 8).buffer);
  const warped = read(c.width * c.height * 3);
  const digest = Buffer.from(read(32)).toString('hex');
  const table = new Float32Array(read(256 * 4).buffer);

  const angleDegrees = Math.fround(Math.fround(ours.roi.rotation * 180) / Math.PI);
  const ourCorners = rotatedRectCorners({ ...ours.roi, angleDegrees }).flatMap((p) => [p.x, p.y]);
  let bytesDiffering = 0;
  let maxByteDiff = 0;
  for (let i = 0; i < warped.length; i++) {
    const d = Math.abs(warped[i]! - ours.image.data[i]!);
    if (d > 0) bytesDiffering++;
    maxByteDiff = Math.max(maxByteDiff, d);
  }
  const ourBytes = new Uint8Array(ours.tensor.buffer, ours.tensor.byteOffset, ours.tensor.byteLength);
  const tensorsEqual = createHash('sha256').update(ourBytes).digest('hex') === digest;
  let floatsDiffering = 0;
  let maxFloatDiff = 0;
  if (!tensorsEqual) {
    // OpenCV's tensor is its table applied to its warp; where the warps agree the table decides.
    for (let i = 0; i < ours.tensor.length; i++) {
      const theirs = table[warped[i]!]!;
      if (!Object.is(theirs, ours.tensor[i])) {
        floatsDiffering++;
        maxFloatDiff = Math.max(maxFloatDiff, Math.abs(theirs - ours.tensor[i]!));
      }
    }
    floatsDiffering = Math.max(floatsDiffering, 1);
  }
  const { scale, offset } = getValueRangeTransformation(0, 255, c.range.min, c.range.max);
  const roundsTwice = !tensorsEqual && table.every((v, byte) => v === Math.fround(Math.fround(byte * scale) + offset));
  const inverse = invertPerspective(ours.transform);
  return {
    label: c.label,
    pixels: c.width * c.height,
    corners: ourCorners.every((v, i) => Object.is(v, corners[i])),
    matrix: Array.from(ours.transform).every((v, i) => Object.is(v, matrix[i])),
    bytesDiffering,
    maxByteDiff,
    floatsDiffering,
    maxFloatDiff,
    roundsTwice,
    axisAligned: [1, 3, 6, 7].every((k) => inverse[k] === 0),
  };
}
