import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../../src/models/registry.js';
import { loadModelContext } from '../../../src/convert/model-context.js';
import { mlpackageGoldenParity } from '../../../src/check/mlpackage-parity.js';
import { mlprogramBound } from '../../../src/models/tolerances.js';
import { availableModels } from '../../support/models.js';
import { beyond } from '../coreml/tolerances.js';

/**
 * float32 programs against the golden TFLite outputs, run by the MIL executor from the package
 * bytes. The bound is the Core ML float32 one: 1e-4, or 2e-4 where TFLite itself is that far
 * from an exact evaluation (front and back raw regressors, see src/models/tolerances.ts).
 */
describe.each(availableModels().map((m) => [m.id] as const))('.mlpackage float32 of %s', (id) => {
  const ctx = loadModelContext(loadModelFile(id));

  it.each([
    ['decoded, on the photos', false],
    ['raw, on every case', true],
  ] as const)('matches the golden outputs, %s', (_, raw) => {
    const { rows } = mlpackageGoldenParity(ctx, { precision: 'fp32', raw });
    console.log(`${id} ${raw ? 'raw' : 'decoded'} float32: worst ${Math.max(...rows.map((r) => r.maxError)).toExponential(3)}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(beyond(rows, mlprogramBound(id, { precision: 'fp32', decoded: !raw }))).toEqual([]);
  });
});
