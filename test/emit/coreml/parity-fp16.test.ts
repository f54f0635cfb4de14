import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../../src/models/registry.js';
import { loadModelContext } from '../../../src/convert/model-context.js';
import { coremlGoldenParity } from '../../../src/check/coreml-parity.js';
import { availableModels } from '../../support/models.js';
import { beyond, float16Bound } from './tolerances.js';

describe.each(availableModels().map((m) => [m.id] as const))('Core ML --fp16 of %s', (id) => {
  const ctx = loadModelContext(loadModelFile(id));

  it('stays within the measured float16 bound, decoded, on the pixel cases', () => {
    const { rows, artifact } = coremlGoldenParity(ctx, { fp16: true });
    console.log(`${id} decoded float16 (${artifact.bytes.byteLength} bytes): worst ${Math.max(...rows.map((r) => r.maxError)).toExponential(3)}`);
    expect(beyond(rows, float16Bound(id, 'decoded'))).toEqual([]);
  });

  it('stays within the measured float16 bound, raw, on every case', () => {
    const { rows, artifact } = coremlGoldenParity(ctx, { raw: true, fp16: true });
    console.log(`${id} raw float16 (${artifact.bytes.byteLength} bytes): worst ${Math.max(...rows.map((r) => r.maxError)).toExponential(3)}`);
    expect(beyond(rows, float16Bound(id, 'raw'))).toEqual([]);
  });
});
