/**
 * `npm run fuzz [-- --per-model N] [--seed S]`: the pipeline fuzz run over every registry model
 * on this machine, printed as a table (what `test/fuzz/pipeline.test.ts` runs at a small size).
 */
import { parseArgs } from 'node:util';
import { listModels, loadModelFile, modelFileAvailable } from '../src/models/registry.js';
import { useDevData } from './dev-data.js';
import { formatFuzz, fuzzCases, runFuzz } from './fuzz/pipeline-fuzz.js';
import { CURRENT_API } from './fuzz/current-api.js';

const { values } = parseArgs({ options: { 'per-model': { type: 'string', default: '400' }, seed: { type: 'string', default: '1634' } } });
useDevData();
const sources = listModels()
  .filter(modelFileAvailable)
  .map((m) => ({ name: m.id, bytes: loadModelFile(m.id).bytes }));
const cases = fuzzCases(sources, Number(values['per-model']), Number(values.seed));
const result = await runFuzz(CURRENT_API, cases);
process.stdout.write(`${formatFuzz(result)}\n`);
