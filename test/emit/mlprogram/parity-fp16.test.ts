import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../../src/models/registry.js';
import { loadModelContext } from '../../../src/convert/model-context.js';
import { mlpackageGoldenParity } from '../../../src/check/mlpackage-parity.js';
import { mlprogramBound } from '../../../src/models/tolerances.js';
import { availableModels } from '../../support/models.js';
import { beyond } from '../coreml/tolerances.js';

/** float16 programs (the default) against the golden outputs, held to the measured bounds in src/models/tolerances.ts. */
describe.each(availableModels().map((m) => [m.id] as const))('.mlpackage float16 of %s', (id) => {
  const ctx = loadModelContext(loadModelFile(id));

  it.each([
    ['decoded, on the photos', false],
    ['raw, on every case', true],
  ] as const)('stays within the measured float16 bound, %s', (_, raw) => {
    const { rows, artifact } = mlpackageGoldenParity(ctx, { raw });
    const bytes = artifact.files.reduce((n, f) => n + f.bytes.byteLength, 0);
    console.log(`${id} ${raw ? 'raw' : 'decoded'} float16 (${bytes} bytes): worst ${Math.max(...rows.map((r) => r.maxError)).toExponential(3)}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(beyond(rows, mlprogramBound(id, { precision: 'fp16', decoded: !raw }))).toEqual([]);
  });
});
