import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { formatFuzz, fuzzCases, runFuzz } from '../../scripts/fuzz/pipeline-fuzz.js';
import { CURRENT_API } from '../../scripts/fuzz/current-api.js';
import { availableModels } from '../support/models.js';

/** Cases per registry model; FUZZ_PER_MODEL raises it for a longer run (`npm run fuzz` prints the table). */
const PER_MODEL = Number(process.env.FUZZ_PER_MODEL ?? 24);

describe('the whole pipeline on damaged and hostile model files', () => {
  it('ends every case in a written set whose ONNX loads in ONNX Runtime, or in a typed error', async () => {
    const sources = availableModels().map((m) => ({ name: m.id, bytes: loadModelFile(m.id).bytes }));
    const result = await runFuzz(CURRENT_API, fuzzCases(sources, PER_MODEL, 0xf022));
    console.log(formatFuzz(result));
    expect(result.examples).toEqual([]);
    expect(result.counts.success).toBeGreaterThan(0);
    expect(result.counts.typed).toBeGreaterThan(0);
  });
});
