import { readGolden, type GoldenCase, type GoldenManifest } from './golden.js';
import { compareArrays } from './compare.js';
import type { ExecutorOutput, ModelInput } from '../runtimes/model-io.js';
import type { ParityObserver, ParityRow } from './onnx-parity.js';
import { perm, permuteData } from '../ir/layout.js';
import { inputToPixels } from '../image/to-tensor.js';
import { requireEntry, type ModelContext } from '../convert/model-context.js';
import { expectedOutputs } from './expected-outputs.js';

/** What both Core ML parity checks report for one converted model. */
export interface ExecutorParityRows {
  readonly rows: ParityRow[];
  /** Executor time per case, in milliseconds. */
  readonly milliseconds: number[];
}

/** One converted model as the parity loop sees it: its name, its outputs by golden name, and how to run it. */
export interface ExecutedModel {
  readonly variant: string;
  /** Output names in the model by golden output name, where they differ. */
  readonly outputs: Readonly<Record<string, string>>;
  readonly raw: boolean;
  run(feed: Record<string, ModelInput>): Record<string, ExecutorOutput>;
}

/**
 * Runs a converted model in a reference executor on the golden cases and compares every output
 * with the TFLite runtime's golden outputs: a raw model on every case, fed the NCHW input; an
 * image model on the pixel cases (the photos and `noise`), fed their 8-bit pixels, and for a
 * detector compared with the golden tensors decoded in TypeScript. Rows name each output as the
 * model does; `observe` sees every case's outputs by golden name.
 */
export function executorGoldenParity(
  ctx: ModelContext,
  model: ExecutedModel,
  manifest: GoldenManifest,
  cases: readonly GoldenCase[],
  observe?: ParityObserver,
): ExecutorParityRows {
  const entry = requireEntry(ctx.file, 'parity against golden outputs');
  const { width, height, range } = ctx.input;
  const decoded = !model.raw && ctx.detector !== undefined;
  const rows: ParityRow[] = [];
  const milliseconds: number[] = [];
  for (const c of cases) {
    if (!model.raw && !c.pixels) continue;
    const input = c.makeInput();
    const feed: Record<string, ModelInput> = model.raw
      ? { input: permuteData(input, [1, height, width, 3], perm('NHWC', 'NCHW')) }
      : { image: { width, height, channels: 3, data: inputToPixels(input, range) } };
    const started = performance.now();
    const out = model.run(feed);
    milliseconds.push(performance.now() - started);
    const expected = expectedOutputs(ctx, readGolden(entry.id, c.name, manifest), decoded);
    const actual = new Map<string, Float32Array>();
    for (const [name, want] of expected) {
      const output = model.outputs[name] ?? name;
      const got = out[output]?.data ?? new Float32Array(0);
      actual.set(name, got);
      rows.push({ model: entry.id, variant: model.variant, case: c.name, output, ...compareArrays(got, want) });
    }
    observe?.({ case: c, actual, expected });
  }
  return { rows, milliseconds };
}
