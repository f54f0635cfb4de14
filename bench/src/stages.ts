/**
 * Where the time of one `detect` goes, stage by stage, on JPEG photos (photos.ts): a 1280x720,
 * a 1920x1080, and the 1280x720 stored sideways with EXIF orientation 6 as a phone stores a
 * portrait. Each round runs every stage once in pipeline order, then the whole path
 * (decode + detect()) and the model alone on the same tensor, the three in rotating order.
 * Stages are timed by the wall clock and by the process's CPU time (the decoding runs on a
 * libuv thread, which the process's CPU time includes); the minimum is the figure least
 * disturbed by other work on a shared machine, the median the typical one.
 *
 * Stages: reading the file; the header (sharp's metadata, which the pixel limit and the
 * orientation come from); decoding to RGB as stored (header included); turning the image
 * upright with libvips (readImage's time less readOrientedImage's: what `detect` paid before
 * the warp read through the orientation, and no longer pays); the tensor (MediaPipe's warp and the value range); the model;
 * decoding the boxes; NMS; projection to the image; and, with --out only, the annotated JPEG.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { convertToOnnx } from '../../src/convert/convert-onnx.js';
import { loadModelContext, requireDetector } from '../../src/convert/model-context.js';
import { annotate } from '../../src/detect/annotate.js';
import { decodeDetections } from '../../src/detect/decode-detections.js';
import { createFaceDetector } from '../../src/detect/face-detector.js';
import { toImageDetection } from '../../src/detect/mediapipe-projection.js';
import { nonMaxSuppression } from '../../src/detect/nms.js';
import { imageToTensor } from '../../src/image/image-to-tensor.js';
import { uprightImage } from '../../src/image/orientation.js';
import { readImage, readOrientedImage } from '../../src/image/read-image.js';
import { detectorAnchorTable } from '../../src/models/detector.js';
import { loadModelFile, type ModelId } from '../../src/models/registry.js';
import { loadOnnx } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import { loadAverage } from './machine.js';
import { makeGroup, makeHd, makeSideways } from './photos.js';
import { summarize } from './timing.js';

/** The face detectors, the models this section measures. */
export const FACE_MODELS: readonly string[] = ['short_range', 'full_range', 'full_range_sparse', 'front', 'back'];

export const STAGE_NAMES = [
  'read file',
  'header',
  'decode',
  'upright (libvips)',
  'tensor',
  'inference',
  'decode boxes',
  'NMS',
  'projection',
  'annotate JPEG',
] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export interface StageFigure {
  readonly minMs: number;
  readonly medianMs: number;
  /** Median process CPU time (all threads). */
  readonly cpuMs: number;
}

export interface StagesResult {
  readonly model: ModelId;
  readonly image: string;
  readonly width: number;
  readonly height: number;
  readonly orientation: number;
  readonly faces: number;
  readonly stages: Readonly<Record<StageName, StageFigure>>;
  /** readOrientedImage + detect(), bytes in memory: the "decode + preprocess + inference + decode + NMS + projection". */
  readonly endToEnd: StageFigure;
  readonly inferenceAlone: StageFigure;
  readonly load: { readonly before: number; readonly after: number };
}

export interface PhotoFile {
  readonly name: string;
  readonly path: string;
}

/** The three photos, made in `dir`. */
export async function stagePhotos(dir: string): Promise<PhotoFile[]> {
  return [
    { name: '1280x720 JPEG', path: await makeHd(join(dir, 'hd.jpg')) },
    { name: '1920x1080 JPEG', path: await makeGroup(join(dir, 'group.jpg')) },
    { name: '1280x720 JPEG, stored 720x1280 with EXIF orientation 6', path: await makeSideways(join(dir, 'sideways.jpg')) },
  ];
}

class Clock {
  readonly wall: number[] = [];
  readonly cpu: number[] = [];

  async time<T>(run: () => T | Promise<T>, keep: boolean): Promise<T> {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const value = await run();
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    const used = process.cpuUsage(cpu);
    if (keep) {
      this.wall.push(wall);
      this.cpu.push((used.user + used.system) / 1000);
    }
    return value;
  }

  figure(): StageFigure {
    const wall = summarize(this.wall);
    return { minMs: wall.minMs, medianMs: wall.medianMs, cpuMs: summarize(this.cpu).medianMs };
  }
}

export async function benchStages(
  model: ModelId,
  photos: readonly PhotoFile[],
  options: { readonly runs: number; readonly warmup: number; readonly cacheDir: string },
): Promise<StagesResult[]> {
  const ctx = loadModelContext(loadModelFile(model));
  const spec = requireDetector(ctx, 'detection');
  const anchors = detectorAnchorTable(spec);
  const { width, height, range } = ctx.input;
  const detector = await createFaceDetector(model, { threads: 1, cacheDir: options.cacheDir });
  const runner = await loadOnnx(convertToOnnx(ctx).bytes, { threads: 1 });
  const results: StagesResult[] = [];
  try {
    for (const photo of photos) {
      const before = loadAverage();
      const clocks = Object.fromEntries(STAGE_NAMES.map((s) => [s, new Clock()])) as Record<StageName, Clock>;
      // readImage turns the pixels upright in libvips: the upright stage is its extra time over readOrientedImage.
      const decodeUpright = new Clock();
      const whole = new Clock();
      const alone = new Clock();
      const bytes = await readFile(photo.path);
      const first = await readOrientedImage(bytes, photo.path);
      const fixedTensor = imageToTensor(first, { width, height, range: { min: range[0], max: range[1] } }).tensor;
      let faces = 0;
      let round = 0;
      const stages = async (keep: boolean): Promise<void> => {
        const c = clocks;
        const file = await c['read file'].time(() => readFile(photo.path), keep);
        await c.header.time(() => sharp(file, { limitInputPixels: false }).metadata(), keep);
        const image = await c.decode.time(() => readOrientedImage(file, photo.path), keep);
        await decodeUpright.time(() => readImage(file, photo.path), keep);
        const prepared = await c.tensor.time(() => imageToTensor(image, { width, height, range: { min: range[0], max: range[1] } }), keep);
        const out = await c.inference.time(() => runner.run({ input: { shape: [1, height, width, 3], data: prepared.tensor } }), keep);
        const candidates = await c['decode boxes'].time(() => decodeDetections(out.regressors!.data, out.classificators!.data, anchors, spec.decoding), keep);
        const kept = await c.NMS.time(() => nonMaxSuppression(candidates, 'weighted', spec.decoding.min_suppression_threshold), keep);
        const detections = await c.projection.time(
          () => kept.map((k) => toImageDetection(k, { matrix: prepared.matrix, width: image.width, height: image.height }, spec.keypoints)),
          keep,
        );
        faces = detections.length;
        // Tens of milliseconds, and only with --out: a fifth of the rounds is plenty.
        if (round % 5 === 0) await c['annotate JPEG'].time(() => annotate(uprightImage(image), detections, 'jpeg'), keep);
      };
      const contenders = [
        stages,
        (keep: boolean) => whole.time(async () => detector.detect(await readOrientedImage(bytes, photo.path)), keep),
        (keep: boolean) => alone.time(() => runner.run({ input: { shape: [1, height, width, 3], data: fixedTensor } }), keep),
      ];
      for (round = 0; round < options.warmup + options.runs; round++) {
        for (let k = 0; k < contenders.length; k++) await contenders[(round + k) % contenders.length]!(round >= options.warmup);
      }
      const figures = Object.fromEntries(STAGE_NAMES.map((s) => [s, clocks[s].figure()])) as Record<StageName, StageFigure>;
      const upright = decodeUpright.figure();
      const decoded = figures.decode;
      figures['upright (libvips)'] = {
        minMs: Math.max(0, upright.minMs - decoded.minMs),
        medianMs: Math.max(0, upright.medianMs - decoded.medianMs),
        cpuMs: Math.max(0, upright.cpuMs - decoded.cpuMs),
      };
      results.push({
        model,
        image: photo.name,
        width: first.width,
        height: first.height,
        orientation: first.orientation,
        faces,
        stages: figures,
        endToEnd: whole.figure(),
        inferenceAlone: alone.figure(),
        load: { before, after: loadAverage() },
      });
      process.stderr.write(`  stages: ${model} ${photo.name} done\n`);
    }
  } finally {
    await runner.release();
    await detector.release();
  }
  return results;
}
