import { readGolden, readGoldenManifest, selectGoldenCases, type GoldenCase, type GoldenManifest } from './golden.js';
import { compareArrays, type Difference } from './compare.js';
import { loadOnnx, type OnnxRunner } from '../runtimes/onnxruntime/onnx-runner.js';
import { inputToPixels } from '../image/to-tensor.js';
import { convertToOnnx, type OnnxArtifact, type OnnxVariant } from '../convert/convert-onnx.js';
import { requireEntry, type ModelContext } from '../convert/model-context.js';
import { expectedOutputs } from './expected-outputs.js';

export interface ParityRow extends Difference {
  readonly model: string;
  readonly variant: string;
  readonly case: string;
  readonly output: string;
}

/**
 * What a parity run computed on one case, by output name as the golden side names it
 * (`regressors`, `boxes`, a landmark model's output): the HTML report draws and bins these
 * rather than running the model again.
 */
export interface ObservedCase {
  readonly case: GoldenCase;
  readonly actual: ReadonlyMap<string, Float32Array>;
  readonly expected: ReadonlyMap<string, Float32Array>;
}

export type ParityObserver = (observed: ObservedCase) => void;

/**
 * Runs the converted ONNX model in onnxruntime-node on the golden cases (by default every one
 * that can be checked here, see selectGoldenCases) and compares each output with the TFLite
 * runtime's golden output: the raw tensors directly, a detector's decoded variant against the
 * golden tensors decoded in TypeScript. The preprocessing variant is fed the uint8 pixels of
 * the pixel cases (the other cases are not images). `load` runs the model in another ONNX
 * runtime with the same interface (the tests pass ONNX Runtime for the web).
 */
export async function onnxGoldenParity(
  ctx: ModelContext,
  variant: OnnxVariant = {},
  manifest: GoldenManifest = readGoldenManifest(),
  artifact: OnnxArtifact = convertToOnnx(ctx, variant),
  cases: readonly GoldenCase[] = selectGoldenCases(requireEntry(ctx.file, 'parity against golden outputs'), { manifest }).cases,
  load: (bytes: Uint8Array) => Promise<OnnxRunner> = (bytes) => loadOnnx(bytes, { threads: 1 }),
  observe?: ParityObserver,
): Promise<ParityRow[]> {
  const entry = requireEntry(ctx.file, 'parity against golden outputs');
  const runner = await load(artifact.bytes);
  const { width, height, range } = ctx.input;
  const rows: ParityRow[] = [];
  try {
    for (const c of cases) {
      if (variant.preprocess && !c.pixels) continue;
      const input = c.makeInput();
      const feed: Record<string, { shape: number[]; data: Float32Array | Uint8Array }> = variant.preprocess
        ? { image: { shape: [1, height, width, 3], data: inputToPixels(input, range) } }
        : { input: { shape: variant.nchw ? [1, 3, height, width] : [1, height, width, 3], data: variant.nchw ? nhwcToNchw(input, height, width) : input } };
      const out = await runner.run(feed);
      const expected = expectedOutputs(ctx, readGolden(entry.id, c.name, manifest), variant.decode ?? false);
      const actual = new Map<string, Float32Array>();
      for (const [output, want] of expected) {
        const got = out[output]?.data ?? new Float32Array(0);
        actual.set(output, got);
        rows.push({ model: entry.id, variant: artifact.fileName, case: c.name, output, ...compareArrays(got, want) });
      }
      observe?.({ case: c, actual, expected });
    }
  } finally {
    await runner.release();
  }
  return rows;
}

function nhwcToNchw(x: Float32Array, height: number, width: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let y = 0; y < height; y++)
    for (let w = 0; w < width; w++) for (let c = 0; c < 3; c++) out[c * height * width + y * width + w] = x[(y * width + w) * 3 + c] as number;
  return out;
}
