import { readGoldenManifest, selectGoldenCases, type GoldenCase, type GoldenManifest } from './golden.js';
import { executeMlProgram, loadMlPackage } from '../runtimes/mil/execute.js';
import { convertToMlPackage, type MlPackageArtifact, type MlPackageVariant } from '../convert/convert-mlpackage.js';
import { requireEntry, type ModelContext } from '../convert/model-context.js';
import { executorGoldenParity, type ExecutorParityRows } from './executor-parity.js';
import type { ParityObserver } from './onnx-parity.js';

export interface MlPackageParity extends ExecutorParityRows {
  readonly artifact: MlPackageArtifact;
}

/**
 * Converts to an .mlpackage, opens it the way a reader would (manifest, model decoded refusing
 * unknown fields, weight file parsed strictly) and checks it in the MIL reference executor on
 * the golden cases (by default every one that can be checked here): the raw variant on every
 * case, the image variant on the pixel cases (see executorGoldenParity).
 */
export function mlpackageGoldenParity(
  ctx: ModelContext,
  variant: MlPackageVariant = {},
  manifest: GoldenManifest = readGoldenManifest(),
  artifact: MlPackageArtifact = convertToMlPackage(ctx, variant),
  cases: readonly GoldenCase[] = selectGoldenCases(requireEntry(ctx.file, 'parity against golden outputs'), { manifest }).cases,
  observe?: ParityObserver,
): MlPackageParity {
  const loaded = loadMlPackage(new Map(artifact.files.map((f) => [f.path, f.bytes])), artifact.folder);
  const run = { variant: artifact.folder, outputs: artifact.outputs, raw: variant.raw === true };
  return { artifact, ...executorGoldenParity(ctx, { ...run, run: (feed) => executeMlProgram(loaded, feed) }, manifest, cases, observe) };
}
