/**
 * blazeface-convert: MediaPipe BlazeFace TFLite models to ONNX (and CoreML), checked against
 * the real TFLite runtime. The stages are exported separately so each can be used alone.
 */
export { readTflite, effectiveBuiltinCode, type TfliteFile } from './read/read-tflite.js';
export { loadGraph, targetGraph, type LoadedGraph, type TargetOptions } from './convert/pipeline.js';
export type { Graph, Value, Node, AnyNode, ValueId, Layout, Shape } from './ir/graph.js';
export { DTYPES, type DType } from './ir/dtype.js';
export { OP_TABLE, OP_TYPES, type OpFacts, type OpTable } from './ir/op-table.js';
export type { OpAttrs, OpType } from './ir/attrs.js';
export { emitOnnx, ONNX_OPSET, ONNX_IR_VERSION, type OnnxEmitOptions } from './emit/onnx/emit-onnx.js';
export { convertToOnnx, onnxFileName, type OnnxVariant, type OnnxArtifact } from './convert/convert-onnx.js';
export { loadModelContext, type ModelContext } from './convert/model-context.js';
export { convertToCoreml, coremlFileName, type CoremlVariant, type CoremlArtifact } from './convert/convert-coreml.js';
export { convertToWeights, weightsFolderName, type WeightsVariant, type WeightsArtifact } from './convert/convert-weights.js';
export { emitCoreml, COREML_SPECIFICATION_VERSION } from './emit/coreml/emit-coreml.js';
export { emitWeights, type WeightsManifest } from './emit/weights/emit-weights.js';
export { convertToMlPackage, mlpackageFolderName, type MlPackageVariant, type MlPackageArtifact } from './convert/convert-mlpackage.js';
export {
  emitMlProgram,
  MLPROGRAM_SPECIFICATION_VERSION,
  MLPROGRAM_OPSET,
  type MlProgramEmitOptions,
  type MlPackageFile,
  type MlProgramPrecision,
} from './emit/mlprogram/emit-mlprogram.js';
export { readBlobStorage, BlobStorageWriter, BlobStorageError, type BlobEntry } from './coreml/blob-storage.js';
export { createFaceDetector, type FaceDetector, type FaceDetectorOptions, type DetectResult } from './detect/face-detector.js';
export { uprightImage, type OrientedImage, type Orientation } from './image/orientation.js';
export { listModels, getModel, loadModelFile, MODEL_IDS, type ModelEntry, type ModelId, type DecodingOptions } from './models/registry.js';
export { generateAnchors } from './anchors/generate-anchors.js';
export { anchorsToFloat32, type Anchor } from './anchors/anchor.js';
export { anchorOptionsFromJson } from './anchors/options-json.js';
export type { AnchorOptions } from './anchors/options.js';
export { decodeAll, decodeDetections } from './detect/decode-detections.js';
export { nonMaxSuppression, intersectionOverUnion, type NmsAlgorithm } from './detect/nms.js';
export { postprocess, type PostprocessOptions, type Projection } from './detect/detect-faces.js';
export type { Detection, Keypoint } from './detect/detection.js';
export { KEYPOINT_NAMES, type KeypointName } from './models/keypoints.js';
export { inspectModel, type InspectReport } from './report/inspect.js';
export { findBlazeBlocks, type BlazeBlock } from './passes/find-blaze-blocks.js';
export * from './ir/errors.js';
