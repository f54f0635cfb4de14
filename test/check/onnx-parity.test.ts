import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { onnxGoldenParity, type ParityRow } from '../../src/check/onnx-parity.js';
import { describeDifference } from '../../src/check/compare.js';
import { availableModels } from '../support/models.js';
import { onnxBound } from '../../src/models/tolerances.js';

const tolerance = onnxBound;

function expectWithin(rows: readonly ParityRow[]): void {
  expect(rows.length).toBeGreaterThan(0);
  const failures = rows.filter((r) => !(r.maxError <= tolerance(r.model))).map((r) => describeDifference(`${r.model} ${r.variant} ${r.case} ${r.output}`, r));
  expect(failures).toEqual([]);
}

describe.each(availableModels().map((m) => [m.id]))('ONNX of %s vs golden TFLite outputs', (id) => {
  const ctx = loadModelContext(loadModelFile(id));

  it('raw outputs, NHWC input', async () => {
    const rows = await onnxGoldenParity(ctx);
    expect(rows.map((r) => `${r.case}.${r.output}`)).toEqual(['sin', 'uniform', '1face', '3faces', '4faces', 'noise'].flatMap((c) => [`${c}.regressors`, `${c}.classificators`]));
    expectWithin(rows);
  });

  it('raw outputs, NCHW input', async () => {
    expectWithin(await onnxGoldenParity(ctx, { nchw: true }));
  });

  it('decoded outputs vs the golden outputs decoded in TypeScript', async () => {
    const rows = await onnxGoldenParity(ctx, { decode: true });
    expect(new Set(rows.map((r) => r.output))).toEqual(new Set(['boxes', 'scores']));
    expectWithin(rows);
  });

  it('decoded outputs with the uint8 image input', async () => {
    const rows = await onnxGoldenParity(ctx, { decode: true, preprocess: true });
    expect(rows.map((r) => r.case)).toEqual(['1face', '1face', '3faces', '3faces', '4faces', '4faces', 'noise', 'noise']);
    expectWithin(rows);
  });
});
