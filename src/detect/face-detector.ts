/**
 * SSD detection (faces, palms, any MediaPipe Blaze detector) on onnxruntime-node with our own
 * ONNX conversion: the image to the model input, the raw model (regressors and logits), then
 * decoding, NMS and projection back to the image in TypeScript.
 *
 * Two ways to make the input tensor:
 * - `mediapipe` (the default): MediaPipe's ImageToTensorCalculator, byte-exact with its OpenCV
 *   warp (image/image-to-tensor.ts), and DetectionProjectionCalculator with its MATRIX output
 *   back to the image (detect/mediapipe-projection.ts): the faces MediaPipe itself reports.
 * - `bilinear`: the earlier half-pixel-centre resize with whole-pixel letterbox padding
 *   (image/letterbox.ts), the path the golden TFLite outputs are made on; kept for comparison.
 */
import { loadOnnx, type OnnxTensorOutput } from '../runtimes/onnxruntime/onnx-runner.js';
import { loadModelContext, requireDetector, type ModelContext, type ModelInput } from '../convert/model-context.js';
import { registryInput, type DetectorOverrides } from '../convert/resolve-detector.js';
import { detectorAnchorTable, registryDetector, type DetectorSpec } from '../models/detector.js';
import { BlazefaceError, InputError } from '../ir/errors.js';
import { imageToTensor } from '../image/image-to-tensor.js';
import { letterbox, type LetterboxTransform } from '../image/letterbox.js';
import { type OrientedImage, uprightImage, uprightSize } from '../image/orientation.js';
import type { RgbImage } from '../image/rgb-image.js';
import { imageToInput } from '../image/to-tensor.js';
import { loadModelFile, type ModelEntry } from '../models/registry.js';
import { decodeAndSuppress, letterboxProjection, postprocess, type PostprocessOptions } from './detect-faces.js';
import type { Detection } from './detection.js';
import { toImageDetection } from './mediapipe-projection.js';
import type { NmsAlgorithm } from './nms.js';
import { cachedOnnxOf, type CachedOnnx } from './onnx-cache.js';

/** How the image becomes the model input; see the file comment. */
export type ResizeMethod = 'mediapipe' | 'bilinear';
export const RESIZE_METHODS: readonly ResizeMethod[] = ['mediapipe', 'bilinear'];

export interface FaceDetectorOptions {
  /** Keep detections scoring at least this (0..1); defaults to the detector's min_score_thresh. */
  readonly minScore?: number;
  /** Defaults to 'weighted' (MediaPipe's WEIGHTED). */
  readonly nms?: NmsAlgorithm;
  /** Defaults to 'mediapipe'. */
  readonly resize?: ResizeMethod;
  /** ONNX Runtime intra-op threads; 0 (the default) lets it choose. */
  readonly threads?: number;
  /** Where converted models are cached; defaults to defaultCacheDir(). */
  readonly cacheDir?: string;
  /** Anchor and decoding option files replacing the registry's or the inferred ones. */
  readonly overrides?: DetectorOverrides;
}

/** Milliseconds spent in each stage of one detect() call. */
export interface DetectTimings {
  /** Image to input tensor (warp or resize, and the value range). */
  readonly preprocessMs: number;
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
  readonly resize: ResizeMethod;
  /** How the ONNX model was obtained (cache hit or fresh conversion). */
  readonly onnx: CachedOnnx;
  /**
   * Faces in `image`; an `OrientedImage` (readOrientedImage) is detected as a viewer shows it,
   * and the coordinates refer to that upright frame.
   */
  detect(image: RgbImage | OrientedImage): Promise<DetectResult>;
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
  let ctx: ModelContext | undefined;
  const context = (): ModelContext => (ctx ??= loadModelContext(file, undefined, { overrides: options.overrides }));
  // A registry detector's decoding and input are the registry's (what the context would say):
  // with its ONNX in the cache, the model need not be read into the IR at all.
  const known = file.entry && !options.overrides ? knownDetector(file.entry) : undefined;
  const detector = known ?? requireDetector(context(), 'detection');
  const input = known && file.entry ? registryInput(file.entry) : context().input;
  const minScore = options.minScore ?? detector.decoding.min_score_thresh;
  if (!(minScore >= 0 && minScore <= 1)) throw new InputError(`minimum score ${minScore} is not in [0, 1]`);
  const nms = options.nms ?? 'weighted';
  const resize = options.resize ?? 'mediapipe';
  const onnx = cachedOnnxOf(file, context, options.cacheDir);
  const runner = await loadOnnx(onnx.bytes, { threads: options.threads });
  const anchors = detectorAnchorTable(detector);
  const post: PostprocessOptions = { decoding: { ...detector.decoding, min_score_thresh: minScore }, input, nms, keypoints: detector.keypoints };
  const { width, height, range } = input;

  return {
    name: file.name,
    detector,
    input,
    minScore,
    nms,
    onnx,
    resize,
    async detect(image) {
      const t0 = performance.now();
      const frame = 'stored' in image ? uprightSize(image) : image;
      const prepared =
        resize === 'mediapipe'
          ? imageToTensor(image, { width, height, range: { min: range[0], max: range[1] } })
          : bilinearInput('stored' in image ? uprightImage(image) : image, width, height, range);
      const t1 = performance.now();
      const out = await runner.run({ input: { shape: [1, height, width, 3], data: prepared.tensor } });
      const t2 = performance.now();
      const regressors = output(out, 'regressors', file.path);
      const logits = output(out, 'classificators', file.path);
      const detections =
        'matrix' in prepared
          ? decodeAndSuppress(regressors, logits, anchors, post)
              .map((c) => toImageDetection(c, { matrix: prepared.matrix, width: frame.width, height: frame.height }, detector.keypoints))
              .sort((a, b) => b.score - a.score)
          : postprocess(regressors, logits, anchors, post, letterboxProjection(prepared.transform));
      const t3 = performance.now();
      return { detections, timings: { preprocessMs: t1 - t0, inferenceMs: t2 - t1, postprocessMs: t3 - t2 } };
    },
    release: () => runner.release(),
  };
}

/** The registry's detector, or undefined when the entry has none or its options are refused (the context then says why). */
function knownDetector(entry: ModelEntry): DetectorSpec | undefined {
  try {
    return registryDetector(entry);
  } catch (error) {
    if (error instanceof BlazefaceError) return undefined;
    throw error;
  }
}

function bilinearInput(
  image: RgbImage,
  width: number,
  height: number,
  range: readonly [number, number],
): { tensor: Float32Array; transform: LetterboxTransform } {
  const boxed = letterbox(image, width, height);
  return { tensor: imageToInput(boxed.image, range), transform: boxed.transform };
}

function output(out: Record<string, OnnxTensorOutput>, name: string, file: string): Float32Array {
  const tensor = out[name];
  if (!tensor) throw new BlazefaceError(`the converted ONNX model has no output '${name}' (outputs: ${Object.keys(out).join(', ')})`, file);
  return tensor.data;
}
