import { emitMlProgram, MLPROGRAM_OPSET, type MlPackageFile, type MlProgramEmitReport, type MlProgramPrecision } from '../emit/mlprogram/emit-mlprogram.js';
import { BlazefaceError } from '../ir/errors.js';
import { coremlInterface, type CoremlInterfaceVariant } from './coreml-interface.js';
import type { ModelContext } from './model-context.js';

export interface MlPackageVariant extends Omit<CoremlInterfaceVariant, 'seedCompatible'> {
  /** float16 (default: half the size, what the Neural Engine runs) or float32 tensors and weights. */
  readonly precision?: MlProgramPrecision;
}

export interface MlPackageArtifact {
  /** The package folder name, e.g. `short_range.mlpackage`. */
  readonly folder: string;
  /** The package's files, paths inside the folder. */
  readonly files: readonly MlPackageFile[];
  readonly report: MlProgramEmitReport;
  /** Each output of the converted graph (`boxes`, `regressors`, a landmark output, ...) → its name in this model. */
  readonly outputs: Readonly<Record<string, string>>;
}

export function mlpackageFolderName(name: string, variant: MlPackageVariant): string {
  return [name, variant.raw && 'raw', variant.precision === 'fp32' && 'fp32', 'mlpackage'].filter(Boolean).join('.');
}

/**
 * An ML Program with the interface of the .mlmodel (see coremlInterface); the seed app's output
 * names are not MIL identifiers, so there is no seed-compatible variant.
 */
export function convertToMlPackage(ctx: ModelContext, variant: MlPackageVariant = {}): MlPackageArtifact {
  if ('seedCompatible' in variant && (variant as CoremlInterfaceVariant).seedCompatible) {
    throw new BlazefaceError("--seed-compatible: an ML Program's outputs must be MIL identifiers, and 1477 / 1011 are not", ctx.file.path);
  }
  const precision = variant.precision ?? 'fp16';
  const face = coremlInterface(
    ctx,
    { raw: variant.raw },
    {
      weights: precision === 'fp16' ? 'float16' : 'float32',
      compute_precision: precision === 'fp16' ? 'float16' : 'float32',
      minimum_deployment_target: `iOS 15, macOS 12 (specification 6, MIL opset ${MLPROGRAM_OPSET})`,
    },
  );
  const { files, report } = emitMlProgram(face.graph, {
    precision,
    imageInput: face.imageInput,
    metadata: face.metadata,
    featureDescriptions: face.featureDescriptions,
  });
  return { folder: mlpackageFolderName(ctx.file.name, variant), files, report, outputs: face.outputs };
}
