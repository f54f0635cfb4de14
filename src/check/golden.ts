/**
 * Golden outputs of the real TFLite interpreter, committed under `golden/` and made by
 * `scripts/golden.ts`. This module owns the case definitions, so the golden script, the
 * parity tests and the benchmarks all feed the models the very same inputs, and it reads the
 * committed files back.
 *
 * Files: `golden/<model>/<case>.<output>.f32`, raw little-endian float32 in the TFLite output's
 * row-major order, `<output>` being the output's name in converted models (`regressors` and
 * `classificators` for SSD detectors, the sanitized TFLite name otherwise);
 * `golden/manifest.json` records, per model, every output in order with its TFLite tensor
 * name and shape, and the sha256 of everything.
 *
 * The installed package carries the manifest and only the `noise` case's outputs (see
 * package.json `files`), and the photo cases need the repository's test images, so callers
 * check what is here with selectGoldenCases() and say what they skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { BlazefaceError } from '../ir/errors.js';
import { typedArrayFromBytes } from '../ir/dtype.js';
import { letterbox, type LetterboxTransform } from '../image/letterbox.js';
import type { RgbImage } from '../image/rgb-image.js';
import { imageToInput } from '../image/to-tensor.js';
import { PACKAGE_ROOT, type ModelEntry } from '../models/registry.js';

export const GOLDEN_DIR = join(PACKAGE_ROOT, 'golden');
export const GOLDEN_MANIFEST = join(GOLDEN_DIR, 'manifest.json');

export interface GoldenCase {
  readonly name: string;
  /** How the input is made, in words precise enough to rebuild it. */
  readonly description: string;
  /** A file the input is made from, in the test data beside the repository (the golden manifest records which). */
  readonly sourceFile?: string;
  /**
   * The input is 8-bit RGB pixels mapped to the model's input range (pixel / 127.5 - 1 for
   * [-1, 1]), so the variants that take an image (ONNX `--preprocess`, Core ML's image input)
   * can be fed the pixels themselves.
   */
  readonly pixels: boolean;
  /** Why the input cannot be made on this machine; undefined when it can. */
  readonly unavailable?: string;
  /** The flat NHWC float32 input, [1, height, width, 3]. */
  makeInput(): Float32Array;
  /**
   * Pixel cases: the image the input is made from and where it sits in the input, so outputs
   * can be drawn on the picture a user knows.
   */
  makePicture?(): GoldenPicture;
}

export interface GoldenPicture {
  readonly image: RgbImage;
  readonly letterbox: LetterboxTransform;
}

/** The photos used as cases, by case name: `<name>.png` in the test-image folder. */
export const GOLDEN_IMAGES = ['1face', '3faces', '4faces'] as const;

/**
 * The environment variable naming the folder of the photo cases' images (the repository's
 * scripts/dev-data.ts sets it for the tests). The package never looks for them anywhere else.
 */
export const GOLDEN_IMAGE_DIR_VARIABLE = 'BLAZEFACE_GOLDEN_IMAGE_DIR';

/** Seed of the `uniform` case. */
export const UNIFORM_SEED = 42;

/** Seed of the `noise` case. */
export const NOISE_SEED = 7;

export function goldenCases(entry: ModelEntry): GoldenCase[] {
  const { width, height, range } = entry.input;
  // Synthetic values in [-1, 1] are moved into the model's input range (left alone for [-1, 1]).
  const [low, high] = range;
  const identity = low === -1 && high === 1;
  const fromUnit = (v: number): number => (identity ? v : low + ((high - low) * (v + 1)) / 2);
  const toRange = (expression: string): string => (identity ? expression : `${low} + ${high - low} * (${expression} + 1) / 2`);
  const mapping = identity ? 'pixel / 127.5 - 1' : `${low} + pixel * ${high - low} / 255`;
  const length = width * height * 3;
  const shape = `[1, ${height}, ${width}, 3]`;
  return [
    {
      name: 'sin',
      pixels: false,
      description: `x[i] = Math.fround(${toRange('Math.sin(0.001 * i)')}) over the flat NHWC index i of ${shape}`,
      makeInput: () => {
        // A plain loop: Float32Array.from with a mapper is several times slower, and every parity run builds these.
        const input = new Float32Array(length);
        for (let i = 0; i < length; i++) input[i] = fromUnit(Math.sin(0.001 * i));
        return input;
      },
    },
    {
      name: 'uniform',
      pixels: false,
      description:
        `x[i] = Math.fround(${toRange('u_i / 2^32 * 2 - 1')}) over the flat NHWC index i of ${shape}, where u_i is the ` +
        `i-th uint32 of mulberry32 seeded with ${UNIFORM_SEED} (src/check/golden.ts)`,
      makeInput: () => {
        const next = mulberry32(UNIFORM_SEED);
        const input = new Float32Array(length);
        for (let i = 0; i < length; i++) input[i] = fromUnit((next() / 2 ** 32) * 2 - 1);
        return input;
      },
    },
    ...GOLDEN_IMAGES.map((name): GoldenCase => {
      const dir = process.env[GOLDEN_IMAGE_DIR_VARIABLE];
      const file = dir ? resolve(dir, `${name}.png`) : undefined;
      const unavailable =
        file === undefined
          ? `test image not available ($${GOLDEN_IMAGE_DIR_VARIABLE} is not set)`
          : existsSync(file)
            ? undefined
            : `test image ${file} is missing`;
      return {
        name,
        pixels: true,
        sourceFile: file && relative(PACKAGE_ROOT, file).split('\\').join('/'),
        unavailable,
        description:
          `${name}.png from $${GOLDEN_IMAGE_DIR_VARIABLE} (8-bit RGB) decoded with pngjs, letterboxed to ` +
          `${width}x${height} (src/image/letterbox.ts: keep aspect ratio, bilinear with half-pixel centres, ` +
          `black border), then ${mapping} (src/image/to-tensor.ts)`,
        makeInput: () => {
          if (file === undefined || unavailable) throw new BlazefaceError(`golden case ${name}: ${unavailable}`);
          return imageToInput(letterbox(readSeedPng(file), width, height).image, range);
        },
        makePicture: () => {
          if (file === undefined || unavailable) throw new BlazefaceError(`golden case ${name}: ${unavailable}`);
          const image = readSeedPng(file);
          return { image, letterbox: letterbox(image, width, height).transform };
        },
      };
    }),
    {
      name: 'noise',
      pixels: true,
      description:
        `an RGB image of ${width}x${height} uint8 pixels, byte i = u_i >>> 24 where u_i is the i-th uint32 of ` +
        `mulberry32 seeded with ${NOISE_SEED} (src/check/golden.ts), then ${mapping} (src/image/to-tensor.ts)`,
      makeInput: () => imageToInput(noiseImage(width, height), range),
      // The noise image is the input itself: no border, no scaling.
      makePicture: () => ({
        image: noiseImage(width, height),
        letterbox: { sourceWidth: width, sourceHeight: height, targetWidth: width, targetHeight: height, padLeft: 0, padTop: 0, padRight: 0, padBottom: 0 },
      }),
    },
  ];
}

/** The `noise` case's image: the one image case that needs no file, so it travels with the package. */
export function noiseImage(width: number, height: number): RgbImage {
  const next = mulberry32(NOISE_SEED);
  // A plain loop, like the synthetic cases': Uint8Array.from over an array-like with a mapper is several times slower.
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = next() >>> 24;
  return { width, height, data };
}

export interface SkippedCase {
  readonly name: string;
  readonly reason: string;
}

export interface GoldenSelection {
  /** Cases whose input can be made and whose golden outputs are here. */
  readonly cases: readonly GoldenCase[];
  readonly skipped: readonly SkippedCase[];
}

/**
 * The golden cases of a model that can be checked here: those whose input can be made (the
 * photo cases need the test images) and whose golden output files are present (the installed
 * package carries only some). `only` picks one case by name; an unknown name is an error
 * listing the known ones, raised before any work.
 */
export function selectGoldenCases(entry: ModelEntry, options: { readonly only?: string; readonly manifest?: GoldenManifest } = {}): GoldenSelection {
  const all = goldenCases(entry);
  if (options.only !== undefined && !all.some((c) => c.name === options.only)) {
    throw new BlazefaceError(`unknown golden case '${options.only}' (cases: ${all.map((c) => c.name).join(', ')})`, entry.id);
  }
  const manifest = options.manifest ?? (existsSync(GOLDEN_MANIFEST) ? readGoldenManifest() : undefined);
  const cases: GoldenCase[] = [];
  const skipped: SkippedCase[] = [];
  for (const c of all) {
    if (options.only !== undefined && c.name !== options.only) continue;
    const record = manifest?.models[entry.id]?.cases[c.name];
    const installed = record !== undefined && Object.values(record.outputs).every((o) => existsSync(join(GOLDEN_DIR, o.path)));
    if (!installed) skipped.push({ name: c.name, reason: 'golden outputs not installed (the repository has them)' });
    else if (c.unavailable) skipped.push({ name: c.name, reason: c.unavailable });
    else cases.push(c);
  }
  return { cases, skipped };
}

/** One line for the skipped cases, grouped by reason: `sin, uniform: <reason>; 1face: <reason>`. */
export function describeSkippedCases(skipped: readonly SkippedCase[]): string {
  const byReason = new Map<string, string[]>();
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.name]);
  return [...byReason].map(([reason, names]) => `${names.join(', ')}: ${reason}`).join('; ');
}

/**
 * The seed PNGs as RGB, synchronously, since cases make their inputs on demand (detect reads
 * images with sharp, which only decodes asynchronously; both give these lossless pixels).
 */
function readSeedPng(file: string): RgbImage {
  let png: PNG;
  try {
    png = PNG.sync.read(readFileSync(file));
  } catch (error) {
    throw new BlazefaceError(`cannot read the golden input image: ${(error as Error).message}`, file);
  }
  // RGBA to RGB by plain loop: a subarray per pixel cost more than the copy.
  const data = new Uint8Array(png.width * png.height * 3);
  for (let p = 0; p < png.width * png.height; p++) {
    data[p * 3] = png.data[p * 4]!;
    data[p * 3 + 1] = png.data[p * 4 + 1]!;
    data[p * 3 + 2] = png.data[p * 4 + 2]!;
  }
  return { width: png.width, height: png.height, data };
}

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): a state advanced by 0x6D2B79F5 per draw,
 * mixed by two multiply-xorshift rounds. Small, fast and identical on every JS engine.
 */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export interface GoldenFileRecord {
  /** Relative to `golden/`. */
  readonly path: string;
  readonly sha256: string;
}

export interface GoldenCaseRecord {
  readonly description: string;
  readonly source?: { readonly file: string; readonly sha256: string };
  /** sha256 of the input as little-endian float32 bytes. */
  readonly inputSha256: string;
  /** By output name. */
  readonly outputs: Readonly<Record<string, GoldenFileRecord>>;
}

export interface GoldenOutputRecord {
  /** The output's name in converted models. */
  readonly name: string;
  readonly tflite: string;
  readonly shape: readonly number[];
}

export interface GoldenModelRecord {
  readonly file: string;
  readonly sha256: string;
  readonly input: { readonly shape: readonly number[] };
  /** Every output, in the model's output order. */
  readonly outputs: readonly GoldenOutputRecord[];
  readonly cases: Readonly<Record<string, GoldenCaseRecord>>;
}

export interface GoldenManifest {
  readonly format: string;
  readonly runtime: { readonly name: string; readonly version: string; readonly numThreads: number };
  readonly models: Readonly<Record<string, GoldenModelRecord>>;
}

export function readGoldenManifest(): GoldenManifest {
  return JSON.parse(readFileSync(GOLDEN_MANIFEST, 'utf8')) as GoldenManifest;
}

export interface GoldenOutputs {
  /** Every output by name, in the model's output order. */
  readonly tensors: ReadonlyMap<string, Float32Array>;
  readonly outputs: readonly GoldenOutputRecord[];
  readonly record: GoldenCaseRecord;
}

/** Reads one model's golden outputs for one case, checked against the manifest's shapes. */
export function readGolden(modelId: string, caseName: string, manifest: GoldenManifest = readGoldenManifest()): GoldenOutputs {
  const model = manifest.models[modelId];
  if (!model) throw new BlazefaceError(`no golden outputs for model '${modelId}'`, GOLDEN_MANIFEST);
  const record = model.cases[caseName];
  if (!record) throw new BlazefaceError(`no golden case '${caseName}' for model '${modelId}'`, GOLDEN_MANIFEST);
  const tensors = new Map<string, Float32Array>();
  for (const output of model.outputs) {
    const entry = record.outputs[output.name];
    if (!entry) throw new BlazefaceError(`case '${caseName}' of model '${modelId}' has no file for output ${output.name}`, GOLDEN_MANIFEST);
    const file = join(GOLDEN_DIR, entry.path);
    const data = float32FromLittleEndian(new Uint8Array(readFileSync(file)), file);
    const expected = output.shape.reduce((a, b) => a * b, 1);
    if (data.length !== expected) throw new BlazefaceError(`holds ${data.length} floats, the manifest's shape needs ${expected}`, file);
    tensors.set(output.name, data);
  }
  return { tensors, outputs: model.outputs, record };
}

/** One golden output by name. */
export function goldenTensor(golden: GoldenOutputs, name: string): Float32Array {
  const tensor = golden.tensors.get(name);
  if (!tensor) throw new BlazefaceError(`no golden output '${name}' (outputs: ${[...golden.tensors.keys()].join(', ')})`, GOLDEN_MANIFEST);
  return tensor;
}

function float32FromLittleEndian(bytes: Uint8Array, file: string): Float32Array {
  if (bytes.length % 4 !== 0) throw new BlazefaceError(`length ${bytes.length} is not a multiple of 4`, file);
  return typedArrayFromBytes('float32', bytes);
}
