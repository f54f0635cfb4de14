/**
 * TypeScript shapes of the messages in our Core ML subset (schemas/coreml/*.proto), as
 * `decodeMlmodel` returns them and `encodeMlmodel` accepts them: every field optional (an
 * unset proto3 field is simply absent), 64-bit integers as numbers, enums by name, bytes as
 * Uint8Array. Keep this file in step with the .proto files; test/coreml/schema.test.ts checks
 * that the layer kinds below match the schema's `layer` oneof.
 *
 * A decoded enum whose number the schema does not name stays a number, so every enum type
 * admits `number`: readers must refuse values they do not know instead of guessing.
 */
type Enum<Names extends string> = Names | number;

export interface Model {
  specificationVersion?: number;
  description?: ModelDescription;
  neuralNetwork?: NeuralNetwork;
}

export interface ModelDescription {
  input?: FeatureDescription[];
  output?: FeatureDescription[];
  metadata?: Metadata;
}

export interface FeatureDescription {
  name?: string;
  shortDescription?: string;
  type?: FeatureType;
}

export interface Metadata {
  shortDescription?: string;
  versionString?: string;
  author?: string;
  license?: string;
  userDefined?: Record<string, string>;
}

export interface FeatureType {
  imageType?: ImageFeatureType;
  multiArrayType?: ArrayFeatureType;
}

export type ColorSpace = Enum<'INVALID_COLOR_SPACE' | 'GRAYSCALE' | 'RGB' | 'BGR'>;

export interface ImageFeatureType {
  width?: number;
  height?: number;
  colorSpace?: ColorSpace;
}

export type ArrayDataType = Enum<'INVALID_ARRAY_DATA_TYPE' | 'FLOAT16' | 'FLOAT32' | 'DOUBLE' | 'INT32'>;

export interface ArrayFeatureType {
  shape?: number[];
  dataType?: ArrayDataType;
}

export interface NeuralNetwork {
  layers?: NeuralNetworkLayer[];
  preprocessing?: NeuralNetworkPreprocessing[];
  arrayInputShapeMapping?: Enum<'RANK5_ARRAY_MAPPING' | 'EXACT_ARRAY_MAPPING'>;
  imageInputShapeMapping?: Enum<'RANK5_IMAGE_MAPPING' | 'RANK4_IMAGE_MAPPING'>;
}

export interface NeuralNetworkPreprocessing {
  featureName?: string;
  scaler?: NeuralNetworkImageScaler;
  meanImage?: { meanImage?: number[] };
}

export interface NeuralNetworkImageScaler {
  channelScale?: number;
  blueBias?: number;
  greenBias?: number;
  redBias?: number;
  grayBias?: number;
}

export interface TensorDescription {
  rank?: number;
  dimValue?: number[];
}

/** Parameter messages keyed by the name of their member in NeuralNetworkLayer's `layer` oneof. */
export interface LayerParams {
  convolution: ConvolutionLayerParams;
  pooling: PoolingLayerParams;
  activation: ActivationParams;
  innerProduct: InnerProductLayerParams;
  softmax: Empty;
  padding: PaddingLayerParams;
  upsample: UpsampleLayerParams;
  unary: UnaryFunctionLayerParams;
  add: ScalarAlpha;
  multiply: ScalarAlpha;
  scale: ScaleLayerParams;
  bias: BiasLayerParams;
  loadConstant: LoadConstantLayerParams;
  reshape: ReshapeLayerParams;
  flatten: FlattenLayerParams;
  permute: { axis?: number[] };
  concat: { sequenceConcat?: boolean };
  reorganizeData: ReorganizeDataLayerParams;
  slice: SliceLayerParams;
  clip: { minVal?: number; maxVal?: number };
  addBroadcastable: Empty;
  divideBroadcastable: Empty;
  multiplyBroadcastable: Empty;
  subtractBroadcastable: Empty;
  stack: Axis;
  softmaxND: Axis;
  splitND: SplitNDLayerParams;
  concatND: Axis;
  transpose: { axes?: number[] };
  sliceStatic: SliceStaticLayerParams;
  batchedMatmul: BatchedMatMulLayerParams;
  loadConstantND: LoadConstantLayerParams;
  squeeze: { axes?: number[]; squeezeAll?: boolean };
  expandDims: { axes?: number[] };
  reshapeStatic: { targetShape?: number[] };
  constantPad: ConstantPaddingLayerParams;
  reduceMean: ReduceLayerParams;
}

export type LayerKind = keyof LayerParams;

/** Every layer kind, in the schema's field-number order. */
export const LAYER_KINDS: readonly LayerKind[] = [
  'convolution',
  'pooling',
  'activation',
  'innerProduct',
  'softmax',
  'padding',
  'upsample',
  'unary',
  'add',
  'multiply',
  'scale',
  'bias',
  'loadConstant',
  'reshape',
  'flatten',
  'permute',
  'concat',
  'reorganizeData',
  'slice',
  'clip',
  'addBroadcastable',
  'divideBroadcastable',
  'multiplyBroadcastable',
  'subtractBroadcastable',
  'stack',
  'softmaxND',
  'splitND',
  'concatND',
  'transpose',
  'sliceStatic',
  'batchedMatmul',
  'loadConstantND',
  'squeeze',
  'expandDims',
  'reshapeStatic',
  'constantPad',
  'reduceMean',
];

export type NeuralNetworkLayer = {
  name?: string;
  input?: string[];
  output?: string[];
  inputTensor?: TensorDescription[];
  outputTensor?: TensorDescription[];
  isUpdatable?: boolean;
} & { [K in LayerKind]?: LayerParams[K] };

// Messages without fields of their own.
export type Empty = Record<string, never>;

export interface ScalarAlpha {
  alpha?: number;
}

export interface Axis {
  axis?: number;
}

export interface WeightParams {
  floatValue?: readonly number[] | Float32Array;
  float16Value?: Uint8Array;
  rawValue?: Uint8Array;
  int8RawValue?: Uint8Array;
  quantization?: { numberOfBits?: number };
  isUpdatable?: boolean;
}

export interface BorderAmounts {
  borderAmounts?: { startEdgeSize?: number; endEdgeSize?: number }[];
}

export interface ValidPadding {
  paddingAmounts?: BorderAmounts;
}

export interface SamePadding {
  asymmetryMode?: Enum<'BOTTOM_RIGHT_HEAVY' | 'TOP_LEFT_HEAVY'>;
}

export interface ConvolutionLayerParams {
  outputChannels?: number;
  kernelChannels?: number;
  nGroups?: number;
  kernelSize?: number[];
  stride?: number[];
  dilationFactor?: number[];
  valid?: ValidPadding;
  same?: SamePadding;
  isDeconvolution?: boolean;
  hasBias?: boolean;
  weights?: WeightParams;
  bias?: WeightParams;
  outputShape?: number[];
}

export interface PoolingLayerParams {
  type?: Enum<'MAX' | 'AVERAGE' | 'L2'>;
  kernelSize?: number[];
  stride?: number[];
  valid?: ValidPadding;
  same?: SamePadding;
  includeLastPixel?: { paddingAmounts?: number[] };
  avgPoolExcludePadding?: boolean;
  globalPooling?: boolean;
}

export interface ActivationParams {
  linear?: { alpha?: number; beta?: number };
  ReLU?: Empty;
  leakyReLU?: { alpha?: number };
  PReLU?: { alpha?: WeightParams };
  tanh?: Empty;
  sigmoid?: Empty;
}

export interface InnerProductLayerParams {
  inputChannels?: number;
  outputChannels?: number;
  hasBias?: boolean;
  weights?: WeightParams;
  bias?: WeightParams;
  int8DynamicQuantize?: boolean;
}

export interface PaddingLayerParams {
  constant?: { value?: number };
  reflection?: Empty;
  replication?: Empty;
  paddingAmounts?: BorderAmounts;
}

export interface UpsampleLayerParams {
  scalingFactor?: number[];
  mode?: Enum<'NN' | 'BILINEAR'>;
  linearUpsampleMode?: Enum<'DEFAULT' | 'ALIGN_CORNERS_TRUE' | 'ALIGN_CORNERS_FALSE'>;
  fractionalScalingFactor?: number[];
}

export interface UnaryFunctionLayerParams {
  type?: Enum<'SQRT' | 'RSQRT' | 'INVERSE' | 'POWER' | 'EXP' | 'LOG' | 'ABS' | 'THRESHOLD'>;
  alpha?: number;
  epsilon?: number;
  shift?: number;
  scale?: number;
}

export interface ScaleLayerParams {
  shapeScale?: number[];
  scale?: WeightParams;
  hasBias?: boolean;
  shapeBias?: number[];
  bias?: WeightParams;
}

export interface BiasLayerParams {
  shape?: number[];
  bias?: WeightParams;
}

export interface LoadConstantLayerParams {
  shape?: number[];
  data?: WeightParams;
}

export interface ReshapeLayerParams {
  targetShape?: number[];
  mode?: Enum<'CHANNEL_FIRST' | 'CHANNEL_LAST'>;
}

export interface FlattenLayerParams {
  mode?: Enum<'CHANNEL_FIRST' | 'CHANNEL_LAST'>;
}

export interface ReorganizeDataLayerParams {
  mode?: Enum<'SPACE_TO_DEPTH' | 'DEPTH_TO_SPACE' | 'PIXEL_SHUFFLE'>;
  blockSize?: number;
}

export interface SliceLayerParams {
  startIndex?: number;
  endIndex?: number;
  stride?: number;
  axis?: Enum<'CHANNEL_AXIS' | 'HEIGHT_AXIS' | 'WIDTH_AXIS'>;
}

export interface SplitNDLayerParams {
  axis?: number;
  numSplits?: number;
  splitSizes?: number[];
}

export interface SliceStaticLayerParams {
  beginIds?: number[];
  beginMasks?: boolean[];
  endIds?: number[];
  endMasks?: boolean[];
  strides?: number[];
  squeezeMasks?: boolean[];
}

export interface BatchedMatMulLayerParams {
  transposeA?: boolean;
  transposeB?: boolean;
  weightMatrixFirstDimension?: number;
  weightMatrixSecondDimension?: number;
  hasBias?: boolean;
  weights?: WeightParams;
  bias?: WeightParams;
  int8DynamicQuantize?: boolean;
}

export interface ConstantPaddingLayerParams {
  value?: number;
  padAmounts?: number[];
  padToGivenOutputSizeMode?: boolean;
}

export interface ReduceLayerParams {
  axes?: number[];
  keepDims?: boolean;
  reduceAll?: boolean;
}
