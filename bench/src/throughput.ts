/**
 * Images per second over a folder of photos (bench/src/photos.ts), decode + detect, with the
 * two cores used in different ways:
 * - `sequential`: decode, then detect, one image at a time;
 * - `decode ahead`: what `blazeface detect` does: the next images decode on libuv's threads
 *   (sharp) while the main thread runs the tensor, the model and the post-processing;
 * - `two sessions`: two images in flight on two ONNX Runtime sessions in the main thread;
 * - `worker threads`: two workers, each with its own session, decoding and detecting its share;
 * each with ONNX Runtime on 1 thread and on 2.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { createFaceDetector, type FaceDetector } from '../../src/detect/face-detector.js';
import { readImage } from '../../src/image/read-image.js';
import type { ModelId } from '../../src/models/registry.js';

export interface ThroughputResult {
  readonly model: ModelId;
  readonly strategy: string;
  readonly ortThreads: number;
  readonly images: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly faces: number;
}

type Strategy = (files: readonly string[], model: ModelId, cacheDir: string, threads: number) => Promise<number>;

async function detectFile(detector: FaceDetector, file: string): Promise<number> {
  return (await detector.detect(await readImage(await readFile(file), file))).detections.length;
}

const sequential: Strategy = async (files, model, cacheDir, threads) => {
  const detector = await createFaceDetector(model, { cacheDir, threads });
  let faces = 0;
  for (const file of files) faces += await detectFile(detector, file);
  await detector.release();
  return faces;
};

const decodeAhead: Strategy = async (files, model, cacheDir, threads) => {
  const detector = await createFaceDetector(model, { cacheDir, threads });
  const decodes = new Map<number, ReturnType<typeof readImage>>();
  const start = (i: number): void => {
    if (i < files.length && !decodes.has(i))
      decodes.set(
        i,
        readFile(files[i]!).then((b) => readImage(b, files[i]!)),
      );
  };
  let faces = 0;
  for (let i = 0; i < files.length; i++) {
    for (let k = 0; k <= 2; k++) start(i + k);
    faces += (await detector.detect(await decodes.get(i)!)).detections.length;
    decodes.delete(i);
  }
  await detector.release();
  return faces;
};

const twoSessions: Strategy = async (files, model, cacheDir, threads) => {
  const detectors = [await createFaceDetector(model, { cacheDir, threads }), await createFaceDetector(model, { cacheDir, threads })];
  let next = 0;
  let faces = 0;
  await Promise.all(
    detectors.map(async (detector) => {
      while (next < files.length) {
        const found = await detectFile(detector, files[next++]!);
        faces += found;
      }
    }),
  );
  await Promise.all(detectors.map((d) => d.release()));
  return faces;
};

const workerThreads: Strategy = async (files, model, cacheDir, threads) => {
  const script = join(import.meta.dirname, 'throughput-worker.js');
  let next = 0;
  let faces = 0;
  await Promise.all(
    [0, 1].map(
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(script, { workerData: { model, cacheDir, threads } });
          worker.on('error', reject);
          worker.on('exit', () => resolve());
          worker.on('message', (message: number | 'ready') => {
            if (message !== 'ready') faces += message;
            worker.postMessage(next < files.length ? files[next++]! : null);
          });
        }),
    ),
  );
  return faces;
};

export const STRATEGIES: Readonly<Record<string, Strategy>> = {
  sequential,
  'decode ahead': decodeAhead,
  'two sessions': twoSessions,
  'worker threads': workerThreads,
};

export async function benchThroughput(model: ModelId, files: readonly string[], cacheDir: string): Promise<ThroughputResult[]> {
  // Warm the cache and the page cache once, untimed.
  await sequential(files.slice(0, 10), model, cacheDir, 1);
  const results: ThroughputResult[] = [];
  for (const ortThreads of [1, 2]) {
    for (const [strategy, run] of Object.entries(STRATEGIES)) {
      const started = performance.now();
      const faces = await run(files, model, cacheDir, ortThreads);
      const seconds = (performance.now() - started) / 1000;
      results.push({ model, strategy, ortThreads, images: files.length, seconds, imagesPerSecond: files.length / seconds, faces });
      process.stderr.write(`  ${model} ${strategy}, ORT ${ortThreads} thread(s): ${(files.length / seconds).toFixed(1)} images/s\n`);
    }
  }
  return results;
}
