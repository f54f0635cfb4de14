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
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BlazefaceError } from '../ir/errors.js';
import { typedArrayFromBytes } from '../ir/dtype.js';
import { decodeImage } from '../image/decode-image.js';
import { letterbox } from '../image/letterbox.js';
import { imageToInput } from '../image/to-tensor.js';
import { PACKAGE_ROOT, SHARED_DIR, type ModelEntry } from '../models/registry.js';

export const GOLDEN_DIR = join(PACKAGE_ROOT, 'golden');
export const GOLDEN_MANIFEST = join(GOLDEN_DIR, 'manifest.json');


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
  const { width, height, range } = entry.input;
  // Synthetic values in [-1, 1] are moved into the model's input range (left alone for [-1, 1]).
  const [low, high] = range;
  const identity = low === -1 && high === 1;
  const fromUnit = (v: number): number => (identity ? v : low + ((high - low) * (v + 1)) / 2);
  const toRange = (expression: string): string => (identity ? expression : `${low} + ${high - low} * (${expression} + 1) / 2`);
  const length = width * height * 3;
  const shape = `[1, ${height}, ${width}, 3]`;
  return [
    {
      name: 'sin',
      description: `x[i] = Math.fround(${toRange('Math.sin(0.001 * i)')}) over the flat NHWC index i of ${shape}`,
      makeInput: () => Float32Array.from({ length }, (_, i) => fromUnit(Math.sin(0.001 * i))),
    },
    {
      name: 'uniform',
      description:
        `x[i] = Math.fround(${toRange('u_i / 2^32 * 2 - 1')}) over the flat NHWC index i of ${shape}, where u_i is the ` +
        `i-th uint32 of mulberry32 seeded with ${UNIFORM_SEED} (src/check/golden.ts)`,
      makeInput: () => {
        const next = mulberry32(UNIFORM_SEED);
        return Float32Array.from({ length }, () => fromUnit((next() / 2 ** 32) * 2 - 1));
      },
    },
    ...GOLDEN_IMAGES.map((name): GoldenCase => {
      const file = join(SHARED_DIR, 'images', `${name}.png`);
      return {
        name,
        sourceFile: relative(PACKAGE_ROOT, file).split('\\').join('/'),
        description:
          `../shared/images/${name}.png decoded to RGB (src/image/decode-image.ts), letterboxed to ` +
          `${width}x${height} (src/image/letterbox.ts: keep aspect ratio, bilinear with half-pixel centres, ` +
          `black border), then ${range[0] === -1 && range[1] === 1 ? 'pixel / 127.5 - 1' : `${range[0]} + pixel * ${range[1] - range[0]} / 255`} (src/image/to-tensor.ts)`,
        makeInput: () => {
          const image = decodeImage(new Uint8Array(readFileSync(file)), file);
          return imageToInput(letterbox(image, width, height).image, range);
        },
      };
    }),
  ];
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
