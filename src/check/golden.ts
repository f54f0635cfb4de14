/**
 * Golden outputs of the real TFLite interpreter, committed under `golden/` and made by
 * `scripts/golden.ts`. This module owns the case definitions, so the golden script, the
 * parity tests and the benchmarks all feed the models the very same inputs, and it reads the
 * committed files back.
 *
 * Files: `golden/<model>/<case>.<output>.f32`, raw little-endian float32 in the TFLite output's
 * row-major order, `<output>` being our canonical name (`regressors` or `classificators`);
 * `golden/manifest.json` records shapes, TFLite tensor names and sha256 of everything.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { join, relative } from 'node:path';
import { BlazefaceError } from '../ir/errors.js';
import { typedArrayFromBytes } from '../ir/dtype.js';
import { letterbox } from '../image/letterbox.js';
import type { RgbImage } from '../image/rgb-image.js';
import { imageToInput } from '../image/to-tensor.js';
import { PACKAGE_ROOT, SHARED_DIR, type ModelEntry } from '../models/registry.js';

export const GOLDEN_DIR = join(PACKAGE_ROOT, 'golden');
export const GOLDEN_MANIFEST = join(GOLDEN_DIR, 'manifest.json');

/** Our names for the two outputs, in the models' output order. */
export const GOLDEN_OUTPUTS = ['regressors', 'classificators'] as const;
export type GoldenOutput = (typeof GOLDEN_OUTPUTS)[number];

export interface GoldenCase {
  readonly name: string;
  /** How the input is made, in words precise enough to rebuild it. */
  readonly description: string;
  /** A file the input is made from, relative to the repository root (`../shared/...`). */
  readonly sourceFile?: string;
  /** The flat NHWC float32 input, [1, height, width, 3]. */
  makeInput(): Float32Array;
}

/** The images in `../shared/images` used as cases, by case name. */
export const GOLDEN_IMAGES = ['1face', '3faces', '4faces'] as const;

/** Seed of the `uniform` case. */
export const UNIFORM_SEED = 42;

export function goldenCases(entry: ModelEntry): GoldenCase[] {
  const { width, height } = entry.input;
  const length = width * height * 3;
  const shape = `[1, ${height}, ${width}, 3]`;
  return [
    {
      name: 'sin',
      description: `x[i] = Math.fround(Math.sin(0.001 * i)) over the flat NHWC index i of ${shape}`,
      makeInput: () => Float32Array.from({ length }, (_, i) => Math.sin(0.001 * i)),
    },
    {
      name: 'uniform',
      description:
        `x[i] = Math.fround(u_i / 2^32 * 2 - 1) over the flat NHWC index i of ${shape}, where u_i is the ` +
        `i-th uint32 of mulberry32 seeded with ${UNIFORM_SEED} (src/check/golden.ts)`,
      makeInput: () => {
        const next = mulberry32(UNIFORM_SEED);
        return Float32Array.from({ length }, () => (next() / 2 ** 32) * 2 - 1);
      },
    },
    ...GOLDEN_IMAGES.map((name): GoldenCase => {
      const file = join(SHARED_DIR, 'images', `${name}.png`);
      return {
        name,
        sourceFile: relative(PACKAGE_ROOT, file).split('\\').join('/'),
        description:
          `../shared/images/${name}.png (8-bit RGB) decoded with pngjs, letterboxed to ` +
          `${width}x${height} (src/image/letterbox.ts: keep aspect ratio, bilinear with half-pixel centres, ` +
          `black border), then pixel / 127.5 - 1 (src/image/to-tensor.ts)`,
        makeInput: () => {
          return imageToInput(letterbox(readSeedPng(file), width, height).image);
        },
      };
    }),
  ];
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
  const data = new Uint8Array(png.width * png.height * 3);
  for (let p = 0; p < png.width * png.height; p++) data.set(png.data.subarray(p * 4, p * 4 + 3), p * 3);
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
  readonly outputs: Readonly<Record<GoldenOutput, GoldenFileRecord>>;
}

export interface GoldenModelRecord {
  readonly file: string;
  readonly sha256: string;
  readonly input: { readonly shape: readonly number[] };
  readonly outputs: Readonly<Record<GoldenOutput, { readonly tflite: string; readonly shape: readonly number[] }>>;
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
  readonly regressors: Float32Array;
  readonly classificators: Float32Array;
  readonly shapes: Readonly<Record<GoldenOutput, readonly number[]>>;
  /** The TFLite output tensor names. */
  readonly tfliteNames: Readonly<Record<GoldenOutput, string>>;
  readonly record: GoldenCaseRecord;
}

/** Reads one model's golden outputs for one case, checked against the manifest's shapes. */
export function readGolden(modelId: string, caseName: string, manifest: GoldenManifest = readGoldenManifest()): GoldenOutputs {
  const model = manifest.models[modelId];
  if (!model) throw new BlazefaceError(`no golden outputs for model '${modelId}'`, GOLDEN_MANIFEST);
  const record = model.cases[caseName];
  if (!record) throw new BlazefaceError(`no golden case '${caseName}' for model '${modelId}'`, GOLDEN_MANIFEST);
  const read = (output: GoldenOutput): Float32Array => {
    const file = join(GOLDEN_DIR, record.outputs[output].path);
    const data = float32FromLittleEndian(new Uint8Array(readFileSync(file)), file);
    const expected = model.outputs[output].shape.reduce((a, b) => a * b, 1);
    if (data.length !== expected) {
      throw new BlazefaceError(`holds ${data.length} floats, the manifest's shape needs ${expected}`, file);
    }
    return data;
  };
  return {
    regressors: read('regressors'),
    classificators: read('classificators'),
    shapes: { regressors: model.outputs.regressors.shape, classificators: model.outputs.classificators.shape },
    tfliteNames: { regressors: model.outputs.regressors.tflite, classificators: model.outputs.classificators.tflite },
    record,
  };
}

function float32FromLittleEndian(bytes: Uint8Array, file: string): Float32Array {
  if (bytes.length % 4 !== 0) throw new BlazefaceError(`length ${bytes.length} is not a multiple of 4`, file);
  return typedArrayFromBytes('float32', bytes);
}
