import { readGolden, readGoldenManifest, selectGoldenCases, type GoldenCase, type GoldenManifest } from './golden.js';
import { compareArrays } from './compare.js';
import { decodeForExecution, executeMlmodel, type ModelInput } from '../runtimes/coreml/execute.js';
import type { ParityObserver, ParityRow } from './onnx-parity.js';
import { perm, permuteData } from '../ir/layout.js';
import { inputToPixel } from '../image/to-tensor.js';
import { convertToCoreml, type CoremlArtifact, type CoremlVariant } from '../convert/convert-coreml.js';
import { requireEntry, type ModelContext } from '../convert/model-context.js';
import { expectedOutputs } from './expected-outputs.js';

export interface CoremlParity {
  readonly artifact: CoremlArtifact;
  readonly rows: ParityRow[];
  /** Executor time per case, in milliseconds. */
  readonly milliseconds: number[];
}

/**
 * Converts to Core ML, decodes the bytes the way a reader would (refusing unknown fields),
 * runs the model in the reference executor on the golden cases (by default every one that can
 * be checked here) and compares every output with the TFLite runtime's golden outputs: the raw
 * variant on every case, fed the NCHW input, and the image variants on the pixel cases (the
 * photos and `noise`), fed their 8-bit pixels (for a detector compared with the golden tensors
 * decoded in TypeScript). Rows name each output as the model does.
 */
export function coremlGoldenParity(
  ctx: ModelContext,
  variant: CoremlVariant = {},
  manifest: GoldenManifest = readGoldenManifest(),
  artifact: CoremlArtifact = convertToCoreml(ctx, variant),
  cases: readonly GoldenCase[] = selectGoldenCases(requireEntry(ctx.file, 'parity against golden outputs'), { manifest }).cases,
  observe?: ParityObserver,
): CoremlParity {
  const entry = requireEntry(ctx.file, 'parity against golden outputs');
  const model = decodeForExecution(artifact.bytes, artifact.fileName);
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
    const out = executeMlmodel(model, feed, artifact.fileName);
    milliseconds.push(performance.now() - started);
    const expected = expectedOutputs(ctx, readGolden(entry.id, c.name, manifest), decoded);
    const actual = new Map<string, Float32Array>();
    for (const [name, want] of expected) {
      const output = artifact.outputs[name] ?? name;
      const got = out[output]?.data ?? new Float32Array(0);
      actual.set(name, got);
      rows.push({ model: entry.id, variant: artifact.fileName, case: c.name, output, ...compareArrays(got, want) });
    }
    observe?.({ case: c, actual, expected });
  }
  return { artifact, rows, milliseconds };
}
