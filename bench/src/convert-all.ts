/**
 * The conversion job the benchmark times in a fresh process: every registry model, read once,
 * to every artifact: each format with each of its options on its own (the variants the CLI
 * offers and the tests prove).
 */
import { convertToCoreml } from '../../src/convert/convert-coreml.js';
import { convertToMlPackage } from '../../src/convert/convert-mlpackage.js';
import { convertToOnnx } from '../../src/convert/convert-onnx.js';
import { convertToWeights } from '../../src/convert/convert-weights.js';
import { loadModelContext, type ModelContext } from '../../src/convert/model-context.js';
import { listModels, loadModelFile } from '../../src/models/registry.js';
import { timed } from './timing.js';

export type Format = 'onnx' | 'coreml' | 'mlpackage' | 'weights';

interface Artifact {
  readonly format: Format;
  readonly variant: string;
  /** Converts and returns the artifact's size in bytes. */
  make(ctx: ModelContext): number;
  /** Models the variant exists for (default: every model). */
  applies?(ctx: ModelContext): boolean;
}

const isDetector = (ctx: ModelContext): boolean => ctx.detector !== undefined;

const ARTIFACTS: readonly Artifact[] = [
  { format: 'onnx', variant: 'raw', make: (ctx) => convertToOnnx(ctx).bytes.byteLength },
  { format: 'onnx', variant: 'nchw', make: (ctx) => convertToOnnx(ctx, { nchw: true }).bytes.byteLength },
  // Decoding needs an SSD detector's anchors; the other models get their raw outputs behind the uint8 image input.
  { format: 'onnx', variant: 'decode', make: (ctx) => convertToOnnx(ctx, { decode: true }).bytes.byteLength, applies: isDetector },
  { format: 'onnx', variant: 'decode+preprocess', make: (ctx) => convertToOnnx(ctx, { decode: true, preprocess: true }).bytes.byteLength, applies: isDetector },
  { format: 'onnx', variant: 'preprocess', make: (ctx) => convertToOnnx(ctx, { preprocess: true }).bytes.byteLength, applies: (ctx) => !isDetector(ctx) },
  { format: 'coreml', variant: 'decoded image', make: (ctx) => convertToCoreml(ctx).bytes.byteLength },
  { format: 'coreml', variant: 'raw', make: (ctx) => convertToCoreml(ctx, { raw: true }).bytes.byteLength },
  { format: 'coreml', variant: 'fp16', make: (ctx) => convertToCoreml(ctx, { fp16: true }).bytes.byteLength },
  { format: 'mlpackage', variant: 'decoded image fp16', make: (ctx) => sizeOf(convertToMlPackage(ctx).files) },
  { format: 'mlpackage', variant: 'fp32', make: (ctx) => sizeOf(convertToMlPackage(ctx, { precision: 'fp32' }).files) },
  { format: 'mlpackage', variant: 'raw', make: (ctx) => sizeOf(convertToMlPackage(ctx, { raw: true }).files) },
  { format: 'weights', variant: 'float32', make: (ctx) => sizeOf(convertToWeights(ctx).files) },
  { format: 'weights', variant: 'fp16', make: (ctx) => sizeOf(convertToWeights(ctx, { fp16: true }).files) },
];

export interface ConvertAllResult {
  /** Per model: reading the file into the IR plus all its artifacts. */
  readonly models: Readonly<Record<string, number>>;
  /** Per step summed over the models: `read` (file to IR) and each format. */
  readonly steps: Readonly<Record<'read' | Format, number>>;
  readonly artifacts: number;
  readonly bytes: number;
  readonly totalMs: number;
}

export function convertAll(): ConvertAllResult {
  const models: Record<string, number> = {};
  const steps: Record<'read' | Format, number> = { read: 0, onnx: 0, coreml: 0, mlpackage: 0, weights: 0 };
  let bytes = 0;
  let artifacts = 0;
  const total = timed(() => {
    for (const entry of listModels()) {
      models[entry.id] = timed(() => {
        const read = timed(() => loadModelContext(loadModelFile(entry.id)));
        steps.read += read.ms;
        for (const artifact of ARTIFACTS) {
          if (artifact.applies && !artifact.applies(read.value)) continue;
          artifacts++;
          const made = timed(() => artifact.make(read.value));
          steps[artifact.format] += made.ms;
          bytes += made.value;
        }
      }).ms;
    }
  });
  return { models, steps, artifacts, bytes, totalMs: total.ms };
}

function sizeOf(files: readonly { readonly bytes: Uint8Array }[]): number {
  return files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
}
