import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { loadModelFile, MODEL_IDS } from '../models/registry.js';
import { sha256Hex } from '../io/sha256.js';
import { loadModelContext, requireEntry, type ModelContext } from '../convert/model-context.js';
import { convertToOnnx, type OnnxVariant } from '../convert/convert-onnx.js';
import { convertToCoreml, type CoremlVariant } from '../convert/convert-coreml.js';
import { convertToWeights } from '../convert/convert-weights.js';
import { convertToMlPackage, type MlPackageVariant } from '../convert/convert-mlpackage.js';
import { mlpackageGoldenParity } from '../check/mlpackage-parity.js';
import { onnxGoldenParity, type ParityRow } from '../check/onnx-parity.js';
import { coremlGoldenParity } from '../check/coreml-parity.js';
import { rebuiltGoldenParity } from '../check/rebuild-from-weights.js';
import { replaceFolder } from '../io/output-set.js';
import { formatParityTable } from './parity.js';
import { coremlBound, mlprogramBound, onnxBound } from '../models/tolerances.js';
import { BlazefaceError } from '../ir/errors.js';

const FORMATS = ['onnx', 'coreml', 'mlpackage', 'weights'] as const;
const PRECISIONS = ['fp16', 'fp32'] as const;
type Format = (typeof FORMATS)[number];

interface ConvertOptions {
  readonly model: string;
  readonly out?: string;
  readonly format: readonly Format[];
  readonly decode?: boolean;
  readonly preprocess?: boolean;
  readonly nchw?: boolean;
  readonly raw?: boolean;
  readonly fp16?: boolean;
  readonly seedCompatible?: boolean;
  readonly precision: (typeof PRECISIONS)[number];
  readonly parity: boolean;
}

/** One format's output: the files it writes (relative to the output folder), its summary line and its parity check. */
interface Converted {
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  readonly summary: string;
  /** Parity against the golden outputs, run after the files are written. */
  readonly parity: () => Promise<{ readonly title: string; readonly rows: readonly ParityRow[]; readonly bound: (row: ParityRow) => number }>;
}

export function registerConvertCommand(program: Command): void {
  program
    .command('convert')
    .description('convert a BlazeFace model and check the result against the golden TFLite outputs')
    .option('--model <id|path>', `registry id (${MODEL_IDS.join(', ')}) or .tflite path`, 'short_range')
    .option('--out <dir>', 'output folder (default: out/<model>)')
    .addOption(new Option('--format <list>', `comma-separated formats: ${FORMATS.join(', ')}`).default(['onnx']).argParser(parseFormats))
    .option('--decode', 'onnx: bake anchors in: outputs boxes [1,N,16] (corners + keypoints, normalized) and scores [1,N,1]')
    .option('--preprocess', 'onnx: add a uint8 image input [1,H,W,3] normalized inside the model')
    .option('--nchw', 'onnx: NCHW input [1,3,H,W] instead of NHWC')
    .option('--raw', 'coreml, mlpackage: multi-array input [1,3,H,W] in [-1, 1] and raw outputs regressors/classificators instead of image in, boxes/scores out')
    .option('--fp16', 'coreml, weights: store weights as half floats')
    .option('--seed-compatible', 'coreml: name the outputs 1477 (boxes) and 1011 (scores) like the seed app\'s BlazeFaceScaled.mlmodel')
    .addOption(new Option('--precision <fp16|fp32>', 'mlpackage: float16 (weights and computation, what the Neural Engine runs) or float32').choices(PRECISIONS).default('fp16'))
    .option('--no-parity', 'skip running the result against the golden outputs')
    .action(async (opts: ConvertOptions) => {
      const file = loadModelFile(opts.model);
      const started = performance.now();
      const ctx = loadModelContext(file);
      const dir = opts.out ?? join('out', file.name);
      const converted = opts.format.map((format) => convertOne(ctx, format, opts, dir));
      const elapsed = performance.now() - started;
      replaceFolder(dir, converted.flatMap((c) => c.files));
      const lines = [`${file.path} (sha256 ${file.sha256}) converted in ${elapsed.toFixed(0)} ms`, ...converted.map((c) => `  ${c.summary}`)];
      process.stdout.write(`${lines.join('\n')}\n`);
      if (!opts.parity || !file.entry) return;
      for (const c of converted) {
        const { title, rows, bound } = await c.parity();
        process.stdout.write(`\nParity with the TFLite runtime (golden/), ${title}:\n${formatParityTable(rows, bound)}\n`);
      }
    });
}

function convertOne(ctx: ModelContext, format: Format, opts: ConvertOptions, dir: string): Converted {
  switch (format) {
    case 'onnx': {
      const variant: OnnxVariant = { decode: opts.decode, preprocess: opts.preprocess, nchw: opts.nchw };
      const a = convertToOnnx(ctx, variant);
      return {
        files: [{ name: a.fileName, bytes: a.bytes }],
        summary: `${join(dir, a.fileName)}  ${size(a.bytes)}  sha256 ${sha256Hex(a.bytes)}  (${a.report.nodes} nodes, ${a.report.parameters.toLocaleString('en-US')} parameters)`,
        parity: async () => ({ title: 'onnxruntime-node', rows: await onnxGoldenParity(ctx, variant, undefined, a), bound: (r) => onnxBound(r.model) }),
      };
    }
    case 'coreml': {
      const variant: CoremlVariant = { raw: opts.raw, fp16: opts.fp16, seedCompatible: opts.seedCompatible };
      const a = convertToCoreml(ctx, variant);
      return {
        files: [{ name: a.fileName, bytes: a.bytes }],
        summary: `${join(dir, a.fileName)}  ${size(a.bytes)}  sha256 ${sha256Hex(a.bytes)}  (Core ML specification ${a.report.specificationVersion}, ${a.report.layers} layers, ${a.report.parameters.toLocaleString('en-US')} parameters)`,
        parity: async () => ({
          title: `Core ML reference executor${opts.fp16 ? ', float16 weights' : ''}`,
          rows: coremlGoldenParity(ctx, variant, undefined, a).rows,
          bound: (r) => coremlBound(r.model, { fp16: opts.fp16, decoded: !opts.raw }),
        }),
      };
    }
    case 'mlpackage': {
      if (opts.seedCompatible) {
        throw new BlazefaceError("--seed-compatible: an ML Program's outputs must be MIL identifiers, and 1477 / 1011 are not", ctx.file.path);
      }
      const variant: MlPackageVariant = { raw: opts.raw, precision: opts.precision };
      const a = convertToMlPackage(ctx, variant);
      const total = a.files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
      const weights = a.files.find((f) => f.path.endsWith('weight.bin'));
      return {
        files: a.files.map((f) => ({ name: join(a.folder, f.path), bytes: f.bytes })),
        summary:
          `${join(dir, a.folder)}/  ${size(total)} in all, weight.bin sha256 ${weights ? sha256Hex(weights.bytes) : '-'}  ` +
          `(ML Program, specification ${a.report.specificationVersion}, opset ${a.report.opset}, ${a.report.precision}, ${a.report.operations} operations, ${a.report.parameters.toLocaleString('en-US')} parameters)`,
        parity: async () => ({
          title: `MIL reference executor, ${opts.precision}`,
          rows: mlpackageGoldenParity(ctx, variant, undefined, a).rows,
          bound: (r) => mlprogramBound(r.model, { precision: opts.precision, decoded: !opts.raw }),
        }),
      };
    }
    case 'weights': {
      const a = convertToWeights(ctx, { fp16: opts.fp16 });
      const files = a.files.map((f) => ({ name: join(a.folder, f.name), bytes: f.bytes }));
      const total = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
      return {
        files,
        summary: `${join(dir, a.folder)}/  ${a.manifest.tensors.length} tensors (${a.manifest.dtype}) + manifest.json, ${size(total)} in all`,
        parity: async () => ({
          title: `network rebuilt from ${a.folder}/ alone, Core ML reference executor`,
          rows: rebuiltGoldenParity(join(dir, a.folder), requireEntry(ctx.file, 'parity against golden outputs')),
          bound: (r) => coremlBound(r.model, { fp16: opts.fp16, decoded: false }),
        }),
      };
    }
  }
}

function size(bytes: Uint8Array | number): string {
  return `${(typeof bytes === 'number' ? bytes : bytes.byteLength).toLocaleString('en-US')} bytes`;
}

function parseFormats(value: string): Format[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const f of list) if (!(FORMATS as readonly string[]).includes(f)) throw new Error(`unknown format '${f}' (known: ${FORMATS.join(', ')})`);
  return list as Format[];
}
