import { InputError } from '../ir/errors.js';
import { type LetterboxTransform, projectPoint } from '../image/letterbox.js';
import type { DecodingOptions } from '../models/registry.js';
import { type AnchorTable, type Candidate, candidatesOf, type DecodedTensors, decodeDetections } from './decode-detections.js';
import type { Detection } from './detection.js';
import { keypointNames, type KeypointName } from '../models/keypoints.js';
import { type NmsAlgorithm, nonMaxSuppression } from './nms.js';

export interface PostprocessOptions {
  /** The registry entry's `decoding`; its `min_suppression_threshold` is the NMS IoU threshold. */
  readonly decoding: DecodingOptions;
  /** The model input size; pixel values refer to it when no projection is given. */
  readonly input: { readonly width: number; readonly height: number };
  /** Defaults to 'weighted', MediaPipe's choice for its face graphs. */
  readonly nms?: NmsAlgorithm;
  /** One name per keypoint; default: the keypoint family with num_keypoints names (keypoints.ts). */
  readonly keypoints?: readonly KeypointName[];
}

/** Maps detections from the (letterboxed) model input back to the original image. */
export interface Projection {
  /** Normalized model-input coordinates → normalized original-image coordinates. */
  readonly project: (x: number, y: number) => readonly [number, number];
  /** The original image size in pixels. */
  readonly width: number;
  readonly height: number;
}

/** The projection that undoes `letterbox`: back to the original image and its pixel size. */
export function letterboxProjection(transform: LetterboxTransform): Projection {
  return {
    project: (x, y) => projectPoint(transform, x, y),
    width: transform.sourceWidth,
    height: transform.sourceHeight,
  };
}

/**
 * Model outputs → faces: decode (score >= min_score_thresh), NMS, then projection to the
 * original image. Without a projection the coordinates stay relative to the model input.
 * Sorted by score, highest first.
 */
export function postprocess(
  regressors: Float32Array,
  logits: Float32Array,
  anchors: AnchorTable,
  options: PostprocessOptions,
  projection?: Projection,
): Detection[] {
  const kept = decodeAndSuppress(regressors, logits, anchors, options);
  const target = projection ?? identityProjection(options);
  const names = keypointNamesOf(options);
  return kept.map((c) => toDetection(c, target, names)).sort((a, b) => b.score - a.score);
}

/**
 * The same for a model with the decoder built in (ONNX `--decode`, Core ML's image variants):
 * its decoded `boxes` and `scores` thresholded, suppressed and projected like postprocess's.
 */
export function postprocessDecoded(decoded: DecodedTensors, options: PostprocessOptions, projection?: Projection): Detection[] {
  const names = keypointNamesOf(options);
  const kept = nonMaxSuppression(candidatesOf(decoded, options.decoding), options.nms ?? 'weighted', options.decoding.min_suppression_threshold);
  return kept.map((c) => toDetection(c, projection ?? identityProjection(options), names)).sort((a, b) => b.score - a.score);
}

function identityProjection(options: PostprocessOptions): Projection {
  return { project: (x, y) => [x, y], width: options.input.width, height: options.input.height };
}

/** The options' keypoint names, or the family's with num_keypoints names; they must fit the count. */
export function keypointNamesOf(options: PostprocessOptions): readonly KeypointName[] {
  const names = options.keypoints ?? keypointNames(options.decoding.num_keypoints).names;
  if (options.decoding.num_keypoints !== names.length) {
    throw new InputError(`decoding: num_keypoints is ${options.decoding.num_keypoints}, but ${names.length} keypoint names are given`);
  }
  return names;
}

/** Decoding (score >= min_score_thresh) and NMS: the detections in normalized model-input coordinates. */
export function decodeAndSuppress(regressors: Float32Array, logits: Float32Array, anchors: AnchorTable, options: PostprocessOptions): Candidate[] {
  keypointNamesOf(options);
  const candidates = decodeDetections(regressors, logits, anchors, options.decoding);
  return nonMaxSuppression(candidates, options.nms ?? 'weighted', options.decoding.min_suppression_threshold);
}

function toDetection(candidate: Candidate, projection: Projection, names: readonly KeypointName[]): Detection {
  const { project, width, height } = projection;
  const [x0, y0] = project(candidate.xmin, candidate.ymin);
  const [x1, y1] = project(candidate.xmax, candidate.ymax);
  // min/max keep the box well formed even if the projection mirrors an axis.
  const xmin = Math.min(x0, x1);
  const xmax = Math.max(x0, x1);
  const ymin = Math.min(y0, y1);
  const ymax = Math.max(y0, y1);
  const keypoints = names.map((name, k) => {
    const [x, y] = project(candidate.keypoints[2 * k]!, candidate.keypoints[2 * k + 1]!);
    return { name, x, y, xPixels: x * width, yPixels: y * height };
  });
  return {
    score: candidate.score,
    box: { xmin, ymin, xmax, ymax, width: xmax - xmin, height: ymax - ymin },
    boxPixels: { x: xmin * width, y: ymin * height, width: (xmax - xmin) * width, height: (ymax - ymin) * height },
    keypoints,
  };
}
