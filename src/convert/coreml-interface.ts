import type { Metadata } from '../coreml/types.js';
import type { CoremlImageInput } from '../emit/coreml/emit-coreml.js';
import type { Graph } from '../ir/graph.js';
import { BlazefaceError } from '../ir/errors.js';
import { KEYPOINT_NAMES } from '../models/keypoints.js';
import { CONVERTER_NAME, CONVERTER_VERSION } from '../models/version.js';
import { renameValues } from '../passes/rename-values.js';
import { decoderOptions, requireEntry, type ModelContext } from './model-context.js';
import { optionsMetadata, provenance, provenanceMetadata } from './provenance.js';

/**
 * What a Core ML model of either kind (NeuralNetwork .mlmodel, ML Program .mlpackage) shows the
 * app: the graph with its inputs and outputs named, the image input's scaling, the metadata and
 * the descriptions of each feature. Both converters build it here, so the two kinds of model
 * stand in for each other.
 */
export interface CoremlInterfaceVariant {
  /**
   * Multi-array input `input`, float32 NCHW [1,3,H,W] in [-1, 1], and the raw outputs
   * `regressors` / `classificators`, instead of an RGB image in and decoded boxes and scores out.
   */
  readonly raw?: boolean;
  /** Name the decoded outputs `1477` (boxes) and `1011` (scores), as the seed app's model does. */
  readonly seedCompatible?: boolean;
}

export interface CoremlInterface {
  /** The emit-ready graph (portable profile, NCHW input) with the interface's names. */
  readonly graph: Graph;
  /** The output names of this variant for the boxes and the scores (raw: regressors, classificators). */
  readonly outputs: { readonly boxes: string; readonly scores: string };
  readonly imageInput?: CoremlImageInput;
  readonly metadata: Metadata;
  readonly featureDescriptions: Readonly<Record<string, string>>;
}

/** The seed app's output names, which coremltools took from the PyTorch graph. */
export const SEED_OUTPUTS = { boxes: '1477', scores: '1011' } as const;

/** Core ML's image scaler maps each 8-bit channel to pixel / 127.5 - 1, the models' input range. */
export const IMAGE_SCALE = 1 / 127.5;
export const IMAGE_BIAS = -1;

/** `userDefined` entries beyond the common ones (the weight precision, the deployment target) come from the caller. */
export function coremlInterface(ctx: ModelContext, variant: CoremlInterfaceVariant, userDefinedExtra: Readonly<Record<string, string>>): CoremlInterface {
  const { file } = ctx;
  if (variant.raw && variant.seedCompatible) throw new BlazefaceError('--seed-compatible names the decoded outputs; it cannot be combined with --raw', file.path);
  const entry = variant.raw ? file.entry : requireEntry(file, 'a decoded Core ML model');
  const decode = variant.raw || !entry ? undefined : decoderOptions(entry);
  const outputs = variant.raw ? { boxes: 'regressors', scores: 'classificators' } : variant.seedCompatible ? SEED_OUTPUTS : { boxes: 'boxes', scores: 'scores' };
  const renames = new Map([
    ['input', variant.raw ? 'input' : 'image'],
    [variant.raw ? 'regressors' : 'boxes', outputs.boxes],
    [variant.raw ? 'classificators' : 'scores', outputs.scores],
  ]);
  const graph = renameValues(ctx.target({ decode, nchwInput: true, profile: 'portable' }), renames);
  const input = graph.values.get(graph.inputs[0] ?? '');
  const [, , height, width] = input?.shape ?? [];
  const anchors = graph.values.get(outputs.boxes)?.shape[1];
  const { sourceFile, title } = provenance(file);
  const userDefined = { ...provenanceMetadata(file), ...userDefinedExtra, ...optionsMetadata(file) };
  const boxesText = variant.raw
    ? `[1,${anchors},16]: box centre x, y, width, height and 6 keypoints (x, y), relative to the anchors, in input pixels`
    : `[1,${anchors},16]: xmin, ymin, xmax, ymax, then 6 keypoints (x, y), normalized to the input`;
  const scoresText = variant.raw ? `[1,${anchors},1]: logits` : `[1,${anchors},1]: sigmoid of the logits clamped to ±${entry?.decoding.score_clipping_thresh}`;
  const inputText = variant.raw
    ? `float32 NCHW [1,3,${height},${width}], RGB in [-1, 1] (pixel / 127.5 - 1)`
    : `RGB image ${width}x${height}, scaled to [-1, 1] by the model (pixel / 127.5 - 1)`;

  return {
    graph,
    outputs,
    ...(variant.raw ? {} : { imageInput: { scale: IMAGE_SCALE, bias: IMAGE_BIAS } }),
    metadata: {
      shortDescription: `${title}: face detector with ${anchors} anchors. ${variant.raw ? 'Raw outputs' : 'Decoded outputs'}: ${outputs.boxes} ${boxesText}; ${outputs.scores} ${scoresText}. Keypoints: ${KEYPOINT_NAMES.join(', ')}.`,
      author: `Google MediaPipe (model); converted from ${sourceFile} by ${CONVERTER_NAME} ${CONVERTER_VERSION}`,
      license: entry?.license ?? 'unknown',
      versionString: CONVERTER_VERSION,
      userDefined,
    },
    featureDescriptions: { [graph.inputs[0] ?? '']: inputText, [outputs.boxes]: boxesText, [outputs.scores]: scoresText },
  };
}
