import protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import { CoremlError } from '../../src/ir/errors.js';
import { encodeMlmodel, findUnknownFields } from '../../src/coreml/schema.js';

/** Model { specificationVersion: 4, neuralNetwork { layers { name: 'bn', <extra layer fields> } } } */
function modelWithLayerBytes(writeExtra: (w: protobuf.Writer) => void): Uint8Array {
  const layer = protobuf.Writer.create();
  layer.uint32((1 << 3) | 2).string('bn');
  writeExtra(layer);
  const nn = protobuf.Writer.create();
  nn.uint32((1 << 3) | 2).bytes(layer.finish());
  const model = protobuf.Writer.create();
  model.uint32((1 << 3) | 0).int32(4);
  model.uint32((500 << 3) | 2).bytes(nn.finish());
  return model.finish();
}

describe('findUnknownFields', () => {
  test('a model written with our schema has none', () => {
    const bytes = encodeMlmodel({
      specificationVersion: 4,
      description: { metadata: { userDefined: { k: 'v' } } },
      neuralNetwork: { layers: [{ name: 'c', convolution: { kernelSize: [1, 1], weights: { floatValue: [1, 2] } } }] },
    });
    expect(findUnknownFields(bytes)).toEqual([]);
  });

  test('reports an undeclared field with its path (a batchnorm layer, field 160)', () => {
    const bytes = modelWithLayerBytes((w) => w.uint32((160 << 3) | 2).bytes(new Uint8Array(0)));
    expect(findUnknownFields(bytes)).toEqual([{ path: 'neuralNetwork.layers[0].#160', fieldNumber: 160, wireType: 2, reason: 'undeclared' }]);
  });

  test('reports undeclared fields nested inside declared messages and map entries', () => {
    const conv = protobuf.Writer.create();
    conv.uint32((1 << 3) | 0).uint64(8);
    conv.uint32((77 << 3) | 5).float(1.5);
    const withConv = modelWithLayerBytes((w) => w.uint32((100 << 3) | 2).bytes(conv.finish()));
    expect(findUnknownFields(withConv)).toEqual([{ path: 'neuralNetwork.layers[0].convolution.#77', fieldNumber: 77, wireType: 5, reason: 'undeclared' }]);

    const entry = protobuf.Writer.create();
    entry
      .uint32((1 << 3) | 2)
      .string('k')
      .uint32((2 << 3) | 2)
      .string('v')
      .uint32((3 << 3) | 0)
      .int32(1);
    const metadata = protobuf.Writer.create()
      .uint32((100 << 3) | 2)
      .bytes(entry.finish());
    const description = protobuf.Writer.create()
      .uint32((100 << 3) | 2)
      .bytes(metadata.finish());
    const model = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(description.finish())
      .finish();
    expect(findUnknownFields(model)).toEqual([{ path: 'description.metadata.userDefined[0].#3', fieldNumber: 3, wireType: 0, reason: 'undeclared' }]);
  });

  test('reports a declared field that arrives with the wrong wire type', () => {
    const bytes = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .string('four')
      .finish();
    expect(findUnknownFields(bytes)).toEqual([{ path: 'specificationVersion', fieldNumber: 1, wireType: 2, reason: 'wire type' }]);
  });

  test('accepts repeated numbers both packed and one per tag', () => {
    const conv = protobuf.Writer.create();
    conv
      .uint32((20 << 3) | 2)
      .fork()
      .uint64(3)
      .uint64(3)
      .ldelim();
    conv
      .uint32((30 << 3) | 0)
      .uint64(2)
      .uint32((30 << 3) | 0)
      .uint64(2);
    const bytes = modelWithLayerBytes((w) => w.uint32((100 << 3) | 2).bytes(conv.finish()));
    expect(findUnknownFields(bytes)).toEqual([]);
  });

  test('truncated bytes are an error, not a list', () => {
    const bytes = encodeMlmodel({ neuralNetwork: { layers: [{ name: 'a-long-enough-name' }] } });
    expect(() => findUnknownFields(bytes.subarray(0, bytes.length - 3), 'cut.mlmodel')).toThrow(CoremlError);
  });
});
