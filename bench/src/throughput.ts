/**
 * Images per second over a folder of photos (photos.ts), decode + detect, with the two cores
 * used in different ways:
 * - `sequential`: one session, decode then detect, one image at a time;
 * - `pipelined` (what `blazeface detect` does, detect-files.ts): one session; the next two
 *   images decode on libuv's threads (sharp) while the main thread makes the tensor, runs the
 *   model and post-processes the current one;
 * - `two sessions`: two images in flight on two sessions in the main thread;
 * - `worker threads`: two workers, each with its own session, decoding and detecting its share;
 * each with ONNX Runtime on 1 intra-op thread, and sequential and pipelined also on 2.
 *
 * The strategies take turns over the whole folder, round after round, so a busy spell of the
 * shared machine falls on all of them. Besides the wall time, the process's CPU time (every
 * thread, workers included) says what each image cost; CPU time / wall time is how many cores
 * the strategy kept busy. On a loaded machine a strategy with more threads also takes a larger
 * share from the other processes, which the wall time rewards and the CPU time does not.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { detectFiles, type FileOutcome } from '../../src/detect/detect-files.js';
import { createFaceDetector, type FaceDetector } from '../../src/detect/face-detector.js';
import { readOrientedImage } from '../../src/image/read-image.js';
import { imageToTensor } from '../../src/image/image-to-tensor.js';
import type { ModelId } from '../../src/models/registry.js';
import { loadOnnx } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import { readFile } from 'node:fs/promises';
import { loadAverage } from './machine.js';
import { summarize } from './timing.js';

export interface ThroughputResult {
  readonly model: ModelId;
  readonly strategy: string;
  readonly ortThreads: number;
  readonly images: number;
  readonly rounds: number;
  /** The fastest round. */
  readonly seconds: number;
  readonly imagesPerSecond: number;
  /** Median over the rounds of the process CPU time per image. */
  readonly cpuMsPerImage: number;
  /** CPU time / wall time in the fastest round. */
  readonly coresBusy: number;
  /** The model alone on one tensor, 1 intra-op thread: median ms. */
  readonly inferenceMs: number;
  /** Wall time per image in the fastest round over inferenceMs. */
  readonly perImageOverInference: number;
  readonly faces: number;
  readonly failed: number;
  readonly load: { readonly before: number; readonly after: number };
}

interface Tally {
  faces: number;
  failed: number;
}

type Strategy = (files: readonly string[], model: ModelId, cacheDir: string, threads: number) => Promise<Tally>;

async function withDetector(model: ModelId, cacheDir: string, threads: number, run: (detector: FaceDetector) => Promise<Tally>): Promise<Tally> {
  const detector = await createFaceDetector(model, { cacheDir, threads });
  try {
    return await run(detector);
  } finally {
    await detector.release();
  }
}

async function countAll(outcomes: AsyncIterable<FileOutcome>): Promise<Tally> {
  const tally = { faces: 0, failed: 0 };
  for await (const o of outcomes) {
    if (o.ok) tally.faces += o.result.detections.length;
    else tally.failed++;
  }
  return tally;
}

const sequential: Strategy = (files, model, cacheDir, threads) =>
  withDetector(model, cacheDir, threads, (detector) => countAll(detectFiles(detector, files, { ahead: 0 })));

const pipelined: Strategy = (files, model, cacheDir, threads) => withDetector(model, cacheDir, threads, (detector) => countAll(detectFiles(detector, files)));

const twoSessions: Strategy = async (files, model, cacheDir, threads) => {
  const detectors = [await createFaceDetector(model, { cacheDir, threads }), await createFaceDetector(model, { cacheDir, threads })];
  let next = 0;
  const tally = { faces: 0, failed: 0 };
  try {
    await Promise.all(
      detectors.map(async (detector) => {
        while (next < files.length) {
          const file = files[next++]!;
          const found = await detector.detect(await readOrientedImage(await readFile(file), file));
          tally.faces += found.detections.length;
        }
      }),
    );
  } finally {
    await Promise.all(detectors.map((d) => d.release()));
  }
  return tally;
};

const workerThreads: Strategy = async (files, model, cacheDir, threads) => {
  const script = join(import.meta.dirname, 'throughput-worker.js');
  let next = 0;
  const tally = { faces: 0, failed: 0 };
  await Promise.all(
    [0, 1].map(
      () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(script, { workerData: { model, cacheDir, threads } });
          worker.on('error', reject);
          worker.on('exit', () => resolve());
          worker.on('message', (message: number | 'ready') => {
            if (message !== 'ready') tally.faces += message;
            worker.postMessage(next < files.length ? files[next++]! : null);
          });
        }),
    ),
  );
  return tally;
};

const STRATEGIES: readonly { readonly name: string; readonly threads: number; readonly run: Strategy }[] = [
  { name: 'sequential', threads: 1, run: sequential },
  { name: 'sequential', threads: 2, run: sequential },
  { name: 'pipelined (detect)', threads: 1, run: pipelined },
  { name: 'pipelined', threads: 2, run: pipelined },
  { name: 'two sessions', threads: 1, run: twoSessions },
  { name: 'worker threads', threads: 1, run: workerThreads },
];

/** The strategy `blazeface detect` uses on a folder. */
export const DETECT_STRATEGY = 'pipelined (detect), ONNX Runtime on 1 thread, 2 images decoding ahead';

/** The model alone on one tensor of the model's size, 1 intra-op thread: median ms. */
async function inferenceAlone(model: ModelId, file: string, cacheDir: string): Promise<number> {
  const detector = await createFaceDetector(model, { cacheDir, threads: 1 });
  const runner = await loadOnnx(detector.onnx.bytes, { threads: 1 });
  try {
    const { width, height } = detector.input;
    const tensor = imageToTensor(await readOrientedImage(await readFile(file), file), { width, height }).tensor;
    const times: number[] = [];
    for (let i = 0; i < 230; i++) {
      const start = process.hrtime.bigint();
      await runner.run({ input: { shape: [1, height, width, 3], data: tensor } });
      if (i >= 30) times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return summarize(times).medianMs;
  } finally {
    await runner.release();
    await detector.release();
  }
}

export async function benchThroughput(model: ModelId, files: readonly string[], cacheDir: string, rounds: number): Promise<ThroughputResult[]> {
  // Warm the model cache and the page cache once, untimed.
  await sequential(files.slice(0, 10), model, cacheDir, 1);
  const inference = await inferenceAlone(model, files[1]!, cacheDir);
  const runs = STRATEGIES.map(() => [] as { seconds: number; cpuMs: number; tally: Tally; load: number }[]);
  const before = loadAverage();
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < STRATEGIES.length; k++) {
      const index = (round + k) % STRATEGIES.length;
      const { name, threads, run } = STRATEGIES[index]!;
      const cpu = process.cpuUsage();
      const started = performance.now();
      const tally = await run(files, model, cacheDir, threads);
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      runs[index]!.push({ seconds, cpuMs: (used.user + used.system) / 1000, tally, load: loadAverage() });
      process.stderr.write(
        `  ${model} ${name}, ORT ${threads} thread(s), round ${round + 1}: ${(files.length / seconds).toFixed(1)} images/s, load ${loadAverage()}\n`,
      );
    }
  }
  const after = loadAverage();
  return STRATEGIES.map(({ name, threads }, i) => {
    const all = runs[i]!;
    const best = all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    return {
      model,
      strategy: name,
      ortThreads: threads,
      images: files.length,
      rounds,
      seconds: best.seconds,
      imagesPerSecond: files.length / best.seconds,
      cpuMsPerImage: summarize(all.map((r) => r.cpuMs / files.length)).medianMs,
      coresBusy: best.cpuMs / 1000 / best.seconds,
      inferenceMs: inference,
      perImageOverInference: (best.seconds * 1000) / files.length / inference,
      faces: best.tally.faces,
      failed: best.tally.failed,
      load: { before, after },
    };
  });
}
