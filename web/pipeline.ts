/**
 * One face detection with the browser-safe core, the runtime passed in: the page runs it on
 * onnxruntime-web and test/web/browser.test.ts on onnxruntime-node, so both sides share every
 * step but the inference. Imports only src/core.ts (relative, so the bundle needs no package
 * resolution of our own name).
 */
import {
  type AnchorTable,
  anchorOptionsFromJson,
  anchorsToFloat32,
  type DecodingOptions,
  type Detection,
  generateAnchors,
  imageToTensor,
  type LetterboxTransform,
  letterboxRemovalProjection,
  postprocess,
  type WarpSource,
} from '../src/core.js';

/** What the server's /models.json says about one face model: enough to decode its outputs. */
export interface WebModel {
  readonly id: string;
  readonly title: string;
  readonly input: { readonly width: number; readonly height: number; readonly range: readonly [number, number] };
  readonly anchors: Readonly<Record<string, unknown>>;
  readonly decoding: DecodingOptions;
  /** Where the converted ONNX is served. */
  readonly onnx: string;
}

/** The raw model outputs, as our converter names them. */
export interface RawOutputs {
  readonly regressors: Float32Array;
  readonly classificators: Float32Array;
}

/** Runs the converted model on an NHWC float32 tensor of shape [1, height, width, 3]. */
export type Infer = (tensor: Float32Array, shape: readonly [1, number, number, 3]) => Promise<RawOutputs>;

export interface Prepared {
  readonly tensor: Float32Array;
  readonly letterbox: LetterboxTransform;
}

export interface StageTimings {
  readonly preprocessMs: number;
  readonly inferenceMs: number;
  readonly postprocessMs: number;
}

export interface PipelineResult {
  readonly prepared: Prepared;
  readonly outputs: RawOutputs;
  readonly detections: Detection[];
  readonly timings: StageTimings;
}

export function modelAnchors(model: WebModel): AnchorTable {
  return anchorsToFloat32(generateAnchors(anchorOptionsFromJson(model.anchors, `models.json, model ${model.id}`)));
}

/** MediaPipe's ImageToTensorCalculator: letterboxed warp to the model input, values in its range. */
export function prepare(model: WebModel, image: WarpSource): Prepared {
  const { width, height, range } = model.input;
  const { tensor, letterbox } = imageToTensor(image, { width, height, range: { min: range[0], max: range[1] } });
  return { tensor, letterbox };
}

/** Decoding, weighted NMS and DetectionLetterboxRemovalCalculator's projection to the image. */
export function finish(model: WebModel, anchors: AnchorTable, prepared: Prepared, outputs: RawOutputs): Detection[] {
  return postprocess(
    outputs.regressors,
    outputs.classificators,
    anchors,
    { decoding: model.decoding, input: model.input, nms: 'weighted' },
    letterboxRemovalProjection(prepared.letterbox),
  );
}

export async function detect(model: WebModel, anchors: AnchorTable, image: WarpSource, infer: Infer): Promise<PipelineResult> {
  const t0 = performance.now();
  const prepared = prepare(model, image);
  const t1 = performance.now();
  const outputs = await infer(prepared.tensor, [1, model.input.height, model.input.width, 3]);
  const t2 = performance.now();
  const detections = finish(model, anchors, prepared, outputs);
  const t3 = performance.now();
  return { prepared, outputs, detections, timings: { preprocessMs: t1 - t0, inferenceMs: t2 - t1, postprocessMs: t3 - t2 } };
}
