import { emitCoreml, type CoremlEmitReport } from '../emit/coreml/emit-coreml.js';
import { renameValues } from '../passes/rename-values.js';
import { optionsMetadata, provenance, provenanceMetadata } from './provenance.js';
import { CONVERTER_NAME, CONVERTER_VERSION } from '../models/version.js';
import { BlazefaceError } from '../ir/errors.js';
import { decoderOptions, requireDetector, type ModelContext } from './model-context.js';
import { describeOutputs, inputRangeText } from './describe-outputs.js';

export interface CoremlVariant {
  /**
   * Multi-array input `input`, float32 NCHW [1,3,H,W] in the model's range, and the model's
   * own outputs (for a detector `regressors` / `classificators`), instead of an RGB image in
   * and, for a detector, decoded boxes and scores out.
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
  /** Each output of the converted graph (`boxes`, `regressors`, a landmark output, ...) → its name in this model. */
  readonly outputs: Readonly<Record<string, string>>;
}

/** The seed app's output names, which coremltools took from the PyTorch graph. */
export const SEED_OUTPUTS = { boxes: '1477', scores: '1011' } as const;

/** Core ML's image scaler maps each 8-bit channel c to scale * c + bias: the model's input range. */
export function imageScaler(range: readonly [number, number]): { readonly scale: number; readonly bias: number } {
  return { scale: (range[1] - range[0]) / 255, bias: range[0] };
}

export function coremlFileName(name: string, variant: CoremlVariant): string {
  return [name, variant.raw && 'raw', variant.seedCompatible && 'seed', variant.fp16 && 'fp16', 'mlmodel'].filter(Boolean).join('.');
}

export function convertToCoreml(ctx: ModelContext, variant: CoremlVariant = {}): CoremlArtifact {
  const { file, detector } = ctx;
  const entry = file.entry;
  if (variant.raw && variant.seedCompatible) throw new BlazefaceError('--seed-compatible names the decoded outputs; it cannot be combined with --raw', file.path);
  if (variant.seedCompatible) requireDetector(ctx, '--seed-compatible');
  const decode = !variant.raw && detector ? decoderOptions(detector) : undefined;
  const built = ctx.target({ decode, nchwInput: true, profile: 'portable' });
  const seedName = (id: string): string => (variant.seedCompatible ? ((SEED_OUTPUTS as Readonly<Record<string, string>>)[id] ?? id) : id);
  const outputs: Record<string, string> = Object.fromEntries(built.outputs.map((id) => [id, seedName(id)]));
  const graph = renameValues(built, new Map([['input', variant.raw ? 'input' : 'image'], ...Object.entries(outputs)]));
  const [, , height, width] = graph.values.get(graph.inputs[0] ?? '')?.shape ?? [];
  const { sourceFile, title } = provenance(file);
  const userDefined = {
    ...provenanceMetadata(file),
    weights: variant.fp16 ? 'float16' : 'float32',
    input_range: inputRangeText(ctx.input.range),
    ...optionsMetadata(detector),
  };
  const descriptions = describeOutputs(ctx, built, new Map(Object.entries(outputs)));
  const inputText = variant.raw
    ? `float32 NCHW [1,3,${height},${width}], ${inputRangeText(ctx.input.range)}`
    : `RGB image ${width}x${height}, scaled by the model to ${inputRangeText(ctx.input.range)}`;
  const what = detector
    ? `${detector.family ?? 'SSD'} detector with ${detector.decoding.num_boxes} anchors. ${variant.raw ? 'Raw outputs' : 'Decoded outputs'}`
    : 'Outputs';
  const summary = Object.entries(descriptions)
    .map(([name, text]) => `${name} ${text}`)
    .join('; ');

  const { bytes, report } = emitCoreml(graph, {
    fp16: variant.fp16,
    imageInput: variant.raw ? undefined : imageScaler(ctx.input.range),
    metadata: {
      shortDescription: `${title}: ${what}: ${summary}.${detector ? ` Keypoints: ${detector.keypoints.join(', ')}.` : ''}`,
      author: `Google MediaPipe (model); converted from ${sourceFile} by ${CONVERTER_NAME} ${CONVERTER_VERSION}`,
      license: entry?.license ?? 'unknown',
      versionString: CONVERTER_VERSION,
      userDefined,
    },
    featureDescriptions: { [graph.inputs[0] ?? '']: inputText, ...descriptions },
  });
  return { fileName: coremlFileName(file.name, variant), bytes, report, outputs };
}
