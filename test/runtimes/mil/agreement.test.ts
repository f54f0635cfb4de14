import { describe, expect, it } from 'vitest';
import { compareArrays } from '../../../src/check/compare.js';
import { goldenCases } from '../../../src/check/golden.js';
import { convertToCoreml } from '../../../src/convert/convert-coreml.js';
import { convertToMlPackage } from '../../../src/convert/convert-mlpackage.js';
import { loadModelContext } from '../../../src/convert/model-context.js';
import { perm, permuteData } from '../../../src/ir/layout.js';
import { loadModelFile } from '../../../src/models/registry.js';
import { decodeForExecution, executeMlmodel, type ModelInput } from '../../../src/runtimes/coreml/execute.js';
import { executeMlProgram, loadMlPackage } from '../../../src/runtimes/mil/execute.js';
import { availableModels } from '../../support/models.js';

/**
 * The two executors on the same model: the float32 .mlmodel in the NeuralNetwork executor (proven
 * on the seed's coremltools model) and the float32 .mlpackage in the MIL executor. The layers
 * differ (resize is nearest + pad + conv in one, resize_bilinear in the other; image scaling is
 * a preprocessing field in one and mul/add ops in the other), the results must not.
 */
describe.each(availableModels().map((m) => [m.id, m] as const))('MIL and NeuralNetwork executors on %s', (id, entry) => {
  const ctx = loadModelContext(loadModelFile(id));
  const { width, height } = entry.input;
  const input = goldenCases(entry)
    .find((c) => c.name === '3faces')!
    .makeInput();

  it.each([
    ['raw', true],
    ['decoded', false],
  ] as const)('agree on the %s variant within 1e-6', (_, raw) => {
    const feed: Record<string, ModelInput> = raw
      ? { input: permuteData(input, [1, height, width, 3], perm('NHWC', 'NCHW')) }
      : { image: { width, height, channels: 3, data: Uint8Array.from(input, (x) => Math.round((x + 1) * 127.5)) } };
    const mlmodel = convertToCoreml(ctx, { raw });
    const mlpackage = convertToMlPackage(ctx, { raw, precision: 'fp32' });
    const nn = executeMlmodel(decodeForExecution(mlmodel.bytes, mlmodel.fileName), feed, mlmodel.fileName);
    const mil = executeMlProgram(loadMlPackage(new Map(mlpackage.files.map((f) => [f.path, f.bytes])), mlpackage.folder), feed);
    expect(Object.keys(mil)).toEqual(Object.keys(nn));
    for (const name of Object.keys(nn)) {
      expect(mil[name]!.shape).toEqual(nn[name]!.shape);
      const d = compareArrays(mil[name]!.data, nn[name]!.data);
      console.log(`${id} ${raw ? 'raw' : 'decoded'} ${name}: ${d.maxError.toExponential(2)}`);
      expect(d.maxError).toBeLessThanOrEqual(1e-6);
    }
  });
});
