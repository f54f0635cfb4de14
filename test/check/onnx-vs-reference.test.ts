import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { convertToOnnx } from '../../src/convert/convert-onnx.js';
import { loadOnnx } from '../../src/runtimes/onnxruntime/onnx-runner.js';
import { evaluateGraph } from '../../src/runtimes/reference/evaluate-graph.js';
import { goldenCases, readGolden } from '../../src/check/golden.js';
import { compareArrays, describeDifference } from '../../src/check/compare.js';
import { availableModels } from '../support/models.js';

/**
 * The TypeScript reference evaluation (NHWC loops, float64 accumulation) is the second
 * opinion behind per-layer parity, so it is itself held to the golden outputs, and ONNX
 * Runtime is held to it.
 */
describe.each(availableModels().map((m) => [m.id, m] as const))('reference evaluation of %s', (id, entry) => {
  it('matches golden within 2e-4 and ONNX Runtime matches it within 1e-4 on the 1face case', async () => {
    const ctx = loadModelContext(loadModelFile(id));
    const input = goldenCases(entry)
      .find((c) => c.name === '1face')!
      .makeInput();
    const reference = evaluateGraph(ctx.graph, { input });
    const golden = readGolden(id, '1face');
    const runner = await loadOnnx(convertToOnnx(ctx).bytes, { threads: 1 });
    const onnx = await runner.run({ input: { shape: [1, entry.input.height, entry.input.width, 3], data: input } });
    await runner.release();
    const problems: string[] = [];
    for (const [output, want] of golden.tensors) {
      const ref = reference.get(output)!.data;
      const vsGolden = compareArrays(ref, want);
      if (!(vsGolden.maxError <= 2e-4)) problems.push(describeDifference(`${id} reference vs golden ${output}`, vsGolden));
      const vsOnnx = compareArrays(onnx[output]!.data, ref);
      if (!(vsOnnx.maxError <= 1e-4)) problems.push(describeDifference(`${id} onnx vs reference ${output}`, vsOnnx));
    }
    expect(problems).toEqual([]);
  });
});
