/**
 * `npm run fuzz [-- --per-model N] [--seed S]`: the pipeline fuzz run over every registry model
 * on this machine, printed as a table (what `test/fuzz/pipeline.test.ts` runs at a small size).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { listModels, loadModelFile, modelPath } from '../src/models/registry.js';
import { formatFuzz, fuzzCases, runFuzz } from './fuzz/pipeline-fuzz.js';
import { CURRENT_API } from './fuzz/current-api.js';

const { values } = parseArgs({ options: { 'per-model': { type: 'string', default: '400' }, seed: { type: 'string', default: '1634' } } });
const sources = listModels()
  .filter((m) => existsSync(modelPath(m)))
  .map((m) => ({ name: m.id, bytes: loadModelFile(m.id).bytes }));
const cases = fuzzCases(sources, Number(values['per-model']), Number(values.seed));
const result = await runFuzz(CURRENT_API, cases);
process.stdout.write(`${formatFuzz(result)}\n`);
