/**
 * Face detection on onnxruntime-node with our own ONNX conversion: letterbox the image to the
 * model input, run the raw model (regressors and logits), then decode, NMS and project back
 * in TypeScript (detect-faces.ts), exactly the path the golden TFLite outputs are checked on.
 */
import { modelAnchorTable } from '../models/anchor-tables.js';
import { loadOnnx, type OnnxTensorOutput } from '../runtimes/onnxruntime/onnx-runner.js';
import { requireEntry } from '../convert/model-context.js';
import { BlazefaceError, InputError } from '../ir/errors.js';
import { letterbox } from '../image/letterbox.js';
import type { RgbImage } from '../image/rgb-image.js';
import { imageToInput } from '../image/to-tensor.js';
import { loadModelFile, type ModelEntry } from '../models/registry.js';
import { letterboxProjection, postprocess, type PostprocessOptions } from './detect-faces.js';
import type { Detection } from './detection.js';
import type { NmsAlgorithm } from './nms.js';
import { cachedOnnx, type CachedOnnx } from './onnx-cache.js';

export interface FaceDetectorOptions {
  /** Keep faces scoring at least this (0..1); defaults to the registry's min_score_thresh. */
  readonly minScore?: number;
  /** Defaults to 'weighted' (MediaPipe's WEIGHTED). */
  readonly nms?: NmsAlgorithm;
  /** ONNX Runtime intra-op threads; 0 (the default) lets it choose. */
  readonly threads?: number;
  /** Where converted models are cached; defaults to defaultCacheDir(). */
  readonly cacheDir?: string;
}

/** Milliseconds spent in each stage of one detect() call. */
export interface DetectTimings {
  readonly letterboxMs: number;
  readonly inferenceMs: number;
  readonly postprocessMs: number;
}

export interface DetectResult {
  /** In the coordinates of the image passed in, highest score first. */
  readonly detections: Detection[];
  readonly timings: DetectTimings;
}

export interface FaceDetector {
  readonly model: ModelEntry;
  /** The score threshold and NMS actually applied. */
  readonly minScore: number;
  readonly nms: NmsAlgorithm;
  /** How the ONNX model was obtained (cache hit or fresh conversion). */
  readonly onnx: CachedOnnx;
  detect(image: RgbImage): Promise<DetectResult>;
  /** Frees the ONNX Runtime session; detect() must not be called afterwards. */
  release(): Promise<void>;
}

/**
 * Loads a registry model (by id, or a file that matches one by sha256: decoding needs its
 * anchors and thresholds, so any other file is a RegistryError) and opens it in ONNX Runtime.
 */
export async function createFaceDetector(ref: string, options: FaceDetectorOptions = {}): Promise<FaceDetector> {
  const file = loadModelFile(ref);
  const model = requireEntry(file, 'face detection');
  const minScore = options.minScore ?? model.decoding.min_score_thresh;
  if (!(minScore >= 0 && minScore <= 1)) throw new InputError(`minimum score ${minScore} is not in [0, 1]`);
  const nms = options.nms ?? 'weighted';
  const onnx = cachedOnnx(file, options.cacheDir);
  const runner = await loadOnnx(onnx.bytes, { threads: options.threads });
  const anchors = modelAnchorTable(model);
  const post: PostprocessOptions = { decoding: { ...model.decoding, min_score_thresh: minScore }, input: model.input, nms };
  const { width, height } = model.input;

  return {
    model,
    minScore,
    nms,
    onnx,
    async detect(image) {
      const t0 = performance.now();
      const boxed = letterbox(image, width, height);
      const input = imageToInput(boxed.image);
      const t1 = performance.now();
      const out = await runner.run({ input: { shape: [1, height, width, 3], data: input } });
      const t2 = performance.now();
      const detections = postprocess(
        output(out, 'regressors', file.path),
        output(out, 'classificators', file.path),
        anchors,
        post,
        letterboxProjection(boxed.transform),
      );
      const t3 = performance.now();
      return { detections, timings: { letterboxMs: t1 - t0, inferenceMs: t2 - t1, postprocessMs: t3 - t2 } };
    },
    release: () => runner.release(),
  };
}

function output(out: Record<string, OnnxTensorOutput>, name: string, file: string): Float32Array {
  const tensor = out[name];
  if (!tensor) throw new BlazefaceError(`the converted ONNX model has no output '${name}' (outputs: ${Object.keys(out).join(', ')})`, file);
  return tensor.data;
}
