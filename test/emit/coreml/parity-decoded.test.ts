import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../../src/models/registry.js';
import { loadModelContext } from '../../../src/convert/model-context.js';
import { coremlGoldenParity } from '../../../src/check/coreml-parity.js';
import { GOLDEN_IMAGES } from '../../../src/check/golden.js';
import { availableModels } from '../../support/models.js';
import { beyond, float32Bound } from './tolerances.js';

/**
 * The default Core ML model (RGB image in; for a detector decoded boxes and sigmoid scores out)
 * fed the photos' and the noise image's 8-bit pixels, against the golden TFLite outputs
 * (decoded in TypeScript for a detector). Decoding maps raw regressors (input pixels) to
 * normalized coordinates, which divides their error by the input size, so the 1e-4 bar holds
 * for every detector here.
 */
describe.each(availableModels().map((m) => [m.id, m] as const))('Core ML image model of %s', (id, entry) => {
  const ctx = loadModelContext(loadModelFile(id));
  const detector = entry.decoding !== undefined;

  it('matches the golden outputs (decoded for a detector) on the photos and the noise image', () => {
    const { rows } = coremlGoldenParity(ctx);
    const outputs = detector ? ['boxes', 'scores'] : Object.keys(entry.outputs);
    expect(rows.map((r) => `${r.case}.${r.output}`)).toEqual([...GOLDEN_IMAGES, 'noise'].flatMap((c) => outputs.map((o) => `${c}.${o}`)));
    console.log(`${id} image float32: worst ${Math.max(...rows.map((r) => r.maxError)).toExponential(3)}`);
    expect(beyond(rows, detector ? 1e-4 : float32Bound(id))).toEqual([]);
  });

  if (detector) {
    it("with --seed-compatible computes the same under the seed app's output names", () => {
      const { rows } = coremlGoldenParity(ctx, { seedCompatible: true });
      expect(new Set(rows.map((r) => r.output))).toEqual(new Set(['1477', '1011']));
      expect(beyond(rows, 1e-4)).toEqual([]);
    });
  } else {
    it("refuses --seed-compatible, whose output names are a detector's", () => {
      expect(() => coremlGoldenParity(ctx, { seedCompatible: true })).toThrow(/--seed-compatible needs an SSD detector/);
    });
  }
});
