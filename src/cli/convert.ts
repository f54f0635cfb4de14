import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { loadModelFile, type LoadedModelFile } from '../models/registry.js';
import { sha256Hex } from '../io/sha256.js';
import { loadModelContext } from '../convert/model-context.js';
import type { ObservedCase } from '../check/onnx-parity.js';
import { describeSkippedCases, selectGoldenCases } from '../check/golden.js';
import { ONNX_RUNTIME_INSTALL, onnxRuntimeInstalled } from '../runtimes/onnxruntime/onnx-runner.js';
import { replaceFolder } from '../io/output-set.js';
import { addOutputOptions, checkNotAFile, EXIT, modelOption, Printer, UsageError, writingTo, type OutputOptions } from './common.js';
import { formatParityTable, parityJson, type ParityJson } from './parity-table.js';
import { addDetectorOptions, readDetectorOverrides, type DetectorOptionFlags } from './detector-options.js';
import { DEFAULT_GRAPH_LIMITS } from '../ir/limits.js';
import { LimitError } from '../ir/errors.js';
import { parseCount } from './numbers.js';
import { FORMATS, PRECISIONS, type Converted, type Format, type FormatConverter, type VariantFlags } from './converted.js';
import { convertOnnxFormat } from './format-onnx.js';
import type { ArtifactRun } from './convert-html.js';
import { groupDigits } from '../ir/digits.js';

interface ConvertOptions extends OutputOptions, DetectorOptionFlags, VariantFlags {
  readonly model: string;
  readonly out?: string;
  readonly format: readonly Format[];
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

/**
 * Each format's converter, imported when --format names it. ONNX, the default, comes with the
 * command; the others bring the Core ML schema, the ML Program writer and the reference
 * executors their parity runs on, which a run that writes ONNX alone spent a third of its
 * start-up loading.
 */
const CONVERTERS: Readonly<Record<Format, () => Promise<FormatConverter>>> = {
  onnx: async () => convertOnnxFormat,
  coreml: async () => (await import('./format-coreml.js')).convertCoremlFormat,
  mlpackage: async () => (await import('./format-mlpackage.js')).convertMlPackageFormat,
  weights: async () => (await import('./format-weights.js')).convertWeightsFormat,
};

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
      const converters = await Promise.all(opts.format.map((format) => CONVERTERS[format]()));
      const started = performance.now();
      const ctx = loadModelContext(file, { maxElements: opts.maxElements }, { overrides: readDetectorOverrides(opts) });
      const converted = converters.map((convert) => convert(ctx, opts, dir));
      const convertMs = performance.now() - started;
      const total = converted.reduce((sum, c) => sum + c.files.reduce((n, f) => n + f.bytes.byteLength, 0), 0);
      if (total > opts.maxOutputBytes) {
        throw new LimitError(
          `${groupDigits(opts.maxOutputBytes)} bytes`,
          '--max-output-bytes',
          `the conversion would write ${groupDigits(total)} bytes`,
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
        const { writeConvertHtml } = await import('./convert-html.js');
        await writeConvertHtml(opts.html, { ctx, file, formats: opts.format, artifacts, parity, runs }, printer);
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

/** The summary goes beside the output folder: convert replaces that folder as a whole, and a file of its own there would be refused next time. */
function checkHtmlPath(html: string, dir: string): void {
  const path = relative(resolve(dir), resolve(html));
  if (!(path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path))) {
    throw new UsageError('--html: the summary must go outside the output folder, which convert replaces as a whole', html);
  }
  checkNotAFile(dirname(resolve(html)), '--html');
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

function parseFormats(value: string): Format[] {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new InvalidArgumentError(`give one or more of ${FORMATS.join(', ')}`);
  for (const f of list) if (!(FORMATS as readonly string[]).includes(f)) throw new InvalidArgumentError(`unknown format '${f}' (known: ${FORMATS.join(', ')})`);
  return [...new Set(list)] as Format[];
}
