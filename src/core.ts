/**
 * `blazeface-convert/core`: the detection core for any JavaScript runtime, browsers included.
 * SSD anchors, decoding of the raw model outputs, non-maximum suppression, MediaPipe's
 * preprocessing (ImageToTensorCalculator: ROI, perspective warp, value range) and the simple
 * letterbox, and the projection of detections back to the image: plain computations on typed
 * arrays. Nothing reachable from this file imports a Node module or a Node-only package
 * (test/package/browser-entry.test.ts walks the graph), so a bundler can pair it with
 * onnxruntime-web and a model converted by the CLI.
 */
export { generateAnchors } from './anchors/generate-anchors.js';
export { anchorsToFloat32, type Anchor } from './anchors/anchor.js';
export { anchorOptionsFromJson } from './anchors/options-json.js';
export type { AnchorOptions } from './anchors/options.js';
export { decodeAll, decodeDetections, type AnchorTable, type Candidate, type DecodedTensors } from './detect/decode-detections.js';
export { nonMaxSuppression, intersectionOverUnion, type Corners, type NmsAlgorithm } from './detect/nms.js';
export { postprocess, letterboxProjection, type PostprocessOptions, type Projection } from './detect/detect-faces.js';
export { toImageDetection, letterboxRemovalProjection, type TensorPlacement } from './detect/mediapipe-projection.js';
export type { Detection, Keypoint } from './detect/detection.js';
export { KEYPOINT_NAMES, type KeypointName } from './models/keypoints.js';
export {
  imageToTensor,
  getRoi,
  padRoi,
  type ImageToTensorOptions,
  type ImageTensor,
  type NormalizedRect,
  type RoiRect,
  type ValueRange,
} from './image/image-to-tensor.js';
export { warpPerspective, type WarpInput, type WarpSource } from './image/warp-perspective.js';
export { orientedView, uprightImage, uprightSize, type OrientedImage, type Orientation, type PixelView } from './image/orientation.js';
export { getPerspectiveTransform, type Matrix3x3, type Point } from './image/perspective-transform.js';
export { removeLetterbox, projectByMatrix, type RelativeDetection } from './image/letterbox-removal.js';
export { letterbox, projectPoint, type LetterboxTransform } from './image/letterbox.js';
export { resizeBilinear } from './image/resize.js';
export { imageToInput } from './image/to-tensor.js';
export type { RgbImage } from './image/rgb-image.js';
export type { DecodingOptions } from './models/registry.js';
export { BlazefaceError, InputError, AnchorOptionsError } from './ir/errors.js';
