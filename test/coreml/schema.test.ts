import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CoremlError } from '../../src/ir/errors.js';
import { decodeMlmodel, encodeMlmodel, schemaType } from '../../src/coreml/schema.js';
import { LAYER_KINDS, type Model } from '../../src/coreml/types.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';

const SEED = join(SHARED_DIR, 'reference', 'BlazeFaceScaled.mlmodel');

const tiny: Model = {
  specificationVersion: 4,
  description: {
    input: [{ name: 'x', type: { multiArrayType: { shape: [2, 3], dataType: 'FLOAT32' } } }],
    output: [{ name: 'y', type: { multiArrayType: { dataType: 'FLOAT32' } } }],
    metadata: { author: 'test', userDefined: { b: '2', a: '1' } },
  },
  neuralNetwork: {
    arrayInputShapeMapping: 'EXACT_ARRAY_MAPPING',
    layers: [{ name: 'relu', input: ['x'], output: ['y'], activation: { ReLU: {} } }],
  },
};

describe('decodeMlmodel / encodeMlmodel', () => {
  test('re-encoding the seed model gives its exact bytes', () => {
    const bytes = new Uint8Array(readFileSync(SEED));
    const model = decodeMlmodel(bytes, SEED);
    expect(model.neuralNetwork?.layers).toHaveLength(218);
    expect(Buffer.from(encodeMlmodel(model)).equals(Buffer.from(bytes))).toBe(true);
  });

  test('decoding keeps only the fields that are set, enums by name, 64-bit ints as numbers', () => {
    const model = decodeMlmodel(encodeMlmodel(tiny), 'tiny');
    expect(model).toEqual(tiny);
    const conv = decodeMlmodel(
      encodeMlmodel({ neuralNetwork: { layers: [{ reshapeStatic: { targetShape: [1, -1, 16] }, convolution: { outputChannels: 0, hasBias: false } }] } }),
      'x',
    ).neuralNetwork!.layers![0]!;
    // proto3 does not write zeros and false, so they come back absent, not as defaults.
    expect(conv.convolution).toEqual({});
    expect(conv.reshapeStatic).toEqual({ targetShape: [1, -1, 16] });
  });

  test('the same object always encodes to the same bytes', () => {
    expect(Buffer.from(encodeMlmodel(tiny)).equals(Buffer.from(encodeMlmodel(structuredClone(tiny))))).toBe(true);
  });

  test('refuses what the schema does not declare instead of dropping it', () => {
    const withKey = { ...tiny, neuralNetwork: { layers: [{ name: 'a', batchnorm: {} }] } } as unknown as Model;
    expect(() => encodeMlmodel(withKey)).toThrow(/Model\.neuralNetwork\.layers\[0\]\.batchnorm.*no field 'batchnorm'/);
    const badEnum = { neuralNetwork: { layers: [{ reshape: { mode: 'CHANNEL_MIDDLE' } }] } } as unknown as Model;
    expect(() => encodeMlmodel(badEnum)).toThrow(/CHANNEL_MIDDLE is not a value of enum ReshapeOrder/);
    const badNumber = { neuralNetwork: { layers: [{ convolution: { kernelSize: [3, -1] } }] } } as Model;
    expect(() => encodeMlmodel(badNumber)).toThrow(/kernelSize\[1\]: expected uint64/);
    const badBytes = { neuralNetwork: { layers: [{ convolution: { weights: { float16Value: [0, 60] } } }] } } as unknown as Model;
    expect(() => encodeMlmodel(badBytes)).toThrow(CoremlError);
    const notArray = { neuralNetwork: { layers: { name: 'a' } } } as unknown as Model;
    expect(() => encodeMlmodel(notArray)).toThrow(/expected an array/);
  });

  test('bytes that are not a protobuf message fail with the file name', () => {
    expect(() => decodeMlmodel(Uint8Array.from([0x0a, 0xff, 0xff]), 'broken.mlmodel')).toThrow(CoremlError);
    expect(() => decodeMlmodel(Uint8Array.from([0x0a, 0xff, 0xff]), 'broken.mlmodel')).toThrow(/broken\.mlmodel|not a valid Core ML model/);
  });
});

describe('schema and types agree', () => {
  test('LAYER_KINDS lists exactly the members of the layer oneof, in field-number order', () => {
    const layer = schemaType('NeuralNetworkLayer');
    const oneof = layer.oneofs['layer']!;
    const members = [...oneof.fieldsArray].sort((a, b) => a.id - b.id).map((f) => f.name);
    expect(LAYER_KINDS).toEqual(members);
  });

  test('Apple field numbers for a few fields we write', () => {
    const layer = schemaType('NeuralNetworkLayer');
    expect(layer.fields['convolution']!.id).toBe(100);
    expect(layer.fields['constantPad']!.id).toBe(1155);
    expect(layer.fields['batchedMatmul']!.id).toBe(1045);
    expect(schemaType('Model').fields['neuralNetwork']!.id).toBe(500);
    expect(schemaType('UpsampleLayerParams').fields['linearUpsampleMode']!.id).toBe(6);
    expect(schemaType('WeightParams').fields['float16Value']!.id).toBe(2);
  });
});
