import { emitCoreml, type CoremlEmitReport } from '../emit/coreml/emit-coreml.js';
import { renameValues } from '../passes/rename-values.js';
import { KEYPOINT_NAMES } from '../models/keypoints.js';
import { optionsMetadata, provenance, provenanceMetadata } from './provenance.js';
import { CONVERTER_NAME, CONVERTER_VERSION } from '../models/version.js';
import { BlazefaceError } from '../ir/errors.js';
import { decoderOptions, requireEntry, type ModelContext } from './model-context.js';

export interface CoremlVariant {
  /**
   * Multi-array input `input`, float32 NCHW [1,3,H,W] in [-1, 1], and the raw outputs
   * `regressors` / `classificators`, instead of an RGB image in and decoded boxes and scores out.
   */
  readonly raw?: boolean;
  /** Store weights as IEEE half floats (half the size; see the measured parity bound). */
  readonly fp16?: boolean;
  /** Name the decoded outputs `1477` (boxes) and `1011` (scores), as the seed app's model does. */
  readonly seedCompatible?: boolean;
}

export interface CoremlArtifact {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly report: CoremlEmitReport;
  /** The output names of this variant for the boxes and the scores (raw: regressors, classificators). */
  readonly outputs: { readonly boxes: string; readonly scores: string };
}

/** The seed app's output names, which coremltools took from the PyTorch graph. */
export const SEED_OUTPUTS = { boxes: '1477', scores: '1011' } as const;

/** Core ML's image scaler maps each 8-bit channel to pixel / 127.5 - 1, the models' input range. */
export const IMAGE_SCALE = 1 / 127.5;
export const IMAGE_BIAS = -1;

export function coremlFileName(name: string, variant: CoremlVariant): string {
  return [name, variant.raw && 'raw', variant.seedCompatible && 'seed', variant.fp16 && 'fp16', 'mlmodel'].filter(Boolean).join('.');
}

export function convertToCoreml(ctx: ModelContext, variant: CoremlVariant = {}): CoremlArtifact {
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
  const userDefined = { ...provenanceMetadata(file), weights: variant.fp16 ? 'float16' : 'float32', ...optionsMetadata(file) };
  const boxesText = variant.raw
    ? `[1,${anchors},16]: box centre x, y, width, height and 6 keypoints (x, y), relative to the anchors, in input pixels`
    : `[1,${anchors},16]: xmin, ymin, xmax, ymax, then 6 keypoints (x, y), normalized to the input`;
  const scoresText = variant.raw ? `[1,${anchors},1]: logits` : `[1,${anchors},1]: sigmoid of the logits clamped to ±${entry?.decoding.score_clipping_thresh}`;
  const inputText = variant.raw
    ? `float32 NCHW [1,3,${height},${width}], RGB in [-1, 1] (pixel / 127.5 - 1)`
    : `RGB image ${width}x${height}, scaled to [-1, 1] by the model (pixel / 127.5 - 1)`;

  const { bytes, report } = emitCoreml(graph, {
    fp16: variant.fp16,
    imageInput: variant.raw ? undefined : { scale: IMAGE_SCALE, bias: IMAGE_BIAS },
    metadata: {
      shortDescription: `${title}: face detector with ${anchors} anchors. ${variant.raw ? 'Raw outputs' : 'Decoded outputs'}: ${outputs.boxes} ${boxesText}; ${outputs.scores} ${scoresText}. Keypoints: ${KEYPOINT_NAMES.join(', ')}.`,
      author: `Google MediaPipe (model); converted from ${sourceFile} by ${CONVERTER_NAME} ${CONVERTER_VERSION}`,
      license: entry?.license ?? 'unknown',
      versionString: CONVERTER_VERSION,
      userDefined,
    },
    featureDescriptions: { [graph.inputs[0] ?? '']: inputText, [outputs.boxes]: boxesText, [outputs.scores]: scoresText },
  });
  return { fileName: coremlFileName(file.name, variant), bytes, report, outputs };
}
