import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { annotate, type AnnotationFormat } from '../detect/annotate.js';
import type { Detection } from '../detect/detection.js';
import { createFaceDetector, RESIZE_METHODS, type DetectTimings, type ResizeMethod } from '../detect/face-detector.js';
import type { NmsAlgorithm } from '../detect/nms.js';
import { BlazefaceError, InputError } from '../ir/errors.js';
import { detectFiles } from '../detect/detect-files.js';
import { uprightImage } from '../image/orientation.js';
import { DEFAULT_MAX_PIXELS, IMAGE_EXTENSIONS, type ImageFormat } from '../image/read-image.js';
import { requireOnnxRuntime } from '../runtimes/onnxruntime/onnx-runner.js';
import { defaultCacheDir } from '../detect/onnx-cache.js';
import { writeFilesAtomically } from '../io/write-files.js';
import { parseCount, parseFraction } from './numbers.js';
import { addOutputOptions, checkNotAFile, modelOption, writingTo, type OutputOptions } from './common.js';
import { Progress } from './progress.js';
import { addDetectorOptions, readDetectorOverrides, type DetectorOptionFlags } from './detector-options.js';

const NMS_MODES: readonly NmsAlgorithm[] = ['weighted', 'weighted-mean-score', 'hard'];
/** Annotated files a single-image --out may name, by extension. */
const OUT_FORMATS: Readonly<Record<string, AnnotationFormat>> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' };

interface DetectOptions extends OutputOptions, DetectorOptionFlags {
  readonly model: string;
  readonly out?: string;
  readonly cacheDir?: string;
  readonly minScore?: number;
  readonly nms: NmsAlgorithm;
  readonly resize: ResizeMethod;
  readonly maxPixels: number;
}

/** One image's result, as printed with --json. */
export interface ImageResult {
  readonly file: string;
  readonly model: string;
  readonly format: ImageFormat;
  /** Upright size (after the EXIF orientation), the frame coordinates refer to. */
  readonly width: number;
  readonly height: number;
  /** The EXIF orientation applied (1: none). */
  readonly orientation: number;
  readonly resize: ResizeMethod;
  readonly detections: readonly Detection[];
  readonly timings: { readonly decodeMs: number } & DetectTimings;
  /** The annotated image written for this image, with --out. */
  readonly annotated?: string;
}

export function registerDetectCommand(program: Command): void {
  const command = program
    .command('detect')
    .description(
      'detect faces, palms (any SSD detector) in images (JPEG, PNG, WebP, AVIF, GIF, TIFF) with the converted ONNX model on onnxruntime-node (an optional peer dependency)',
    )
    .argument('<images...>', `image files, or folders whose ${IMAGE_EXTENSIONS.join('/')} files are all used`)
    .addOption(modelOption({ defaultId: 'full_range' }))
    .option('--out <file|dir>', 'write annotated images: a .png/.jpg/.webp file for one image, else a folder of PNGs named after the inputs')
    .option('--min-score <x>', "keep detections scoring at least x in [0, 1] (default: the model's threshold)", parseFraction)
    .addOption(new Option('--nms <mode>', 'non-maximum suppression').choices(NMS_MODES).default('weighted'))
    .addOption(
      new Option('--resize <method>', "image to model input: MediaPipe's exact warp, or the earlier half-pixel bilinear resize")
        .choices(RESIZE_METHODS)
        .default('mediapipe'),
    )
    .option('--max-pixels <n>', 'refuse images declaring more pixels than this (checked before decoding)', parseCount, DEFAULT_MAX_PIXELS)
    .option('--cache-dir <dir>', `where converted models are kept (default: ${defaultCacheDir()})`);
  addOutputOptions(addDetectorOptions(command))
    .addHelpText(
      'after',
      '\n--json prints an array with one entry per image that was read. Exit status: 0 ok, 2 bad input or usage (or onnxruntime-node missing); with several images, 2 once all ran if any failed.',
    )
    .action(async (images: string[], opts: DetectOptions) => {
      requireOnnxRuntime('detect');
      const files = expandInputs(images);
      const outputs = opts.out === undefined ? undefined : outputPaths(files, opts.out);
      if (opts.cacheDir !== undefined) checkNotAFile(opts.cacheDir, '--cache-dir');
      // On a folder the other core decodes ahead (detect-files.ts), so the model gets one.
      const threads = files.length > 1 ? 1 : undefined;
      const detector = await createFaceDetector(opts.model, {
        minScore: opts.minScore,
        nms: opts.nms,
        resize: opts.resize,
        threads,
        cacheDir: opts.cacheDir,
        overrides: readDetectorOverrides(opts),
      });
      const { onnx, name } = detector;
      const noun = detector.detector.family ?? 'detection';
      const note = (text: string): void => {
        if (!opts.quiet) process.stderr.write(`${text}\n`);
      };
      note(
        onnx.hit
          ? `${name}: ONNX from cache ${onnx.path}`
          : `${name}: converted to ONNX in ${onnx.convertMs.toFixed(0)} ms${onnx.path ? `, cached at ${onnx.path}` : ' (cache not writable)'}`,
      );
      const progress = new Progress(opts.quiet ? 1 : files.length, process.stderr);
      const results: ImageResult[] = [];
      let failures = 0;
      const run = detectFiles(detector, files, { maxPixels: opts.maxPixels });
      try {
        for (const file of files) {
          progress.start(file);
          const next = await run.next();
          if (next.done) break;
          const outcome = next.value;
          try {
            if (!outcome.ok) throw outcome.error;
            const { image, decodeMs, result: detected } = outcome;
            const { detections, timings } = detected;
            const annotated = outputs?.[outcome.index];
            if (annotated) {
              const bytes = await annotate(uprightImage(image), detections, OUT_FORMATS[extname(annotated).toLowerCase()] ?? 'png');
              writingTo(dirname(annotated), () => writeFilesAtomically(dirname(annotated), [{ name: basename(annotated), bytes }]));
            }
            const result: ImageResult = {
              file,
              model: name,
              format: image.format,
              width: image.width,
              height: image.height,
              orientation: image.orientation,
              resize: detector.resize,
              detections,
              timings: { decodeMs, ...timings },
              annotated,
            };
            if (!opts.json && !opts.quiet) progress.print(process.stdout, formatResult(result, noun));
            results.push(result);
          } catch (error) {
            if (!(error instanceof BlazefaceError)) throw error;
            failures++;
            progress.print(process.stderr, `error: ${error.describe()}\n`);
          }
          progress.done();
        }
      } finally {
        progress.finish();
        await run.return();
        await detector.release();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      if (failures > 0) {
        if (files.length > 1) note(`${failures} of ${files.length} images failed`);
        process.exitCode = 2;
      }
    });
}

/** Text form: a header line with the count of faces (palms, ...) and timings, then per detection its box and its keypoints. */
function formatResult(r: ImageResult, noun: string): string {
  const t = r.timings;
  const count = `${r.detections.length} ${noun}${r.detections.length === 1 ? '' : 's'}`;
  const px = (v: number): string => v.toFixed(1);
  const lines = [
    `${r.file} (${r.width}x${r.height}): ${count}  decode ${ms(t.decodeMs)}, preprocess ${ms(t.preprocessMs)}, inference ${ms(t.inferenceMs)}, postprocess ${ms(t.postprocessMs)}`,
    ...r.detections.flatMap((d, i) => {
      const b = d.boxPixels;
      return [
        `  ${i + 1}: score ${d.score.toFixed(4)}  box x ${px(b.x)} y ${px(b.y)} w ${px(b.width)} h ${px(b.height)} px`,
        `     ${d.keypoints.map((k) => `${k.name} ${px(k.xPixels)},${px(k.yPixels)}`).join('  ')}`,
      ];
    }),
  ];
  if (r.annotated) lines.push(`  annotated: ${r.annotated}`);
  return `${lines.join('\n')}\n`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function isImageFile(name: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

/** Files as given; a folder becomes its image files (not recursive), sorted by name. */
function expandInputs(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(arg).isDirectory();
    } catch {
      throw new InputError('no such file or folder', arg);
    }
    if (!isDirectory) return [arg];
    const names = readdirSync(arg, { withFileTypes: true })
      .filter((e) => e.isFile() && isImageFile(e.name))
      .map((e) => e.name)
      .sort();
    if (names.length === 0) throw new InputError(`folder holds no ${IMAGE_EXTENSIONS.join('/')} files`, arg);
    return names.map((name) => join(arg, name));
  });
}

/**
 * Where each input's annotated image goes: `out` itself for a single image when it names a
 * .png, .jpg or .webp file, otherwise `<out>/<input name without extension>.png`. Checked before any work is done:
 * two inputs may not map to the same output, and no output may overwrite an input.
 */
function outputPaths(files: readonly string[], out: string): string[] {
  const isFolder = isExistingFolder(out) || !(extname(out).toLowerCase() in OUT_FORMATS);
  if (!isFolder && files.length > 1) throw new InputError(`a ${extname(out)} file takes one image, got ${files.length}: pass a folder`, out);
  const paths = isFolder ? files.map((f) => join(out, `${basename(f, extname(f))}.png`)) : [out];
  const inputs = new Set(files.map((f) => resolve(f)));
  const seen = new Map<string, string>();
  paths.forEach((path, i) => {
    const key = resolve(path);
    if (inputs.has(key)) throw new InputError(`the annotated image would overwrite the input ${files[i]}`, path);
    const other = seen.get(key);
    if (other !== undefined) throw new InputError(`both ${other} and ${files[i]} would be annotated to this file`, path);
    seen.set(key, files[i]!);
  });
  return paths;
}

function isExistingFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
