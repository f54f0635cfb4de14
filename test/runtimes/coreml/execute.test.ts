import protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import { decodeForExecution, executeMlmodel, type RgbImage } from '../../../src/runtimes/coreml/execute.js';
import { decodeMlmodel } from '../../../src/coreml/schema.js';
import type { Model, NeuralNetwork } from '../../../src/coreml/types.js';
import { CoremlError, InputError } from '../../../src/ir/errors.js';
import { oneLayerModel, runOneLayer } from './one-layer.js';

/** A 2x1 RGBA image: pixel 0 = (10, 20, 30), pixel 1 = (40, 50, 60). */
const image: RgbImage = { width: 2, height: 1, channels: 4, data: Uint8Array.from([10, 20, 30, 255, 40, 50, 60, 255]) };

function imageModel(colorSpace: 'RGB' | 'BGR', nn: Omit<NeuralNetwork, 'layers'>): Model {
  return {
    description: {
      input: [{ name: 'image', type: { imageType: { width: 2, height: 1, colorSpace } } }],
      output: [{ name: 'y', type: { multiArrayType: { dataType: 'FLOAT32' } } }],
    },
    neuralNetwork: { ...nn, layers: [{ name: 'id', input: ['image'], output: ['y'], activation: { linear: { alpha: 1 } } }] },
  };
}

describe('image inputs', () => {
  test('RGB: channels R, G, B, scaled and biased per colour, rank 4 mapping', () => {
    const scaler = { channelScale: 0.5, redBias: 1, greenBias: 2, blueBias: 3 };
    const nn = { imageInputShapeMapping: 'RANK4_IMAGE_MAPPING' as const, preprocessing: [{ featureName: 'image', scaler }] };
    const y = executeMlmodel(imageModel('RGB', nn), { image }).y!;
    expect(y.shape).toEqual([1, 3, 1, 2]);
    expect(Array.from(y.data)).toEqual([6, 21, 12, 27, 18, 33]);
  });

  test('BGR: channels B, G, R; rank 5 mapping by default; no preprocessing passes pixels through', () => {
    const y = executeMlmodel(imageModel('BGR', {}), { image }).y!;
    expect(y.shape).toEqual([1, 1, 3, 1, 2]);
    expect(Array.from(y.data)).toEqual([30, 60, 20, 50, 10, 40]);
  });

  test('a scaler without channelScale multiplies by proto3 zero', () => {
    const y = executeMlmodel(imageModel('RGB', { preprocessing: [{ featureName: 'image', scaler: { redBias: -1 } }] }), { image }).y!;
    expect(Array.from(y.data)).toEqual([-1, -1, 0, 0, 0, 0]);
  });

  test('refuses a mean image, a wrong image size and an image given for an array', () => {
    const mean = imageModel('RGB', { preprocessing: [{ featureName: 'image', meanImage: { meanImage: [1] } }] });
    expect(() => executeMlmodel(mean, { image })).toThrow(/preprocessing of 'image' field meanImage/);
    expect(() => executeMlmodel(imageModel('RGB', {}), { image: { ...image, width: 1 } })).toThrow(InputError);
    const arrayModel = oneLayerModel({ activation: { ReLU: {} } }, { x: { shape: [2], data: [] } }, ['y']);
    expect(() => executeMlmodel(arrayModel, { x: image })).toThrow(/is a multi-array input, got an image/);
  });
});

describe('graph checks and refusals', () => {
  test('a layer with no layer type we know is refused (decoded from bytes with a batchnorm, field 160)', () => {
    const layer = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .string('bn')
      .uint32((160 << 3) | 2)
      .bytes(new Uint8Array(0));
    const nn = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(layer.finish());
    const bytes = protobuf.Writer.create()
      .uint32((500 << 3) | 2)
      .bytes(nn.finish())
      .finish();
    expect(() => decodeForExecution(bytes, 'bn.mlmodel')).toThrow(/neuralNetwork\.layers\[0\]\.#160: field 160 is not in our Core ML schema/);
    expect(() => executeMlmodel(decodeMlmodel(bytes, 'bn.mlmodel'), {})).toThrow(/layer 0 'bn': has no layer type the executor implements/);
  });

  test('a layer with two layer types is refused', () => {
    expect(() => runOneLayer({ add: {}, multiply: {} }, { x: { shape: [1], data: [1] } })).toThrow(/sets 2 layer types \(add, multiply\)/);
  });

  test('updatable layers, unknown inputs and redefined blobs are refused', () => {
    expect(() => runOneLayer({ isUpdatable: true, activation: { ReLU: {} } }, { x: { shape: [1], data: [1] } })).toThrow(/field isUpdatable/);
    const model = oneLayerModel({ activation: { ReLU: {} } }, { x: { shape: [1], data: [] } }, ['y']);
    model.neuralNetwork!.layers![0]!.input = ['nope'];
    expect(() => executeMlmodel(model, { x: Float32Array.of(1) })).toThrow(/'nope' is not produced by an earlier layer/);
    const twice = oneLayerModel({ activation: { ReLU: {} } }, { x: { shape: [1], data: [] } }, ['y']);
    twice.neuralNetwork!.layers!.push({ ...twice.neuralNetwork!.layers![0]!, name: 'again' });
    expect(() => executeMlmodel(twice, { x: Float32Array.of(1) })).toThrow(/layer 1 'again' \(activation\) field output: 'y' is already defined/);
    expect(() => executeMlmodel(model, { x: Float32Array.of(1), extra: Float32Array.of(1) })).toThrow(/input 'extra': is not an input/);
  });

  test('shapes recorded on the layer must match the computed ones', () => {
    const ok = runOneLayer({ activation: { ReLU: {} }, outputTensor: [{ rank: 2, dimValue: [2, -1] }] }, { x: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] } });
    expect(ok.y!.shape).toEqual([2, 3]);
    expect(() =>
      runOneLayer({ activation: { ReLU: {} }, outputTensor: [{ rank: 2, dimValue: [3, 2] }] }, { x: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] } }),
    ).toThrow(/outputTensor\[0\]: declares rank 2 \[3, 2\], the executor computed \[2, 3\]/);
  });

  test('a model that is not a NeuralNetwork, or lacks a declared output, is refused', () => {
    expect(() => executeMlmodel({ specificationVersion: 4 }, {})).toThrow(CoremlError);
    const model = oneLayerModel({ activation: { ReLU: {} } }, { x: { shape: [1], data: [] } }, ['y']);
    model.description!.output!.push({ name: 'z', type: { multiArrayType: { dataType: 'FLOAT32' } } });
    expect(() => executeMlmodel(model, { x: Float32Array.of(1) })).toThrow(/output 'z': is not produced by any layer/);
  });
});
