import { readGoldenManifest, selectGoldenCases, type GoldenCase, type GoldenManifest } from './golden.js';
import { decodeForExecution, executeMlmodel } from '../runtimes/coreml/execute.js';
import { convertToCoreml, type CoremlArtifact, type CoremlVariant } from '../convert/convert-coreml.js';
import { requireEntry, type ModelContext } from '../convert/model-context.js';
import { executorGoldenParity, type ExecutorParityRows } from './executor-parity.js';
import type { ParityObserver } from './onnx-parity.js';

export interface CoremlParity extends ExecutorParityRows {
  readonly artifact: CoremlArtifact;
}

/**
 * Converts to Core ML, decodes the bytes the way a reader would (refusing unknown fields) and
 * checks the model in the NeuralNetwork reference executor on the golden cases (by default every
 * one that can be checked here): the raw variant on every case, the image variants on the pixel
 * cases (see executorGoldenParity).
 */
export function coremlGoldenParity(
  ctx: ModelContext,
  variant: CoremlVariant = {},
  manifest: GoldenManifest = readGoldenManifest(),
  artifact: CoremlArtifact = convertToCoreml(ctx, variant),
  cases: readonly GoldenCase[] = selectGoldenCases(requireEntry(ctx.file, 'parity against golden outputs'), { manifest }).cases,
  observe?: ParityObserver,
): CoremlParity {
  const model = decodeForExecution(artifact.bytes, artifact.fileName);
  const run = { variant: artifact.fileName, outputs: artifact.outputs, raw: variant.raw === true };
  return { artifact, ...executorGoldenParity(ctx, { ...run, run: (feed) => executeMlmodel(model, feed, artifact.fileName) }, manifest, cases, observe) };
}
