/**
 * SSD detection (faces, palms, any MediaPipe Blaze detector) on onnxruntime-node with our own
 * ONNX conversion: letterbox the image to the model input, run the raw model (regressors and
 * logits), then decode, NMS and project back in TypeScript (detect-faces.ts), exactly the path
 * the golden TFLite outputs are checked on.
 */
import { loadOnnx, type OnnxTensorOutput } from '../runtimes/onnxruntime/onnx-runner.js';
import { loadModelContext, requireDetector, type ModelInput } from '../convert/model-context.js';
import type { DetectorOverrides } from '../convert/resolve-detector.js';
import { BlazefaceError, InputError } from '../ir/errors.js';
import { letterbox } from '../image/letterbox.js';
import type { RgbImage } from '../image/rgb-image.js';
import { imageToInput } from '../image/to-tensor.js';
import { detectorAnchorTable, type DetectorSpec } from '../models/detector.js';
import { loadModelFile } from '../models/registry.js';
import { letterboxProjection, postprocess, type PostprocessOptions } from './detect-faces.js';
import type { Detection } from './detection.js';
import type { NmsAlgorithm } from './nms.js';
import { cachedOnnx, type CachedOnnx } from './onnx-cache.js';

export interface FaceDetectorOptions {
  /** Keep detections scoring at least this (0..1); defaults to the detector's min_score_thresh. */
  readonly minScore?: number;
  /** Defaults to 'weighted' (MediaPipe's WEIGHTED). */
  readonly nms?: NmsAlgorithm;
  /** ONNX Runtime intra-op threads; 0 (the default) lets it choose. */
  readonly threads?: number;
  /** Where converted models are cached; defaults to defaultCacheDir(). */
  readonly cacheDir?: string;
  /** Anchor and decoding option files replacing the registry's or the inferred ones. */
  readonly overrides?: DetectorOverrides;
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
  /** The registry id, or the file name without extension. */
  readonly name: string;
  readonly detector: DetectorSpec;
  readonly input: ModelInput;
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
 * Loads a model (a registry id or any file: a file the registry does not know gets anchors
 * inferred from its graph, see resolve-detector.ts) and opens it in ONNX Runtime. A model that
 * is not an SSD detector is a RegistryError.
 */
export async function createFaceDetector(ref: string, options: FaceDetectorOptions = {}): Promise<FaceDetector> {
  const file = loadModelFile(ref);
  const ctx = loadModelContext(file, { overrides: options.overrides });
  const detector = requireDetector(ctx, 'detection');
  const minScore = options.minScore ?? detector.decoding.min_score_thresh;
  if (!(minScore >= 0 && minScore <= 1)) throw new InputError(`minimum score ${minScore} is not in [0, 1]`);
  const nms = options.nms ?? 'weighted';
  const onnx = cachedOnnx(ctx, options.cacheDir);
  const runner = await loadOnnx(onnx.bytes, { threads: options.threads });
  const anchors = detectorAnchorTable(detector);
  const { width, height, range } = ctx.input;
  const post: PostprocessOptions = { decoding: { ...detector.decoding, min_score_thresh: minScore }, input: ctx.input, nms, keypoints: detector.keypoints };

  return {
    name: file.name,
    detector,
    input: ctx.input,
    minScore,
    nms,
    onnx,
    async detect(image) {
      const t0 = performance.now();
      const boxed = letterbox(image, width, height);
      const input = imageToInput(boxed.image, range);
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
