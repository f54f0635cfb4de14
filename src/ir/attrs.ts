import type { DType } from './dtype.js';

/**
 * The typed attributes of every IR op, keyed by the op's TFLite BuiltinOperator name. The IR
 * op type is the key set of this map, so adding an op starts here; every per-stage registry
 * (`Record<OpType, …>`) then fails to compile until the op has an entry.
 */
export interface OpAttrs {
  readonly CONV_2D: Conv2dAttrs;
  readonly DEPTHWISE_CONV_2D: DepthwiseConv2dAttrs;
  readonly MAX_POOL_2D: MaxPool2dAttrs;
  readonly ADD: FusedActivationAttrs;
  readonly SUB: FusedActivationAttrs;
  readonly MUL: FusedActivationAttrs;
  readonly MINIMUM: NoAttrs;
  readonly MAXIMUM: NoAttrs;
  readonly RELU: NoAttrs;
  readonly RELU6: NoAttrs;
  readonly LOGISTIC: NoAttrs;
  readonly RESHAPE: ReshapeAttrs;
  readonly CONCATENATION: ConcatenationAttrs;
  readonly PAD: PadAttrs;
  readonly TRANSPOSE: TransposeAttrs;
  readonly DEPTH_TO_SPACE: DepthToSpaceAttrs;
  readonly RESIZE_BILINEAR: ResizeBilinearAttrs;
  readonly DEQUANTIZE: NoAttrs;
  readonly DENSIFY: NoAttrs;
  readonly CAST: CastAttrs;
  readonly BATCH_MATMUL: BatchMatMulAttrs;
  readonly PRELU: NoAttrs;
  readonly MEAN: MeanAttrs;
  readonly FULLY_CONNECTED: FullyConnectedAttrs;
  readonly STRIDED_SLICE: StridedSliceAttrs;
}

export type OpType = keyof OpAttrs;

export type NoAttrs = Readonly<Record<string, never>>;

/** TFLite's fused activation, as every op that carries one names it. */
export type Activation = 'NONE' | 'RELU' | 'RELU_N1_TO_1' | 'RELU6' | 'TANH' | 'SIGN_BIT';

/** The fused activations the IR can make explicit: each is an op of its own. */
export type ExpandableActivation = 'RELU' | 'RELU6';

/** Ops that carry a fused activation until `expandFusedActivation` splits it off. */
export interface FusedActivationAttrs {
  readonly activation: Activation;
}

/** TFLite's Padding enum: SAME = 0, VALID = 1. */
export type PaddingMode = 'SAME' | 'VALID';

/** Explicit [top, left, bottom, right] padding of a window op. */
export type Pads = readonly [number, number, number, number];

/** What CONV_2D and DEPTHWISE_CONV_2D share: their options tables name the window the same way. */
export interface ConvWindowAttrs extends FusedActivationAttrs {
  readonly padding: PaddingMode;
  readonly pads: Pads;
  readonly strides: readonly [number, number];
  readonly dilations: readonly [number, number];
}

/** Inputs: activation, kernel OHWI (OIHW after the layout pass), optional bias [O]. */
export type Conv2dAttrs = ConvWindowAttrs;

/**
 * Inputs: activation, kernel [1, kh, kw, C*multiplier] ('1HWC'), optional bias. After the
 * layout pass the kernel is [C*multiplier, 1, kh, kw] ('C1HW'): a grouped convolution with one
 * group per input channel.
 */
export interface DepthwiseConv2dAttrs extends ConvWindowAttrs {
  readonly depthMultiplier: number;
}

export interface MaxPool2dAttrs extends FusedActivationAttrs {
  readonly padding: PaddingMode;
  /** Padded cells never win the max (TFLite and ONNX MaxPool agree on this). */
  readonly pads: Pads;
  readonly filter: readonly [number, number];
  readonly strides: readonly [number, number];
}

export interface ReshapeAttrs {
  /** The fully resolved output shape (no -1). */
  readonly shape: readonly number[];
}

export interface ConcatenationAttrs extends FusedActivationAttrs {
  /** Non-negative axis in the input's current layout. */
  readonly axis: number;
}

export interface PadAttrs {
  /** [before, after] per axis of the input's current layout; the pad value is 0. */
  readonly paddings: readonly (readonly [number, number])[];
}

export interface TransposeAttrs {
  /** Output axis i is input axis perm[i]. */
  readonly perm: readonly number[];
}

/** TFLite's NHWC DEPTH_TO_SPACE moves channel blocks in the order ONNX calls DCR. */
export interface DepthToSpaceAttrs {
  readonly blockSize: number;
}

export interface ResizeBilinearAttrs {
  readonly size: readonly [number, number];
  readonly alignCorners: boolean;
  readonly halfPixelCenters: boolean;
}

export interface CastAttrs {
  readonly to: DType;
}

export interface BatchMatMulAttrs {
  readonly adjX: boolean;
  readonly adjY: boolean;
}

export interface MeanAttrs {
  /** Reduced axes of the input's current layout: non-negative, ascending, no repeats. */
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

/** Inputs: activation, weights [O, I], optional bias [O]. */
export interface FullyConnectedAttrs extends FusedActivationAttrs {
  /** Keep the input's leading dims ([..., O]) instead of flattening them to [batches, O]. */
  readonly keepNumDims: boolean;
}

/**
 * TFLite's masks resolved at read time: one entry per input axis in its current layout, the
 * slice taking begin, begin + stride, ... up to (excluding) end, as TFLite's kernel counts
 * them: begin in [0, dim) and end in [-1, dim], so a negative stride may run through index 0
 * (end -1). Shrunk and new axes do not move data; `shape`, the output shape, carries them.
 */
export interface StridedSliceAttrs {
  readonly begin: readonly number[];
  readonly end: readonly number[];
  readonly strides: readonly number[];
  readonly shape: readonly number[];
}
