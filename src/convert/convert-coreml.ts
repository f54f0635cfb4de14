import { emitCoreml, type CoremlEmitReport } from '../emit/coreml/emit-coreml.js';
import { coremlInterface, type CoremlInterfaceVariant } from './coreml-interface.js';
import type { ModelContext } from './model-context.js';

export { imageScaler, SEED_OUTPUTS } from './coreml-interface.js';

export interface CoremlVariant extends CoremlInterfaceVariant {
  /** Store weights as IEEE half floats (half the size; see the measured parity bound). */
  readonly fp16?: boolean;
}

export interface CoremlArtifact {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly report: CoremlEmitReport;
  /** Each output of the converted graph (`boxes`, `regressors`, a landmark output, ...) → its name in this model. */
  readonly outputs: Readonly<Record<string, string>>;
}

export function coremlFileName(name: string, variant: CoremlVariant): string {
  return [name, variant.raw && 'raw', variant.seedCompatible && 'seed', variant.fp16 && 'fp16', 'mlmodel'].filter(Boolean).join('.');
}

export function convertToCoreml(ctx: ModelContext, variant: CoremlVariant = {}): CoremlArtifact {
  const face = coremlInterface(ctx, variant, { weights: variant.fp16 ? 'float16' : 'float32' });
  const { bytes, report } = emitCoreml(face.graph, {
    fp16: variant.fp16,
    imageInput: face.imageInput,
    metadata: face.metadata,
    featureDescriptions: face.featureDescriptions,
  });
  return { fileName: coremlFileName(ctx.file.name, variant), bytes, report, outputs: face.outputs };
}
