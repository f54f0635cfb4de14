import type { Anchor } from '../anchors/anchor.js';
import { InputError } from '../ir/errors.js';
import type { DecodingOptions } from '../models/registry.js';

/** Anchors as objects, or a Float32Array [N,4] of xCenter, yCenter, w, h (the .npy layout). */
export type AnchorTable = readonly Anchor[] | Float32Array;

/** Every anchor decoded, without any threshold: the layout of the "decoded" model variants. */
export interface DecodedTensors {
  /** [N, 4 + 2K]: xmin, ymin, xmax, ymax, then K keypoints as (x, y); 16 values for BlazeFace. */
  readonly boxes: Float32Array;
  /** [N]: sigmoid scores (raw logits when `sigmoid_score` is false). */
  readonly scores: Float32Array;
}

/** A decoded detection in normalized model-input coordinates, before NMS. */
export interface Candidate {
  /** The anchor it came from; after weighted NMS, the anchor of the cluster's best member. */
  readonly anchorIndex: number;
  readonly score: number;
  readonly xmin: number;
  readonly ymin: number;
  readonly xmax: number;
  readonly ymax: number;
  /** x0, y0, x1, y1, … in the model's keypoint order. */
  readonly keypoints: readonly number[];
}

const f32 = Math.fround;

/**
 * Decodes all anchors the way MediaPipe's TensorsToDetectionsCalculator does, in float32.
 *
 * Every step is rounded to float32 in C++ evaluation order, so the result matches a float32
 * graph that computes the same expression (ONNX Div→Mul→Add, CoreML, MediaPipe's CPU path):
 *   x_center = (raw_x / x_scale) * anchor.w + anchor.x_center   (y with y_scale and anchor.h)
 *   w        = (raw_w / w_scale) * anchor.w                     (h with h_scale and anchor.h)
 *   xmin     = x_center - w / 2,  xmax = x_center + w / 2
 *   keypoint = (raw_kx / x_scale) * anchor.w + anchor.x_center  (y likewise)
 *   score    = 1 / (1 + exp(-clamp(logit, -score_clipping_thresh, score_clipping_thresh)))
 * Anchors are rounded to float32 first (a no-op for MediaPipe's float anchors, a guard for
 * tables computed in double), as a float32 constant in a model holds them. Each
 * +, -, *, / of two float32 values computed in double and rounded once is exactly the float32
 * operation; only `exp` may differ from C's `expf` by an ulp. A fused multiply-add in the
 * other runtime can also move the last bit. All BlazeFace scales are powers of two, so a graph
 * that multiplies by 1/scale instead of dividing gives the same bits.
 *
 * `reverse_output_order` true means the raw values come as x, y, w, h and keypoints as x, y
 * (BlazeFace); false means y, x, h, w and y, x (MediaPipe's YXHW default).
 */
export function decodeAll(regressors: Float32Array, logits: Float32Array, anchors: AnchorTable, options: DecodingOptions): DecodedTensors {
  checkInputs(regressors, logits, anchors, options);
  const numBoxes = options.num_boxes;
  const numKeypoints = options.num_keypoints;
  const stride = 4 + 2 * numKeypoints;
  const boxes = new Float32Array(numBoxes * stride);
  const scores = new Float32Array(numBoxes);
  // Index of x inside an (x, y) or (y, x) pair, and of w inside (w, h) or (h, w).
  const xAt = options.reverse_output_order ? 0 : 1;
  const yAt = 1 - xAt;

  for (let i = 0; i < numBoxes; i++) {
    const [ax, ay, aw, ah] = anchorAt(anchors, i);
    const box = i * options.num_coords + options.box_coord_offset;
    const xCenter = f32(f32(f32(regressors[box + xAt]! / options.x_scale) * aw) + ax);
    const yCenter = f32(f32(f32(regressors[box + yAt]! / options.y_scale) * ah) + ay);
    const w = f32(f32(regressors[box + 2 + xAt]! / options.w_scale) * aw);
    const h = f32(f32(regressors[box + 2 + yAt]! / options.h_scale) * ah);
    const halfW = f32(w / 2);
    const halfH = f32(h / 2);
    const out = i * stride;
    boxes[out] = xCenter - halfW;
    boxes[out + 1] = yCenter - halfH;
    boxes[out + 2] = xCenter + halfW;
    boxes[out + 3] = yCenter + halfH;

    for (let k = 0; k < numKeypoints; k++) {
      const kp = i * options.num_coords + options.keypoint_coord_offset + k * options.num_values_per_keypoint;
      boxes[out + 4 + 2 * k] = f32(f32(regressors[kp + xAt]! / options.x_scale) * aw) + ax;
      boxes[out + 5 + 2 * k] = f32(f32(regressors[kp + yAt]! / options.y_scale) * ah) + ay;
    }

    scores[i] = options.sigmoid_score ? sigmoid(logits[i]!, options.score_clipping_thresh) : logits[i]!;
  }
  return { boxes, scores };
}

/**
 * The detections MediaPipe would pass to NMS: every anchor whose score is >= min_score_thresh
 * (MediaPipe drops `score < min`, so a score exactly at the threshold stays), minus boxes whose
 * width or height is negative or NaN (MediaPipe drops those too). The threshold is compared as
 * float32, as MediaPipe's proto float is. Anchor order is kept.
 */
export function decodeDetections(regressors: Float32Array, logits: Float32Array, anchors: AnchorTable, options: DecodingOptions): Candidate[] {
  return candidatesOf(decodeAll(regressors, logits, anchors, options), options);
}

/**
 * The same selection from tensors already decoded, as a model with the decoder built in
 * outputs them (`boxes` [N, 4 + 2K], `scores` [N]).
 */
export function candidatesOf(decoded: DecodedTensors, options: DecodingOptions): Candidate[] {
  const { boxes, scores } = decoded;
  const stride = 4 + 2 * options.num_keypoints;
  if (scores.length !== options.num_boxes || boxes.length !== options.num_boxes * stride) {
    throw new InputError(
      `decoding: decoded outputs hold ${boxes.length} box values and ${scores.length} scores, expected ${options.num_boxes} boxes x ${stride} and ${options.num_boxes}`,
    );
  }
  const minScore = f32(options.min_score_thresh);
  const candidates: Candidate[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    // Written as !(>=) so that a NaN score is dropped rather than kept.
    if (!(score >= minScore)) continue;
    const at = i * stride;
    const xmin = boxes[at]!;
    const ymin = boxes[at + 1]!;
    const xmax = boxes[at + 2]!;
    const ymax = boxes[at + 3]!;
    if (!(xmax - xmin >= 0) || !(ymax - ymin >= 0)) continue;
    const keypoints = Array.from(boxes.subarray(at + 4, at + stride));
    candidates.push({ anchorIndex: i, score, xmin, ymin, xmax, ymax, keypoints });
  }
  return candidates;
}

function sigmoid(logit: number, clip: number): number {
  const clamped = Math.min(Math.max(logit, -clip), clip);
  return f32(1 / f32(1 + f32(Math.exp(-clamped))));
}

function anchorAt(anchors: AnchorTable, i: number): [number, number, number, number] {
  if (anchors instanceof Float32Array) {
    return [anchors[4 * i]!, anchors[4 * i + 1]!, anchors[4 * i + 2]!, anchors[4 * i + 3]!];
  }
  const a = anchors[i]!;
  return [f32(a.xCenter), f32(a.yCenter), f32(a.w), f32(a.h)];
}

function checkInputs(regressors: Float32Array, logits: Float32Array, anchors: AnchorTable, options: DecodingOptions): void {
  const n = options.num_boxes;
  if (options.num_values_per_keypoint < 2) {
    throw new InputError(`decoding: num_values_per_keypoint is ${options.num_values_per_keypoint}, need at least 2 (x, y)`);
  }
  const needCoords = Math.max(options.box_coord_offset + 4, options.keypoint_coord_offset + options.num_keypoints * options.num_values_per_keypoint);
  if (options.num_coords < needCoords) {
    throw new InputError(`decoding: num_coords is ${options.num_coords}, the box and keypoint offsets need ${needCoords}`);
  }
  if (regressors.length !== n * options.num_coords) {
    throw new InputError(`decoding: regressors have ${regressors.length} values, expected ${n} boxes x ${options.num_coords} coords`);
  }
  if (logits.length !== n) {
    throw new InputError(`decoding: scores have ${logits.length} values, expected ${n} (one class per box)`);
  }
  const anchorCount = anchors instanceof Float32Array ? anchors.length / 4 : anchors.length;
  if (anchorCount !== n) {
    throw new InputError(`decoding: ${anchorCount} anchors, expected ${n}`);
  }
}
