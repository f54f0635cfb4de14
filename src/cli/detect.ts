import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { annotate } from '../detect/annotate.js';
import type { Detection } from '../detect/detection.js';
import { createFaceDetector, type DetectTimings } from '../detect/face-detector.js';
import type { NmsAlgorithm } from '../detect/nms.js';
import { InputError } from '../ir/errors.js';
import { decodeImage } from '../image/decode-image.js';
import { encodePng } from '../image/encode-png.js';
import { requireOnnxRuntime } from '../runtimes/onnxruntime/onnx-runner.js';
import { defaultCacheDir } from '../detect/onnx-cache.js';
import { writeFilesAtomically } from '../io/write-files.js';
import { parseFraction } from './numbers.js';
import { addOutputOptions, checkNotAFile, modelOption, writingTo, type OutputOptions } from './common.js';

const NMS_MODES: readonly NmsAlgorithm[] = ['weighted', 'weighted-mean-score', 'hard'];
const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

interface DetectOptions extends OutputOptions {
  readonly model: string;
  readonly out?: string;
  readonly cacheDir?: string;
  readonly minScore?: number;
  readonly nms: NmsAlgorithm;
}

/** One image's result, as printed with --json. */
export interface ImageResult {
  readonly file: string;
  readonly model: string;
  readonly width: number;
  readonly height: number;
  readonly detections: readonly Detection[];
  readonly timings: { readonly decodeMs: number } & DetectTimings;
  /** The annotated PNG written for this image, with --out. */
  readonly annotated?: string;
}

export function registerDetectCommand(program: Command): void {
  const command = program
    .command('detect')
    .description('detect faces in PNG and JPEG images with the converted ONNX model on onnxruntime-node (an optional peer dependency)')
    .argument('<images...>', 'image files, or folders whose .png/.jpg/.jpeg files are all used')
    .addOption(modelOption({ required: true }))
    .option('--out <file.png|dir>', 'write annotated PNGs: a .png file for one image, else a folder (named after the inputs)')
    .option('--min-score <x>', "keep faces scoring at least x in [0, 1] (default: the model's registry threshold)", parseFraction)
    .addOption(new Option('--nms <mode>', 'non-maximum suppression').choices(NMS_MODES).default('weighted'))
    .option('--cache-dir <dir>', `where converted models are kept (default: ${defaultCacheDir()})`);
  addOutputOptions(command)
    .addHelpText('after', '\n--json prints an array with one entry per image. Exit status: 0 ok, 2 bad input or usage (or onnxruntime-node missing).')
    .action(async (images: string[], opts: DetectOptions) => {
      requireOnnxRuntime('detect');
      const files = expandInputs(images);
      const outputs = opts.out === undefined ? undefined : outputPaths(files, opts.out);
      if (opts.cacheDir !== undefined) checkNotAFile(opts.cacheDir, '--cache-dir');
      const detector = await createFaceDetector(opts.model, { minScore: opts.minScore, nms: opts.nms, cacheDir: opts.cacheDir });
      const { onnx, model } = detector;
      const note = (text: string): void => {
        if (!opts.quiet) process.stderr.write(`${text}\n`);
      };
      note(
        onnx.hit
          ? `${model.id}: ONNX from cache ${onnx.path}`
          : `${model.id}: converted to ONNX in ${onnx.convertMs.toFixed(0)} ms${onnx.path ? `, cached at ${onnx.path}` : ' (cache not writable)'}`,
      );
      const results: ImageResult[] = [];
      try {
        for (const [index, file] of files.entries()) {
          if (files.length > 1) note(`[${index + 1}/${files.length}] ${file}`);
          const started = performance.now();
          const image = decodeImage(readImageFile(file), file);
          const decodeMs = performance.now() - started;
          const { detections, timings } = await detector.detect(image);
          const annotated = outputs?.[index];
          if (annotated) {
            const bytes = encodePng(annotate(image, detections));
            writingTo(dirname(annotated), () => writeFilesAtomically(dirname(annotated), [{ name: basename(annotated), bytes }]));
          }
          const result: ImageResult = {
            file,
            model: model.id,
            width: image.width,
            height: image.height,
            detections,
            timings: { decodeMs, ...timings },
            annotated,
          };
          if (!opts.json && !opts.quiet) process.stdout.write(formatResult(result));
          results.push(result);
        }
      } finally {
        await detector.release();
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    });
}

/** Text form: a header line with the face count and timings, then one line per face. */
function formatResult(r: ImageResult): string {
  const t = r.timings;
  const count = `${r.detections.length} face${r.detections.length === 1 ? '' : 's'}`;
  const lines = [
    `${r.file} (${r.width}x${r.height}): ${count}  decode ${ms(t.decodeMs)}, letterbox ${ms(t.letterboxMs)}, inference ${ms(t.inferenceMs)}, postprocess ${ms(t.postprocessMs)}`,
    ...r.detections.map((d) => {
      const b = d.boxPixels;
      return `  score ${d.score.toFixed(4)}  box x ${b.x.toFixed(1)} y ${b.y.toFixed(1)} w ${b.width.toFixed(1)} h ${b.height.toFixed(1)} px`;
    }),
  ];
  if (r.annotated) lines.push(`  annotated: ${r.annotated}`);
  return `${lines.join('\n')}\n`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function readImageFile(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (error) {
    throw new InputError(`cannot read the image: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, file);
  }
}

function isImageFile(name: string): boolean {
  return IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());
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
 * Where each input's annotated PNG goes: `out` itself for a single image when it names a .png
 * file, otherwise `<out>/<input name without extension>.png`. Checked before any work is done:
 * two inputs may not map to the same output, and no output may overwrite an input.
 */
function outputPaths(files: readonly string[], out: string): string[] {
  const isFolder = isExistingFolder(out) || extname(out).toLowerCase() !== '.png';
  if (!isFolder && files.length > 1) throw new InputError(`a .png file takes one image, got ${files.length}: pass a folder`, out);
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
