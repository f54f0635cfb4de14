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

describe.each(availableModels().map((m) => [m.id, m] as const))('ONNX of %s vs golden TFLite outputs', (id, entry) => {
  const ctx = loadModelContext(loadModelFile(id));
  const detector = entry.decoding !== undefined;

  it('raw outputs, NHWC input, every output in order', async () => {
    const rows = await onnxGoldenParity(ctx);
    expect(rows.map((r) => `${r.case}.${r.output}`)).toEqual(
      ['sin', 'uniform', '1face', '3faces', '4faces', 'noise'].flatMap((c) => Object.keys(entry.outputs).map((o) => `${c}.${o}`)),
    );
    expectWithin(rows);
  });

  it('raw outputs, NCHW input', async () => {
    expectWithin(await onnxGoldenParity(ctx, { nchw: true }));
  });

  if (detector) {
    it('decoded outputs vs the golden outputs decoded in TypeScript', async () => {
      const rows = await onnxGoldenParity(ctx, { decode: true });
      expect(new Set(rows.map((r) => r.output))).toEqual(new Set(['boxes', 'scores']));
      expectWithin(rows);
    });
  } else {
    it('refuses --decode, naming what a detector has', async () => {
      await expect(onnxGoldenParity(ctx, { decode: true })).rejects.toThrow(/--decode needs an SSD detector/);
    });
  }

  it('the uint8 image input (decoded for a detector)', async () => {
    const rows = await onnxGoldenParity(ctx, { decode: detector, preprocess: true });
    const outputs = detector ? ['boxes', 'scores'] : Object.keys(entry.outputs);
    expect(rows.map((r) => `${r.case}.${r.output}`)).toEqual(['1face', '3faces', '4faces', 'noise'].flatMap((c) => outputs.map((o) => `${c}.${o}`)));
    expectWithin(rows);
  });
});
