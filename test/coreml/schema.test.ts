import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import { CoremlError } from '../../src/ir/errors.js';
import { decodeMlmodel, decodeMlmodelStrict, encodeMlmodel, schemaType } from '../../src/coreml/schema.js';
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

describe('decodeMlmodelStrict', () => {
  const weights = Float32Array.of(1.5, -2, 3.25, 1e-30, Number.NaN, -0);
  const withWeights: Model = {
    specificationVersion: 4,
    neuralNetwork: {
      layers: [{ name: 'fc', input: ['x'], output: ['y'], innerProduct: { inputChannels: 3, outputChannels: 2, weights: { floatValue: weights } } }],
    },
  };
  const floatsOf = (model: Model) => model.neuralNetwork?.layers?.[0]?.innerProduct?.weights?.floatValue;

  test('reads weights as a Float32Array, the rest as decodeMlmodel does, whatever the alignment of the bytes', () => {
    const bytes = encodeMlmodel(withWeights);
    const general = decodeMlmodel(bytes, 'fc');
    for (const shift of [0, 1, 2, 3]) {
      const moved = new Uint8Array(bytes.length + shift);
      moved.set(bytes, shift);
      const decoded = decodeMlmodelStrict(moved.subarray(shift), 'fc');
      const floats = floatsOf(decoded);
      expect(floats).toBeInstanceOf(Float32Array);
      expect(Object.is(floats![5], -0) && Number.isNaN(floats![4])).toBe(true);
      expect(Array.from(floats!)).toEqual(Array.from(weights));
      expect({
        ...decoded,
        neuralNetwork: {
          layers: [{ ...decoded.neuralNetwork!.layers![0], innerProduct: { ...decoded.neuralNetwork!.layers![0]!.innerProduct, weights: {} } }],
        },
      }).toEqual({
        ...general,
        neuralNetwork: {
          layers: [{ ...general.neuralNetwork!.layers![0], innerProduct: { ...general.neuralNetwork!.layers![0]!.innerProduct, weights: {} } }],
        },
      });
    }
  });

  test('reads floats written one per tag, or as several packed runs, or as an empty run, like a packed run', () => {
    const floatValue = schemaType('WeightParams').fields['floatValue']!.id;
    const encodings: [string, (w: protobuf.Writer) => void, number[]][] = [
      ['one per tag', (w) => weights.forEach((v) => w.uint32((floatValue << 3) | 5).float(v)), Array.from(weights)],
      [
        'two runs',
        (w) => {
          for (const run of [weights.subarray(0, 2), weights.subarray(2)])
            w.uint32((floatValue << 3) | 2).bytes(new Uint8Array(run.buffer, run.byteOffset, run.byteLength));
        },
        Array.from(weights),
      ],
      ['an empty run', (w) => w.uint32((floatValue << 3) | 2).bytes(new Uint8Array(0)), []],
    ];
    for (const [form, write, expected] of encodings) {
      const params = protobuf.Writer.create();
      write(params);
      const inner = protobuf.Writer.create()
        .uint32((schemaType('InnerProductLayerParams').fields['weights']!.id << 3) | 2)
        .bytes(params.finish());
      const layer = protobuf.Writer.create()
        .uint32((schemaType('NeuralNetworkLayer').fields['innerProduct']!.id << 3) | 2)
        .bytes(inner.finish());
      const nn = protobuf.Writer.create()
        .uint32((1 << 3) | 2)
        .bytes(layer.finish());
      const bytes = protobuf.Writer.create()
        .uint32((schemaType('Model').fields['neuralNetwork']!.id << 3) | 2)
        .bytes(nn.finish())
        .finish();
      const floats = floatsOf(decodeMlmodelStrict(bytes, form));
      expect(floats === undefined ? [] : [floats instanceof Float32Array, ...Array.from(floats)], form).toEqual(expected.length > 0 ? [true, ...expected] : []);
    }
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
