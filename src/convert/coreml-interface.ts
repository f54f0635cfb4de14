import type { Metadata } from '../coreml/types.js';
import type { CoremlImageInput } from '../emit/coreml/emit-coreml.js';
import type { Graph } from '../ir/graph.js';
import { BlazefaceError } from '../ir/errors.js';
import { CONVERTER_NAME, CONVERTER_VERSION } from '../models/version.js';
import { renameValues } from '../passes/rename-values.js';
import { decoderOptions, requireDetector, type ModelContext } from './model-context.js';
import { optionsMetadata, provenance, provenanceMetadata } from './provenance.js';
import { describeOutputs, inputRangeText } from './describe-outputs.js';

/**
 * What a Core ML model of either kind (NeuralNetwork .mlmodel, ML Program .mlpackage) shows the
 * app: the graph with its inputs and outputs named, the image input's scaling, the metadata and
 * the descriptions of each feature. Both converters build it here, so the two kinds of model
 * stand in for each other.
 */
export interface CoremlInterfaceVariant {
  /**
   * Multi-array input `input`, float32 NCHW [1,3,H,W] in the model's range, and the model's
   * own outputs (for a detector `regressors` / `classificators`), instead of an RGB image in
   * and, for a detector, decoded boxes and scores out.
   */
  readonly raw?: boolean;
  /** Name the decoded outputs `1477` (boxes) and `1011` (scores), as the seed app's model does. */
  readonly seedCompatible?: boolean;
}

export interface CoremlInterface {
  /** The emit-ready graph (portable profile, NCHW input) with the interface's names. */
  readonly graph: Graph;
  /** Each output of the converted graph (`boxes`, `regressors`, a landmark output, ...) → its name in this model. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly imageInput?: CoremlImageInput;
  readonly metadata: Metadata;
  readonly featureDescriptions: Readonly<Record<string, string>>;
}

/** The seed app's output names, which coremltools took from the PyTorch graph. */
export const SEED_OUTPUTS = { boxes: '1477', scores: '1011' } as const;

/** Core ML's image scaler maps each 8-bit channel c to scale * c + bias: the model's input range. */
export function imageScaler(range: readonly [number, number]): CoremlImageInput {
  return { scale: (range[1] - range[0]) / 255, bias: range[0] };
}

/** `userDefined` entries beyond the common ones (the weight precision, the deployment target) come from the caller. */
export function coremlInterface(ctx: ModelContext, variant: CoremlInterfaceVariant, userDefinedExtra: Readonly<Record<string, string>>): CoremlInterface {
  const { file, detector } = ctx;
  if (variant.raw && variant.seedCompatible)
    throw new BlazefaceError('--seed-compatible names the decoded outputs; it cannot be combined with --raw', file.path);
  if (variant.seedCompatible) requireDetector(ctx, '--seed-compatible');
  const decode = !variant.raw && detector ? decoderOptions(detector) : undefined;
  const built = ctx.target({ decode, nchwInput: true, profile: 'portable' });
  const seedName = (id: string): string => (variant.seedCompatible ? ((SEED_OUTPUTS as Readonly<Record<string, string>>)[id] ?? id) : id);
  const outputs: Record<string, string> = Object.fromEntries(built.outputs.map((id) => [id, seedName(id)]));
  const graph = renameValues(built, new Map([['input', variant.raw ? 'input' : 'image'], ...Object.entries(outputs)]));
  const [, , height, width] = graph.values.get(graph.inputs[0] ?? '')?.shape ?? [];
  const { sourceFile, title } = provenance(file);
  const range = inputRangeText(ctx.input.range);
  const userDefined = { ...provenanceMetadata(file), ...userDefinedExtra, input_range: range, ...optionsMetadata(detector) };
  const descriptions = describeOutputs(ctx, built, new Map(Object.entries(outputs)));
  const inputText = variant.raw ? `float32 NCHW [1,3,${height},${width}], ${range}` : `RGB image ${width}x${height}, scaled by the model to ${range}`;
  const what = detector
    ? `${detector.family ?? 'SSD'} detector with ${detector.decoding.num_boxes} anchors. ${variant.raw ? 'Raw outputs' : 'Decoded outputs'}`
    : 'Outputs';
  const summary = Object.entries(descriptions)
    .map(([name, text]) => `${name} ${text}`)
    .join('; ');

  return {
    graph,
    outputs,
    ...(variant.raw ? {} : { imageInput: imageScaler(ctx.input.range) }),
    metadata: {
      shortDescription: `${title}: ${what}: ${summary}.${detector ? ` Keypoints: ${detector.keypoints.join(', ')}.` : ''}`,
      author: `Google MediaPipe (model); converted from ${sourceFile} by ${CONVERTER_NAME} ${CONVERTER_VERSION}`,
      license: file.entry?.license ?? 'unknown',
      versionString: CONVERTER_VERSION,
      userDefined,
    },
    featureDescriptions: { [graph.inputs[0] ?? '']: inputText, ...descriptions },
  };
}
