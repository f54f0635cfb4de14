import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadModelFile, type LoadedModelFile } from '../models/registry.js';
import { sha256Hex } from '../io/sha256.js';
import { loadModelContext, requireEntry, type ModelContext } from '../convert/model-context.js';
import { convertToOnnx, type OnnxVariant } from '../convert/convert-onnx.js';
import { convertToCoreml, type CoremlVariant } from '../convert/convert-coreml.js';
import { convertToWeights } from '../convert/convert-weights.js';
import { convertToMlPackage, type MlPackageVariant } from '../convert/convert-mlpackage.js';
import { onnxGoldenParity, type ObservedCase, type ParityObserver, type ParityRow } from '../check/onnx-parity.js';
import { coremlGoldenParity } from '../check/coreml-parity.js';
import { rebuiltGoldenParity } from '../check/rebuild-from-weights.js';
import { mlpackageGoldenParity } from '../check/mlpackage-parity.js';
import { describeSkippedCases, selectGoldenCases, type GoldenCase } from '../check/golden.js';
import { goldenPictures, runHistograms, type ObservedRun } from '../check/report-data.js';
import { parityHtml, type HtmlPictures } from '../report/parity-html.js';
import { writeFileAtomically } from '../io/write-files.js';
import type { ModelEntry } from '../models/registry.js';
import { ONNX_RUNTIME_INSTALL, onnxRuntimeInstalled } from '../runtimes/onnxruntime/onnx-runner.js';
import { coremlBound, mlprogramBound, onnxBound } from '../models/tolerances.js';
import { replaceFolder } from '../io/output-set.js';
import { addOutputOptions, checkNotAFile, EXIT, modelOption, Printer, UsageError, writingTo, type OutputOptions } from './common.js';
import { formatParityTable, parityJson, type ParityJson } from './parity.js';
import { addDetectorOptions, readDetectorOverrides, type DetectorOptionFlags } from './detector-options.js';
import { DEFAULT_GRAPH_LIMITS } from '../ir/limits.js';
import { LimitError } from '../ir/errors.js';
import { parseCount } from './numbers.js';

const FORMATS = ['onnx', 'coreml', 'mlpackage', 'weights'] as const;
const PRECISIONS = ['fp16', 'fp32'] as const;
type Format = (typeof FORMATS)[number];

interface ConvertOptions extends OutputOptions, DetectorOptionFlags {
  readonly model: string;
  readonly out?: string;
  readonly format: readonly Format[];
  readonly decode?: boolean;
  readonly preprocess?: boolean;
  readonly nchw?: boolean;
  readonly raw?: boolean;
  readonly fp16?: boolean;
  readonly seedCompatible?: boolean;
  /** mlpackage only; fp16 when not given. */
  readonly precision?: (typeof PRECISIONS)[number];
  readonly parity: boolean;
  readonly html?: string;
  readonly maxElements: number;
  readonly maxOutputBytes: number;
}

/** Far above what any model of the family writes (all formats of full_range: 13 MB), far below a disk-filling file. */
const DEFAULT_MAX_OUTPUT_BYTES = 2 ** 30;

/** The formats each variant flag shapes: a flag that none of the chosen formats takes is refused. */
const FLAG_FORMATS: readonly { readonly key: keyof ConvertOptions; readonly flag: string; readonly formats: readonly Format[] }[] = [
  { key: 'decode', flag: '--decode', formats: ['onnx'] },
  { key: 'preprocess', flag: '--preprocess', formats: ['onnx'] },
  { key: 'nchw', flag: '--nchw', formats: ['onnx'] },
  { key: 'raw', flag: '--raw', formats: ['coreml', 'mlpackage'] },
  { key: 'fp16', flag: '--fp16', formats: ['coreml', 'weights'] },
  { key: 'seedCompatible', flag: '--seed-compatible', formats: ['coreml'] },
  { key: 'precision', flag: '--precision', formats: ['mlpackage'] },
];

/**
 * `--out` names a folder; a name ending like one of these is a file the user meant to write
 * (`--out model.onnx`), which would otherwise become a folder of that name.
 */
const FILE_EXTENSIONS = ['.onnx', '.mlmodel', '.mlpackage', '.tflite', '.pb', '.json', '.bin', '.npy', '.txt', '.png', '.jpg', '.jpeg', '.zip'];

/** One format's output: the files it writes (relative to the output folder), its summary line and its parity check. */
interface Converted {
  readonly format: Format;
  /** The artifact's name in messages: its file or folder name. */
  readonly name: string;
  readonly files: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  readonly summary: string;
  /** Runs on onnxruntime-node, an optional peer dependency. */
  readonly needsOnnxRuntime: boolean;
  /** Parity against the golden outputs on the given cases, run after the files are written; `observe` sees every case's outputs. */
  readonly parity: (
    cases: readonly GoldenCase[],
    observe?: ParityObserver,
  ) => Promise<{ readonly title: string; readonly rows: readonly ParityRow[]; readonly bound: (row: ParityRow) => number }>;
}

export function registerConvertCommand(program: Command): void {
  const command = program
    .command('convert')
    .description(
      'convert a TFLite model (BlazeFace and its MediaPipe siblings, or any graph of supported ops) and check the result against the golden TFLite outputs',
    )
    .addOption(modelOption({ defaultId: 'short_range' }))
    .option('--out <dir>', 'output folder (default: out/<model>)')
    .addOption(new Option('--format <list>', `comma-separated formats: ${FORMATS.join(', ')}`).default(['onnx']).argParser(parseFormats))
    .option('--decode', 'onnx, SSD detectors: bake anchors in: outputs boxes [1,N,4+2K] (corners + keypoints, normalized) and scores [1,N,1]')
    .option('--preprocess', 'onnx: add a uint8 image input [1,H,W,3] normalized inside the model')
    .option('--nchw', 'onnx: NCHW input [1,3,H,W] instead of NHWC')
    .option(
      '--raw',
      "coreml, mlpackage: multi-array input [1,3,H,W] in the model's range and raw outputs (a detector's regressors/classificators) instead of image in, boxes/scores out",
    )
    .option('--fp16', 'coreml, weights: store weights as half floats')
    .option('--seed-compatible', "coreml: name the outputs 1477 (boxes) and 1011 (scores) like the seed app's BlazeFaceScaled.mlmodel")
    .addOption(
      new Option('--precision <fp16|fp32>', 'mlpackage: float16 (default: weights and computation, what the Neural Engine runs) or float32').choices(
        PRECISIONS,
      ),
    )
    .option('--no-parity', 'skip running the result against the golden outputs')
    .option(
      '--html <file>',
      "also write a self-contained HTML summary: the files with sizes and sha256, every parity table and error histogram, and the detections (or landmarks) on the golden images beside TFLite's",
    )
    .option(
      '--max-elements <n>',
      'refuse a model with a tensor of more elements than this (declared or densified)',
      parseCount,
      DEFAULT_GRAPH_LIMITS.maxElements,
    )
    .option('--max-output-bytes <n>', 'refuse to write more bytes than this in all', parseCount, DEFAULT_MAX_OUTPUT_BYTES);
  addOutputOptions(addDetectorOptions(command))
    .addHelpText('after', '\nExit status: 0 converted (and every parity row ok), 2 bad input or usage, 3 a parity row failed.')
    .action(async (opts: ConvertOptions) => {
      checkFlags(opts);
      if (opts.out !== undefined) checkLooksLikeFolder(opts.out);
      const file = loadModelFile(opts.model);
      const dir = opts.out ?? join('out', file.name);
      checkNotAFile(dir, '--out');
      if (opts.html !== undefined) checkHtmlPath(opts.html, dir);
      const printer = new Printer(opts);
      const started = performance.now();
      const ctx = loadModelContext(file, { maxElements: opts.maxElements }, { overrides: readDetectorOverrides(opts) });
      const converted = opts.format.map((format) => convertOne(ctx, format, opts, dir));
      const convertMs = performance.now() - started;
      const total = converted.reduce((sum, c) => sum + c.files.reduce((n, f) => n + f.bytes.byteLength, 0), 0);
      if (total > opts.maxOutputBytes) {
        throw new LimitError(
          `${opts.maxOutputBytes.toLocaleString('en-US')} bytes`,
          '--max-output-bytes',
          `the conversion would write ${total.toLocaleString('en-US')} bytes`,
          file.path,
        );
      }
      writingTo(dir, () =>
        replaceFolder(
          dir,
          converted.flatMap((c) => c.files),
        ),
      );
      printer.line([`${file.path} (sha256 ${file.sha256}) converted in ${convertMs.toFixed(0)} ms`, ...converted.map((c) => `  ${c.summary}`)].join('\n'));
      const runs: ArtifactRun[] = [];
      const parity = opts.parity ? await checkParity(file, converted, printer, opts.html === undefined ? undefined : runs) : [];
      if (!opts.parity) printer.skip('parity against the golden outputs (--no-parity)');
      const ok = parity.every((p) => p.ok);
      const artifacts = converted.map((c) => ({
        format: c.format,
        name: c.name,
        files: c.files.map((f) => ({ path: join(dir, f.name), bytes: f.bytes.byteLength, sha256: sha256Hex(f.bytes) })),
      }));
      if (opts.html !== undefined) {
        const pictures =
          file.entry && runs.length > 0
            ? await goldenPictures(
                ctx,
                selectGoldenCases(file.entry).cases,
                runs.map((r) => r.run),
              )
            : undefined;
        const html = parityHtml({
          title: `${file.name}: converted to ${opts.format.join(', ')}`,
          model: { id: file.entry?.id ?? file.name, file: file.path, sha256: file.sha256 },
          artifacts,
          tables: parity.map((p) => ({ artifact: p.artifact, runtime: p.runtime, rows: p.rows })),
          histograms: runs.flatMap((r) => runHistograms(r.run, { prefix: `${r.artifact}: `, perOutput: true })),
          pictures: pictures ?? noPictures(file.entry),
          skipped: printer.skipped,
        });
        const target = opts.html;
        writingTo(dirname(resolve(target)), () => writeFileAtomically(target, html));
        printer.line(`wrote ${opts.html}`);
      }
      printer.json({
        model: { id: file.entry?.id ?? null, file: file.path, sha256: file.sha256, bytes: file.bytes.byteLength },
        out: dir,
        convertMs,
        artifacts,
        ...(opts.html !== undefined ? { html: opts.html } : {}),
        parity,
        skipped: printer.skipped,
        ok,
      });
      if (!ok) process.exitCode = EXIT.parityFailure;
    });
}

/** What one artifact's parity run computed, kept for the HTML summary. */
interface ArtifactRun {
  readonly artifact: string;
  readonly run: ObservedRun;
}

/**
 * Every artifact's parity on the golden cases that can be checked here, one table each; what
 * cannot be checked (no registry entry, cases not here, no onnxruntime-node) is one skip line.
 */

async function checkParity(file: LoadedModelFile, converted: readonly Converted[], printer: Printer, runs?: ArtifactRun[]): Promise<ParityJson[]> {
  if (!file.entry) {
    printer.skip(`parity: ${file.path} matches no registry model by sha256, so there are no golden outputs for it`);
    return [];
  }
  const selection = selectGoldenCases(file.entry);
  if (selection.skipped.length > 0) printer.skip(`golden cases ${describeSkippedCases(selection.skipped)}`);
  const reports: ParityJson[] = [];
  for (const c of converted) {
    if (c.needsOnnxRuntime && !onnxRuntimeInstalled()) {
      printer.skip(`parity of ${c.name}: onnxruntime-node, which runs it, is not installed (\`${ONNX_RUNTIME_INSTALL}\` adds it)`);
      continue;
    }
    const observed = new Map<string, ObservedCase>();
    const { title, rows, bound } = await c.parity(selection.cases, runs && ((seen) => observed.set(seen.case.name, seen)));
    if (runs && rows.length > 0) runs.push({ artifact: c.name, run: { runtime: `${c.name} on ${title}`, cases: observed } });
    if (rows.length === 0) {
      printer.skip(`parity of ${c.name}: none of the golden cases available here is an image, which its input takes`);
      continue;
    }
    printer.line(`\nParity with the TFLite runtime (golden/), ${title}:\n${formatParityTable(rows, bound)}`);
    const report = parityJson(c.name, title, rows, bound);
    for (const row of report.rows)
      if (!row.ok) printer.failure(`FAIL ${c.name} ${row.case} ${row.output}: max |a-b|/(1+|b|) ${row.maxError} > bound ${row.bound}`);
    reports.push(report);
  }
  return reports;
}

function convertOne(ctx: ModelContext, format: Format, opts: ConvertOptions, dir: string): Converted {
  switch (format) {
    case 'onnx': {
      const variant: OnnxVariant = { decode: opts.decode, preprocess: opts.preprocess, nchw: opts.nchw };
      const a = convertToOnnx(ctx, variant);
      return {
        format,
        name: a.fileName,
        files: [{ name: a.fileName, bytes: a.bytes }],
        summary: `${join(dir, a.fileName)}  ${size(a.bytes)}  sha256 ${sha256Hex(a.bytes)}  (${a.report.nodes} nodes, ${a.report.parameters.toLocaleString('en-US')} parameters)`,
        needsOnnxRuntime: true,
        parity: async (cases, observe) => ({
          title: 'onnxruntime-node',
          rows: await onnxGoldenParity(ctx, variant, undefined, a, cases, undefined, observe),
          bound: (r) => onnxBound(r.model),
        }),
      };
    }
    case 'coreml': {
      const variant: CoremlVariant = { raw: opts.raw, fp16: opts.fp16, seedCompatible: opts.seedCompatible };
      const a = convertToCoreml(ctx, variant);
      return {
        format,
        name: a.fileName,
        files: [{ name: a.fileName, bytes: a.bytes }],
        summary: `${join(dir, a.fileName)}  ${size(a.bytes)}  sha256 ${sha256Hex(a.bytes)}  (Core ML specification ${a.report.specificationVersion}, ${a.report.layers} layers, ${a.report.parameters.toLocaleString('en-US')} parameters)`,
        needsOnnxRuntime: false,
        parity: async (cases, observe) => ({
          title: `Core ML reference executor${opts.fp16 ? ', float16 weights' : ''}`,
          rows: coremlGoldenParity(ctx, variant, undefined, a, cases, observe).rows,
          bound: (r) => coremlBound(r.model, { fp16: opts.fp16, decoded: !opts.raw }),
        }),
      };
    }
    case 'mlpackage': {
      if (opts.seedCompatible)
        throw new UsageError("--seed-compatible: an ML Program's outputs must be MIL identifiers, and 1477 / 1011 are not", ctx.file.path);
      const precision = opts.precision ?? 'fp16';
      const variant: MlPackageVariant = { raw: opts.raw, precision };
      const a = convertToMlPackage(ctx, variant);
      const total = a.files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
      const weights = a.files.find((f) => f.path.endsWith('weight.bin'));
      return {
        format,
        name: `${a.folder}/`,
        files: a.files.map((f) => ({ name: join(a.folder, f.path), bytes: f.bytes })),
        summary:
          `${join(dir, a.folder)}/  ${size(total)} in all, weight.bin sha256 ${weights ? sha256Hex(weights.bytes) : '-'}  ` +
          `(ML Program, specification ${a.report.specificationVersion}, opset ${a.report.opset}, ${a.report.precision}, ${a.report.operations} operations, ${a.report.parameters.toLocaleString('en-US')} parameters)`,
        needsOnnxRuntime: false,
        parity: async (cases, observe) => ({
          title: `MIL reference executor, ${precision}`,
          rows: mlpackageGoldenParity(ctx, variant, undefined, a, cases, observe).rows,
          bound: (r) => mlprogramBound(r.model, { precision, decoded: !opts.raw }),
        }),
      };
    }
    case 'weights': {
      const a = convertToWeights(ctx, { fp16: opts.fp16 });
      const files = a.files.map((f) => ({ name: join(a.folder, f.name), bytes: f.bytes }));
      const total = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
      return {
        format,
        name: `${a.folder}/`,
        files,
        summary: `${join(dir, a.folder)}/  ${a.manifest.tensors.length} tensors (${a.manifest.dtype}) + manifest.json, ${size(total)} in all`,
        needsOnnxRuntime: false,
        parity: async (cases, observe) => ({
          title: `network rebuilt from ${a.folder}/ alone, Core ML reference executor`,
          rows: rebuiltGoldenParity(join(dir, a.folder), requireEntry(ctx.file, 'parity against golden outputs'), undefined, cases, observe),
          bound: (r) => coremlBound(r.model, { fp16: opts.fp16, decoded: false }),
        }),
      };
    }
  }
}

/** The summary goes beside the output folder: convert replaces that folder as a whole, and a file of its own there would be refused next time. */
function checkHtmlPath(html: string, dir: string): void {
  const path = relative(resolve(dir), resolve(html));
  if (!(path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path))) {
    throw new UsageError('--html: the summary must go outside the output folder, which convert replaces as a whole', html);
  }
  checkNotAFile(dirname(resolve(html)), '--html');
}

/** The page's line when there is nothing to draw: no golden outputs, or no runtime ran. */
function noPictures(entry: ModelEntry | undefined): HtmlPictures {
  return {
    runtimes: [],
    note: entry
      ? 'No artifact was run on the golden images here (see the lines above), so there are no detections to draw.'
      : 'This file matches no registry model, so there are no golden images to draw detections on.',
    cases: [],
  };
}

function checkFlags(opts: ConvertOptions): void {
  for (const { key, flag, formats } of FLAG_FORMATS) {
    if (opts[key] && !formats.some((f) => opts.format.includes(f))) {
      throw new UsageError(
        `${flag} shapes the ${formats.join(' and ')} output${formats.length > 1 ? 's' : ''}, and --format ${opts.format.join(',')} makes none`,
      );
    }
  }
}

function checkLooksLikeFolder(out: string): void {
  const extension = extname(out).toLowerCase();
  if (FILE_EXTENSIONS.includes(extension)) {
    throw new UsageError(`--out names the folder the files are written to, and this looks like a file name (${extension}); give its folder`, out);
  }
}

function size(bytes: Uint8Array | number): string {
  return `${(typeof bytes === 'number' ? bytes : bytes.byteLength).toLocaleString('en-US')} bytes`;
}

function parseFormats(value: string): Format[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new InvalidArgumentError(`give one or more of ${FORMATS.join(', ')}`);
  for (const f of list) if (!(FORMATS as readonly string[]).includes(f)) throw new InvalidArgumentError(`unknown format '${f}' (known: ${FORMATS.join(', ')})`);
  return [...new Set(list)] as Format[];
}
