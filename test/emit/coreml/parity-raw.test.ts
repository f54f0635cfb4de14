import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../../src/models/registry.js';
import { loadModelContext } from '../../../src/convert/model-context.js';
import { convertToCoreml } from '../../../src/convert/convert-coreml.js';
import { coremlGoldenParity } from '../../../src/check/coreml-parity.js';
import { decodeForExecution, executeMlmodel } from '../../../src/runtimes/coreml/execute.js';
import { evaluateGraph } from '../../../src/runtimes/reference/evaluate-graph.js';
import { goldenCases, GOLDEN_IMAGES } from '../../../src/check/golden.js';
import { compareArrays } from '../../../src/check/compare.js';
import { perm, permuteData } from '../../../src/ir/layout.js';
import { availableModels } from '../../support/models.js';
import { beyond, float32Bound } from './tolerances.js';

describe.each(availableModels().map((m) => [m.id, m] as const))('Core ML --raw of %s', (id, entry) => {
  const ctx = loadModelContext(loadModelFile(id));
  // Both checks read the same converted model; converting it once spares a conversion per model.
  const artifact = convertToCoreml(ctx, { raw: true });

  it('matches the golden TFLite outputs on every case', () => {
    const { rows, milliseconds } = coremlGoldenParity(ctx, { raw: true }, undefined, artifact);
    expect(rows.map((r) => `${r.case}.${r.output}`)).toEqual(
      ['sin', 'uniform', ...GOLDEN_IMAGES, 'noise'].flatMap((c) => Object.keys(entry.outputs).map((o) => `${c}.${o}`)),
    );
    const worst = Math.max(...rows.map((r) => r.maxError));
    console.log(`${id} raw float32: worst ${worst.toExponential(3)}, executor ${Math.max(...milliseconds).toFixed(0)} ms per run at most`);
    expect(beyond(rows, float32Bound(id))).toEqual([]);
  });

  it('computes what the TypeScript reference evaluation of the NHWC graph computes', () => {
    const model = decodeForExecution(artifact.bytes, artifact.fileName);
    const { width, height } = entry.input;
    const input = goldenCases(entry)
      .find((c) => c.name === '3faces')!
      .makeInput();
    const out = executeMlmodel(model, { input: permuteData(input, [1, height, width, 3], perm('NHWC', 'NCHW')) });
    const reference = evaluateGraph(ctx.graph, { input });
    for (const output of Object.keys(entry.outputs)) {
      expect(out[output]!.shape).toEqual(reference.get(output)!.shape);
      // Both sum in float64 in the same order; measured: bit-identical for every model.
      expect(compareArrays(out[output]!.data, reference.get(output)!.data).maxError).toBeLessThanOrEqual(1e-6);
    }
  });
});
