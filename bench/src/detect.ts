/**
 * End-to-end detection per image, as `blazeface detect` runs it (PNG decode, letterbox,
 * inference, decoding + NMS + projection), against inference alone on the same letterboxed
 * tensor, interleaved. Shows how much of a detect call the model is.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOnnx } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import { GOLDEN_IMAGES } from '../../src/check/golden.js';
import { createFaceDetector, type DetectTimings } from '../../src/detect/face-detector.js';
import { decodeImage } from '../../src/image/decode-image.js';
import { letterbox } from '../../src/image/letterbox.js';
import { imageToInput } from '../../src/image/to-tensor.js';
import type { ModelId } from '../../src/models/registry.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';
import { interleave, summarize, type Summary } from './timing.js';

export interface DetectResult {
  readonly model: ModelId;
  readonly image: string;
  readonly width: number;
  readonly height: number;
  readonly faces: number;
  /** decode + detect(), wall time. */
  readonly endToEnd: Summary;
  /** The same model run alone on the letterboxed tensor. */
  readonly inferenceOnly: Summary;
  /** Medians of the stages inside the end-to-end runs. */
  readonly stagesMs: { readonly decode: number } & DetectTimings;
}

export async function benchDetect(model: ModelId, options: { readonly runs: number; readonly warmup: number; readonly threads: number }): Promise<DetectResult[]> {
  // A private cache folder: the shared cache is keyed by converter version, not by its code.
  const cacheDir = mkdtempSync(join(tmpdir(), 'blazeface-bench-'));
  try {
    const detector = await createFaceDetector(model, { threads: options.threads, cacheDir });
    const runner = await loadOnnx(detector.onnx.bytes, { threads: options.threads });
    const { width, height } = detector.model.input;
    const results: DetectResult[] = [];
    try {
      for (const name of GOLDEN_IMAGES) {
        const path = join(SHARED_DIR, 'images', `${name}.png`);
        const bytes = new Uint8Array(readFileSync(path));
        const first = decodeImage(bytes, path);
        const tensor = imageToInput(letterbox(first, width, height).image);
        const stages = { decode: [] as number[], letterboxMs: [] as number[], inferenceMs: [] as number[], postprocessMs: [] as number[] };
        let faces = 0;
        const timings = await interleave(
          [
            {
              name: 'endToEnd',
              run: async () => {
                const start = process.hrtime.bigint();
                const image = decodeImage(bytes, path);
                stages.decode.push(Number(process.hrtime.bigint() - start) / 1e6);
                const result = await detector.detect(image);
                faces = result.detections.length;
                stages.letterboxMs.push(result.timings.letterboxMs);
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
          width: first.width,
          height: first.height,
          faces,
          endToEnd: timings.get('endToEnd') ?? summarize([]),
          inferenceOnly: timings.get('inferenceOnly') ?? summarize([]),
          stagesMs: { decode: steady(stages.decode), letterboxMs: steady(stages.letterboxMs), inferenceMs: steady(stages.inferenceMs), postprocessMs: steady(stages.postprocessMs) },
        });
      }
    } finally {
      await Promise.all([detector.release(), runner.release()]);
    }
    return results;
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
