import { readGolden, readGoldenManifest, selectGoldenCases, type GoldenCase, type GoldenManifest } from './golden.js';
import { compareArrays } from './compare.js';
import { executeMlProgram, loadMlPackage, type ModelInput } from '../runtimes/mil/execute.js';
import type { ParityObserver, ParityRow } from './onnx-parity.js';
import { perm, permuteData } from '../ir/layout.js';
import { inputToPixel } from '../image/to-tensor.js';
import { convertToMlPackage, type MlPackageArtifact, type MlPackageVariant } from '../convert/convert-mlpackage.js';
import { requireEntry, type ModelContext } from '../convert/model-context.js';
import { expectedOutputs } from './expected-outputs.js';

export interface MlPackageParity {
  readonly artifact: MlPackageArtifact;
  readonly rows: ParityRow[];
  /** Executor time per case, in milliseconds. */
  readonly milliseconds: number[];
}

/**
 * Converts to an .mlpackage, opens it the way a reader would (manifest, model decoded refusing
 * unknown fields, weight file parsed strictly), runs it in the MIL reference executor on the
 * golden cases (by default every one that can be checked here) and compares every output with
 * the TFLite runtime's golden outputs: the raw variant on every case, fed the NCHW input, and
 * the image variant on the pixel cases, fed their 8-bit pixels (for a detector compared with
 * the golden tensors decoded in TypeScript).
 */
export function mlpackageGoldenParity(
  ctx: ModelContext,
  variant: MlPackageVariant = {},
  manifest: GoldenManifest = readGoldenManifest(),
  artifact: MlPackageArtifact = convertToMlPackage(ctx, variant),
  cases: readonly GoldenCase[] = selectGoldenCases(requireEntry(ctx.file, 'parity against golden outputs'), { manifest }).cases,
  observe?: ParityObserver,
): MlPackageParity {
  const entry = requireEntry(ctx.file, 'parity against golden outputs');
  const loaded = loadMlPackage(new Map(artifact.files.map((f) => [f.path, f.bytes])), artifact.folder);
  const { width, height, range } = ctx.input;
  const decoded = !variant.raw && ctx.detector !== undefined;
  const rows: ParityRow[] = [];
  const milliseconds: number[] = [];
  for (const c of cases) {
    if (!variant.raw && !c.pixels) continue;
    const input = c.makeInput();
    const feed: Record<string, ModelInput> = variant.raw
      ? { input: permuteData(input, [1, height, width, 3], perm('NHWC', 'NCHW')) }
      : { image: { width, height, channels: 3, data: Uint8Array.from(input, (x) => inputToPixel(x, range)) } };
    const started = performance.now();
    const out = executeMlProgram(loaded, feed);
    milliseconds.push(performance.now() - started);
    const expected = expectedOutputs(ctx, readGolden(entry.id, c.name, manifest), decoded);
    const actual = new Map<string, Float32Array>();
    for (const [name, want] of expected) {
      const output = artifact.outputs[name] ?? name;
      const got = out[output]?.data ?? new Float32Array(0);
      actual.set(name, got);
      rows.push({ model: entry.id, variant: artifact.folder, case: c.name, output, ...compareArrays(got, want) });
    }
    observe?.({ case: c, actual, expected });
  }
  return { artifact, rows, milliseconds };
}
