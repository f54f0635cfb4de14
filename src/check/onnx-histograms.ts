import { convertToOnnx } from '../convert/convert-onnx.js';
import type { ModelContext } from '../convert/model-context.js';
import { loadOnnx } from '../runtimes/onnxruntime/onnx-runner.js';
import { errorHistogram, type HtmlHistogram } from '../report/parity-html.js';
import { readGolden, type GoldenCase } from './golden.js';

/**
 * Element-wise error histograms of the raw ONNX outputs against the golden TFLite outputs,
 * for the HTML report: where the max error of the parity table sits in the distribution.
 */
export async function onnxErrorHistograms(ctx: ModelContext, modelId: string, cases: readonly GoldenCase[]): Promise<HtmlHistogram[]> {
  const runner = await loadOnnx(convertToOnnx(ctx).bytes, { threads: 1 });
  const shape = ctx.graph.values.get('input')?.shape ?? [];
  const histograms: HtmlHistogram[] = [];
  try {
    for (const c of cases) {
      const out = await runner.run({ input: { shape, data: c.makeInput() } });
      const golden = readGolden(modelId, c.name);
      for (const [output, want] of golden.tensors) {
        histograms.push({ case: c.name, output, histogram: errorHistogram(out[output]?.data ?? new Float32Array(0), want) });
      }
    }
  } finally {
    await runner.release();
  }
  return histograms;
}
