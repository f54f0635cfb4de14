/**
 * The executor proven on a model another tool wrote: the seed's BlazeFaceScaled.mlmodel
 * (coremltools 4.0b3, from a PyTorch port of the `front` model), run on the three test photos
 * and compared with the real TFLite runtime's outputs for `front`, decoded as the seed decodes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { decodeForExecution, executeMlmodel } from '../../../src/runtimes/coreml/execute.js';
import { findUnknownFields } from '../../../src/coreml/schema.js';
import { LAYER_KINDS, type Model } from '../../../src/coreml/types.js';
import { PACKAGE_ROOT } from '../../../src/models/registry.js';
import { SHARED_DIR } from '../../../scripts/dev-data.js';
import { decodeRegressors, decodeScores, maxRelativeError, readFloat32File, readNpy, readPng } from './seed-fixtures.js';

const SEED = join(SHARED_DIR, 'reference', 'BlazeFaceScaled.mlmodel');
const CASES = ['1face', '3faces', '4faces'] as const;
const TOLERANCE = 1e-4;

let bytes: Uint8Array;
let model: Model;

beforeAll(() => {
  bytes = new Uint8Array(readFileSync(SEED));
  model = decodeForExecution(bytes, SEED);
});

describe('the seed model', () => {
  test('has no field our schema lacks', () => {
    expect(findUnknownFields(bytes, SEED)).toEqual([]);
  });

  test('has the interface the seed app uses', () => {
    expect(model.specificationVersion).toBe(4);
    expect(model.description?.input).toEqual([{ name: 'image', type: { imageType: { width: 128, height: 128, colorSpace: 'RGB' } } }]);
    expect(model.description?.output?.map((o) => o.name)).toEqual(['1477', '1011']);
    expect(model.neuralNetwork?.preprocessing).toEqual([
      { featureName: 'image', scaler: { channelScale: Math.fround(1 / 127.5), redBias: -1, greenBias: -1, blueBias: -1 } },
    ]);
    expect(model.neuralNetwork?.imageInputShapeMapping).toBe('RANK4_IMAGE_MAPPING');
  });

  test('uses these layer types', () => {
    const counts: Record<string, number> = {};
    for (const layer of model.neuralNetwork?.layers ?? []) {
      const kind = LAYER_KINDS.find((k) => layer[k] !== undefined) ?? 'unknown';
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    console.log(`seed layer types (${model.neuralNetwork?.layers?.length} layers): ${JSON.stringify(counts)}`);
    expect(counts).toEqual({
      padding: 4,
      convolution: 37,
      activation: 18,
      add: 32,
      constantPad: 11,
      pooling: 3,
      transpose: 4,
      reshapeStatic: 4,
      concatND: 2,
      squeeze: 17,
      sliceStatic: 16,
      multiply: 36,
      loadConstantND: 30,
      subtractBroadcastable: 2,
      stack: 1,
      expandDims: 1,
    });
  });
});

describe.each(CASES)('seed model on %s.png', (name) => {
  const golden = join(PACKAGE_ROOT, 'golden', 'front');
  test('matches the TFLite runtime within 1e-4', () => {
    const regressorsPath = join(golden, `${name}.regressors.f32`);
    const classificatorsPath = join(golden, `${name}.classificators.f32`);
    expect(existsSync(regressorsPath) && existsSync(classificatorsPath), `golden outputs in ${golden}`).toBe(true);
    const anchors = readNpy(join(SHARED_DIR, 'reference', 'anchors_front_128.npy'));
    expect(anchors.shape).toEqual([896, 4]);

    const start = performance.now();
    const out = executeMlmodel(model, { image: readPng(join(SHARED_DIR, 'images', `${name}.png`)) }, SEED);
    const ms = performance.now() - start;

    const boxes = out['1477']!;
    const scores = out['1011']!;
    expect(boxes.shape).toEqual([1, 896, 16]);
    expect(scores.shape).toEqual([1, 896, 1]);
    const boxError = maxRelativeError(boxes.data, decodeRegressors(readFloat32File(regressorsPath), anchors.data, 128));
    const scoreError = maxRelativeError(scores.data, decodeScores(readFloat32File(classificatorsPath)));
    console.log(`seed ${name}: 1477 max rel err ${boxError.toExponential(3)}, 1011 max rel err ${scoreError.toExponential(3)}, executor ${ms.toFixed(0)} ms`);
    expect(boxError).toBeLessThanOrEqual(TOLERANCE);
    expect(scoreError).toBeLessThanOrEqual(TOLERANCE);
  });
});
