/**
 * Detection over many image files, results in the order of the files, with the next files
 * decoding while the current one is detected. Decoding (sharp, libvips) runs on libuv's
 * threads and the model on the main thread (onnxruntime-node runs a session synchronously),
 * so on two cores the decoding of image i+1 and i+2 overlaps the tensor, the model and the
 * post-processing of image i. `npm run bench -- --only throughput` compares this with more
 * ONNX Runtime threads, two sessions and worker threads (bench/README.md).
 *
 * A file that cannot be read, decoded or detected (any BlazefaceError) is reported in its
 * place and the others go on; anything else is a bug and ends the run.
 */
import { readFile } from 'node:fs/promises';
import { BlazefaceError, InputError } from '../ir/errors.js';
import { type DecodedOrientedImage, readOrientedImage } from '../image/read-image.js';
import type { DetectResult, FaceDetector } from './face-detector.js';

/**
 * Files decoded ahead of the one being detected. Two keep both cores busy while the model
 * runs; more only hold more decoded images in memory.
 */
export const DECODE_AHEAD = 2;

export interface DetectFilesOptions {
  /** How many files decode ahead of the one being detected; DECODE_AHEAD by default, 0 for one at a time. */
  readonly ahead?: number;
  /** The pixel limit handed to readOrientedImage. */
  readonly maxPixels?: number;
  /** Reads and decodes one file; by default readFile and readOrientedImage. */
  readonly decode?: (file: string) => Promise<DecodedOrientedImage>;
}

export interface FileDetection {
  readonly ok: true;
  readonly index: number;
  readonly file: string;
  readonly image: DecodedOrientedImage;
  /** Wall time from the start of the file's decoding to its end (it may have waited for a thread). */
  readonly decodeMs: number;
  readonly result: DetectResult;
}

export interface FileFailure {
  readonly ok: false;
  readonly index: number;
  readonly file: string;
  readonly error: BlazefaceError;
}

export type FileOutcome = FileDetection | FileFailure;

/** Yields one outcome per file, in the order of `files`. */
export async function* detectFiles(
  detector: Pick<FaceDetector, 'detect'>,
  files: readonly string[],
  options: DetectFilesOptions = {},
): AsyncGenerator<FileOutcome, void, undefined> {
  const ahead = options.ahead ?? DECODE_AHEAD;
  if (!(Number.isInteger(ahead) && ahead >= 0)) throw new InputError(`decode ahead: ${ahead} is not a whole number of files`);
  const decode = options.decode ?? ((file: string) => readAndDecode(file, options.maxPixels));
  const pending = new Map<number, Promise<{ image: DecodedOrientedImage; decodeMs: number }>>();
  const start = (index: number): void => {
    if (index >= files.length || pending.has(index)) return;
    const started = performance.now();
    const task = decode(files[index]!).then((image) => ({ image, decodeMs: performance.now() - started }));
    // Awaited in order below; this keeps a failure from counting as unhandled until then.
    task.catch(() => undefined);
    pending.set(index, task);
  };
  for (const [index, file] of files.entries()) {
    for (let k = 0; k <= ahead; k++) start(index + k);
    const task = pending.get(index)!;
    pending.delete(index);
    let outcome: FileOutcome;
    try {
      const { image, decodeMs } = await task;
      outcome = { ok: true, index, file, image, decodeMs, result: await detector.detect(image) };
    } catch (error) {
      if (!(error instanceof BlazefaceError)) throw error;
      outcome = { ok: false, index, file, error };
    }
    yield outcome;
  }
}

async function readAndDecode(file: string, maxPixels: number | undefined): Promise<DecodedOrientedImage> {
  const bytes = await readFile(file).catch(() => {
    throw new InputError('cannot be read', file);
  });
  return readOrientedImage(bytes, file, { maxPixels });
}
