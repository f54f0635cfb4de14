import type { DType } from './dtype.js';
import type { Layout } from './graph.js';
import type { ExpandableActivation, MeanAttrs, OpAttrs, OpType, StridedSliceAttrs } from './attrs.js';
import { sliceCounts } from './shape-util.js';

/**
 * How the layout pass treats an op when activations move from NHWC to NCHW:
 * - `spatial`: computes on image axes; runs on NCHW data, its weights are re-laid (see `weights`);
 * - `elementwise`: follows its inputs' layout; constant operands are re-laid to broadcast the same way;
 * - `axis`: follows its input's layout and remaps the axes its attributes name (`remapAxes`);
 * - `nhwc`: defined on NHWC element order (flattening, matmul); gets NHWC inputs back.
 */
export type LayoutKind = 'spatial' | 'elementwise' | 'axis' | 'nhwc';

/**
 * What an input position is for: `activation` (computed data), `weights` and `bias` (the
 * parameters of a convolution), `operand` (a tensor operand that may be constant, e.g. an ADD
 * table), `parameter` (a constant the reader turns into attributes and drops).
 */
export type InputRole = 'activation' | 'weights' | 'bias' | 'operand' | 'parameter';

/** A constant kernel: its layout in the TFLite file and the one it is re-laid to for NCHW execution. */
export interface WeightLayout {
  readonly position: number;
  readonly tflite: Layout;
  readonly nchw: Layout;
}

/** A field of the TFLite options table the converter refuses unless it holds its default. */
export interface RefusedField {
  readonly field: string;
  readonly default: number | boolean;
}

/** What the TFLite reader takes from the operator. Field names are the schema module's (camelCase). */
export interface TfliteFacts {
  /** BuiltinOptions union member the operator must carry, or null for none. */
  readonly options: string | null;
  /** Fields the reader turns into attributes. */
  readonly read: readonly string[];
  /** Fields refused when not at their default. */
  readonly refused: readonly RefusedField[];
  /** Fields knowingly left unread, with the reason. */
  readonly ignored?: Readonly<Record<string, string>>;
}

export interface OpFacts<K extends OpType> {
  readonly layout: LayoutKind;
  /** Role of each input position, in order; positions past the end do not exist. */
  readonly inputs: readonly InputRole[];
  /** How many trailing inputs may be absent (a convolution's bias, RESHAPE's shape). */
  readonly optionalInputs?: number;
  /** Takes any number of inputs, each with the role of the last listed one. */
  readonly variadic?: boolean;
  /** The dtypes the first input may have; every other tensor input is float32. Default: float32. */
  readonly inputDtypes?: readonly DType[];
  readonly weights?: readonly WeightLayout[];
  /** Output channel c depends on input channel c alone (for a kernel op: with one filter per channel), and zeros stay zeros. */
  readonly channelWise?: boolean;
  /** f(0, 0) = 0 element by element. */
  readonly zeroPreserving?: boolean;
  /**
   * A sliding window with explicit `pads` that a zero PAD before it can fold into: `zero` pads
   * with zeros (convolutions), `max` with -infinity (exact for zero padding only on
   * non-negative input).
   */
  readonly window?: 'zero' | 'max';
  /** `non-negative`: the output is never negative; `keeps`: non-negative input gives non-negative output. */
  readonly sign?: 'non-negative' | 'keeps';
  /** Carries a fused activation attribute until `expandFusedActivation`. */
  readonly fusedActivation?: boolean;
  /** Applied to a constant input at conversion time: the op disappears in `foldConstants`. */
  readonly constantFold?: 'densify' | 'dequantize';
  readonly tflite: TfliteFacts;
  /**
   * For `axis` ops: the attrs after the input axes were permuted by `perm` (new axis i = old
   * axis perm[i]), or undefined when the op cannot follow the permutation (its output would
   * keep permuted axes in a rank the layout pass does not track): it then runs on NHWC data.
   */
  readonly remapAxes?: (attrs: OpAttrs[K], perm: readonly number[]) => OpAttrs[K] | undefined;
}

export type OpTable = { readonly [K in OpType]: OpFacts<K> };

const ACTIVATION: TfliteFacts['read'] = ['fusedActivationFunction'];
const CONV_WINDOW = ['padding', 'strideW', 'strideH', 'dilationWFactor', 'dilationHFactor', ...ACTIVATION];
const NO_OPTIONS: TfliteFacts = { options: null, read: [], refused: [] };
const elementwise = { layout: 'elementwise', inputs: ['activation', 'operand'], zeroPreserving: true } as const;
const activation = { layout: 'elementwise', inputs: ['activation'], channelWise: true, sign: 'non-negative', tflite: NO_OPTIONS } as const;

/** Every per-op fact a pass needs, in one place. `test/ir/op-table.test.ts` checks it against the TFLite schema. */
export const OP_TABLE: OpTable = {
  CONV_2D: {
    layout: 'spatial',
    inputs: ['activation', 'weights', 'bias'],
    optionalInputs: 1,
    weights: [{ position: 1, tflite: 'OHWI', nchw: 'OIHW' }],
    window: 'zero',
    fusedActivation: true,
    tflite: { options: 'Conv2DOptions', read: CONV_WINDOW, refused: [{ field: 'quantizedBiasType', default: 0 }] },
  },
  DEPTHWISE_CONV_2D: {
    layout: 'spatial',
    inputs: ['activation', 'weights', 'bias'],
    optionalInputs: 1,
    weights: [{ position: 1, tflite: '1HWC', nchw: 'C1HW' }],
    channelWise: true,
    window: 'zero',
    fusedActivation: true,
    tflite: {
      options: 'DepthwiseConv2DOptions',
      read: CONV_WINDOW,
      refused: [],
      ignored: { depthMultiplier: 'old files leave it 0 or inconsistent; the kernel shape is authoritative' },
    },
  },
  MAX_POOL_2D: {
    layout: 'spatial',
    inputs: ['activation'],
    channelWise: true,
    window: 'max',
    sign: 'keeps',
    fusedActivation: true,
    tflite: { options: 'Pool2DOptions', read: ['padding', 'strideW', 'strideH', 'filterWidth', 'filterHeight', ...ACTIVATION], refused: [] },
  },
  ADD: {
    ...elementwise,
    fusedActivation: true,
    tflite: { options: 'AddOptions', read: ACTIVATION, refused: [], ignored: { potScaleInt16: 'applies to int16 quantized kernels only' } },
  },
  SUB: {
    ...elementwise,
    fusedActivation: true,
    tflite: { options: 'SubOptions', read: ACTIVATION, refused: [], ignored: { potScaleInt16: 'applies to int16 quantized kernels only' } },
  },
  MUL: { ...elementwise, fusedActivation: true, tflite: { options: 'MulOptions', read: ACTIVATION, refused: [] } },
  MINIMUM: { ...elementwise, tflite: NO_OPTIONS },
  MAXIMUM: { ...elementwise, tflite: NO_OPTIONS },
  RELU: activation,
  RELU6: activation,
  LOGISTIC: { layout: 'elementwise', inputs: ['activation'], sign: 'non-negative', tflite: NO_OPTIONS },
  RESHAPE: {
    layout: 'nhwc',
    inputs: ['activation', 'parameter'],
    optionalInputs: 1,
    tflite: { options: 'ReshapeOptions', read: ['newShape'], refused: [] },
  },
  CONCATENATION: {
    layout: 'axis',
    inputs: ['activation'],
    variadic: true,
    fusedActivation: true,
    tflite: { options: 'ConcatenationOptions', read: ['axis', ...ACTIVATION], refused: [] },
    remapAxes: (attrs, perm) => ({ ...attrs, axis: perm.indexOf(attrs.axis) }),
  },
  PAD: {
    layout: 'axis',
    inputs: ['activation', 'parameter'],
    sign: 'keeps',
    tflite: { options: 'PadOptions', read: [], refused: [] },
    remapAxes: (attrs, perm) => ({ paddings: perm.map((axis) => attrs.paddings[axis] ?? [0, 0]) }),
  },
  TRANSPOSE: { layout: 'nhwc', inputs: ['activation', 'parameter'], tflite: { options: 'TransposeOptions', read: [], refused: [] } },
  DEPTH_TO_SPACE: { layout: 'spatial', inputs: ['activation'], tflite: { options: 'DepthToSpaceOptions', read: ['blockSize'], refused: [] } },
  RESIZE_BILINEAR: {
    layout: 'spatial',
    inputs: ['activation', 'parameter'],
    channelWise: true,
    tflite: {
      options: 'ResizeBilinearOptions',
      read: ['alignCorners', 'halfPixelCenters'],
      refused: [],
      ignored: { newHeight: 'deprecated: the size input is authoritative', newWidth: 'deprecated: the size input is authoritative' },
    },
  },
  DEQUANTIZE: {
    layout: 'elementwise',
    inputs: ['activation'],
    inputDtypes: ['float16'],
    constantFold: 'dequantize',
    tflite: { options: 'DequantizeOptions', read: [], refused: [] },
  },
  DENSIFY: {
    layout: 'elementwise',
    inputs: ['activation'],
    inputDtypes: ['float32', 'float16'],
    constantFold: 'densify',
    tflite: { options: 'DensifyOptions', read: [], refused: [] },
  },
  CAST: {
    layout: 'elementwise',
    inputs: ['activation'],
    inputDtypes: ['uint8', 'int32', 'float16', 'float32'],
    tflite: {
      options: 'CastOptions',
      read: [],
      refused: [],
      ignored: { inDataType: 'the input tensor type is authoritative', outDataType: 'the output tensor type is authoritative' },
    },
  },
  BATCH_MATMUL: {
    layout: 'nhwc',
    inputs: ['activation', 'operand'],
    tflite: { options: 'BatchMatMulOptions', read: ['adjX', 'adjY'], refused: [{ field: 'asymmetricQuantizeInputs', default: false }] },
  },
  PRELU: { layout: 'elementwise', inputs: ['activation', 'operand'], zeroPreserving: true, tflite: NO_OPTIONS },
  MEAN: {
    layout: 'axis',
    inputs: ['activation', 'parameter'],
    sign: 'keeps',
    tflite: { options: 'ReducerOptions', read: ['keepDims'], refused: [] },
    remapAxes: remapMean,
  },
  FULLY_CONNECTED: {
    layout: 'nhwc',
    inputs: ['activation', 'weights', 'bias'],
    optionalInputs: 1,
    weights: [{ position: 1, tflite: 'OI', nchw: 'OI' }],
    fusedActivation: true,
    tflite: {
      options: 'FullyConnectedOptions',
      read: ['keepNumDims', ...ACTIVATION],
      refused: [
        { field: 'weightsFormat', default: 0 },
        { field: 'asymmetricQuantizeInputs', default: false },
        { field: 'quantizedBiasType', default: 0 },
      ],
    },
  },
  STRIDED_SLICE: {
    layout: 'axis',
    inputs: ['activation', 'parameter', 'parameter', 'parameter'],
    sign: 'keeps',
    tflite: {
      options: 'StridedSliceOptions',
      read: ['beginMask', 'endMask', 'ellipsisMask', 'newAxisMask', 'shrinkAxisMask'],
      // Newer than the TFLite runtime the golden outputs come from (it ignores the flag), so nothing could check it.
      refused: [{ field: 'offset', default: false }],
    },
    remapAxes: remapStridedSlice,
  },
};

/** Reduced axes follow the permutation; without keepDims the kept axes must stay in their order (NCHW [N,C] from reducing H and W does). */
function remapMean(attrs: MeanAttrs, perm: readonly number[]): MeanAttrs | undefined {
  const axes = attrs.axes.map((axis) => perm.indexOf(axis)).sort((a, b) => a - b);
  const kept = perm.filter((_, i) => !axes.includes(i));
  if (!attrs.keepDims && kept.some((axis, i) => i > 0 && axis < (kept[i - 1] ?? 0))) return undefined;
  return { ...attrs, axes };
}

/** A slice that keeps the rank permutes with its input; one that adds or drops axes runs on NHWC data. */
function remapStridedSlice(attrs: StridedSliceAttrs, perm: readonly number[]): StridedSliceAttrs | undefined {
  if (attrs.shape.join() !== sliceCounts(attrs).join()) return undefined;
  const pick = (list: readonly number[]): number[] => perm.map((axis) => list[axis] ?? 0);
  return { begin: pick(attrs.begin), end: pick(attrs.end), strides: pick(attrs.strides), shape: pick(attrs.shape) };
}

export function isOpType(name: string): name is OpType {
  return Object.hasOwn(OP_TABLE, name);
}

export const OP_TYPES: readonly OpType[] = Object.keys(OP_TABLE).filter(isOpType);

/** The op each expandable fused activation becomes; the others are refused when the file is read. */
export const ACTIVATION_OPS: { readonly [A in ExpandableActivation]: A & OpType } = { RELU: 'RELU', RELU6: 'RELU6' };

export function isExpandableActivation(name: string): name is ExpandableActivation {
  return Object.hasOwn(ACTIVATION_OPS, name);
}
