/**
 * End-to-end detection per image, as `blazeface detect` runs it (decode with sharp, the input
 * tensor, inference, decoding + NMS + projection), against inference alone on the same tensor,
 * interleaved. Images: a 1280x720 JPEG made from ../shared/images/people (bench/src/photos.ts)
 * and the three 128x128 seed PNGs; both ways of making the tensor (MediaPipe's exact warp, the
 * default, and the earlier bilinear resize).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GOLDEN_IMAGES } from '../../src/check/golden.js';
import { createFaceDetector, type DetectTimings, type ResizeMethod } from '../../src/detect/face-detector.js';
import { imageToTensor } from '../../src/image/image-to-tensor.js';
import { letterbox } from '../../src/image/letterbox.js';
import { uprightImage } from '../../src/image/orientation.js';
import { readOrientedImage } from '../../src/image/read-image.js';
import { imageToInput } from '../../src/image/to-tensor.js';
import type { ModelId } from '../../src/models/registry.js';
import { loadOnnx } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';
import { makeHd } from './photos.js';
import { interleave, summarize, type Summary } from './timing.js';

export interface DetectResult {
  readonly model: ModelId;
  readonly image: string;
  readonly resize: ResizeMethod;
  readonly width: number;
  readonly height: number;
  readonly faces: number;
  /** decode + detect(), wall time. */
  readonly endToEnd: Summary;
  /** The same model run alone on the same input tensor. */
  readonly inferenceOnly: Summary;
  /** Medians of the stages inside the end-to-end runs. */
  readonly stagesMs: { readonly decode: number } & DetectTimings;
}

export async function benchDetect(
  model: ModelId,
  options: { readonly runs: number; readonly warmup: number; readonly threads: number; readonly resize: readonly ResizeMethod[] },
): Promise<DetectResult[]> {
  // A private cache folder: the shared cache is keyed by converter version, not by its code.
  const dir = mkdtempSync(join(tmpdir(), 'blazeface-bench-'));
  try {
    const images = [
      { name: '1280x720.jpg', path: await makeHd(join(dir, 'hd.jpg')) },
      ...GOLDEN_IMAGES.map((name) => ({ name: `${name}.png`, path: join(SHARED_DIR, 'images', `${name}.png`) })),
    ];
    const runner = await loadOnnx((await createFaceDetector(model, { cacheDir: dir })).onnx.bytes, { threads: options.threads });
    const results: DetectResult[] = [];
    try {
      for (const resize of options.resize) {
        const detector = await createFaceDetector(model, { threads: options.threads, cacheDir: dir, resize });
        const { width, height } = detector.input;
        try {
          for (const { name, path } of images) {
            const bytes = readFileSync(path);
            const first = await readOrientedImage(bytes, path);
            const tensor =
              resize === 'mediapipe' ? imageToTensor(first, { width, height }).tensor : imageToInput(letterbox(uprightImage(first), width, height).image);
            const stages = { decode: [] as number[], preprocessMs: [] as number[], inferenceMs: [] as number[], postprocessMs: [] as number[] };
            let faces = 0;
            const timings = await interleave(
              [
                {
                  name: 'endToEnd',
                  run: async () => {
                    const start = process.hrtime.bigint();
                    const image = await readOrientedImage(bytes, path);
                    stages.decode.push(Number(process.hrtime.bigint() - start) / 1e6);
                    const result = await detector.detect(image);
                    faces = result.detections.length;
                    stages.preprocessMs.push(result.timings.preprocessMs);
                    stages.inferenceMs.push(result.timings.inferenceMs);
                    stages.postprocessMs.push(result.timings.postprocessMs);
                  },
                },
                { name: 'inferenceOnly', run: () => runner.run({ input: { shape: [1, height, width, 3], data: tensor } }) },
              ],
              options,
            );
            // The stage lists include the warm-up rounds; drop them like interleave() does.
            const steady = (xs: readonly number[]): number => summarize(xs.slice(options.warmup)).medianMs;
            results.push({
              model,
              image: name,
              resize,
              width: first.width,
              height: first.height,
              faces,
              endToEnd: timings.get('endToEnd') ?? summarize([]),
              inferenceOnly: timings.get('inferenceOnly') ?? summarize([]),
              stagesMs: {
                decode: steady(stages.decode),
                preprocessMs: steady(stages.preprocessMs),
                inferenceMs: steady(stages.inferenceMs),
                postprocessMs: steady(stages.postprocessMs),
              },
            });
          }
        } finally {
          await detector.release();
        }
      }
    } finally {
      await runner.release();
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
