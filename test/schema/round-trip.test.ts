import { describe, expect, test } from 'vitest';
import { EmitError } from '../../src/ir/errors.js';
import {
  ActivationFunctionType,
  BuiltinOperator,
  DimensionType,
  Padding,
  TensorType,
  decodeModel,
  encodeModel,
  type ModelInit,
} from '../../src/schema/tflite.js';
import { readErrorOf } from '../flatbuffer/read-error.js';

/** A one-subgraph model that sets at least one field of every kind the schema has. */
const MODEL: ModelInit = {
  version: 3,
  description: 'hand-built: visage é 顔',
  operatorCodes: [
    { deprecatedBuiltinCode: BuiltinOperator.CONV_2D, builtinCode: BuiltinOperator.CONV_2D },
    { deprecatedBuiltinCode: 127, builtinCode: BuiltinOperator.DENSIFY, version: 2 },
    { builtinCode: BuiltinOperator.CUSTOM, customCode: 'MyCustomOp' },
  ],
  buffers: [{}, { data: new Uint8Array([1, 2, 3, 4, 5, 6, 7]) }, { data: [9, 8, 7] }, { offset: 2 ** 40, size: 12 }],
  metadataBuffer: [2],
  metadata: [{ name: 'min_runtime_version', buffer: 2 }],
  signatureDefs: [{ signatureKey: 'serving_default', subgraphIndex: 0, inputs: [{ name: 'in', tensorIndex: 0 }], outputs: [] }],
  subgraphs: [
    {
      name: 'main',
      inputs: [0],
      outputs: new Int32Array([2]),
      tensors: [
        { name: 'input', shape: [1, 5, 7, 3], type: TensorType.FLOAT32, shapeSignature: [-1, 5, 7, 3], hasRank: true },
        {
          name: 'weights',
          shape: [4, 3],
          type: TensorType.INT8,
          buffer: 1,
          isVariable: true,
          quantization: {
            min: [-1],
            max: new Float32Array([1]),
            scale: [0.5, 0.25, 0.125, 0.0625],
            zeroPoint: new BigInt64Array([0n, -3n, 2n ** 40n, 7n]),
            quantizedDimension: 0,
          },
          sparsity: {
            traversalOrder: [0, 1],
            blockMap: null,
            dimMetadata: [
              { format: DimensionType.DENSE, denseSize: 4 },
              {
                format: DimensionType.SPARSE_CSR,
                arraySegments: { type: 'Uint16Vector', value: { values: [0, 1, 1, 3, 3] } },
                arrayIndices: { type: 'Uint8Vector', value: { values: [2, 0, 1] } },
              },
            ],
          },
        },
        { name: 'output', shape: [1, 3, 4, 4], type: TensorType.FLOAT32, quantization: { details: { type: 'CustomQuantization', value: { custom: [1, 2] } } } },
      ],
      operators: [
        {
          opcodeIndex: 0,
          inputs: [0, 1, -1],
          outputs: [2],
          builtinOptions: {
            type: 'Conv2DOptions',
            value: { padding: Padding.VALID, strideW: 2, strideH: 1, fusedActivationFunction: ActivationFunctionType.RELU6 },
          },
          intermediates: [],
          mutatingVariableInputs: [false, true, false],
        },
        {
          opcodeIndex: 1,
          inputs: [1],
          outputs: [1],
          builtinOptions: { type: 'unknown', typeId: 120 },
          builtinOptions2: { type: 'StablehloConcatenateOptions', value: { dimension: -(2 ** 40) } },
        },
        { opcodeIndex: 2, customOptions: [0xde, 0xad], customOptionsFormat: 0, largeCustomOptionsOffset: 5n, largeCustomOptionsSize: 6 },
      ],
    },
  ],
};

describe('encodeModel then decodeModel', () => {
  const bytes = encodeModel(MODEL);
  const model = decodeModel(bytes, 'hand-built.tflite');
  const graph = model.subgraphs?.[0];

  test('writes the TFL3 identifier', () => {
    expect(new TextDecoder().decode(bytes.subarray(4, 8))).toBe('TFL3');
  });

  test('keeps model-level fields, strings and metadata', () => {
    expect(model.version).toBe(3);
    expect(model.description).toBe('hand-built: visage é 顔');
    expect(model.operatorCodes).toEqual([
      { deprecatedBuiltinCode: 3, customCode: null, version: 1, builtinCode: 3 },
      { deprecatedBuiltinCode: 127, customCode: null, version: 2, builtinCode: 124 },
      { deprecatedBuiltinCode: 0, customCode: 'MyCustomOp', version: 1, builtinCode: 32 },
    ]);
    expect(Array.from(model.metadataBuffer ?? [])).toEqual([2]);
    expect(model.metadata).toEqual([{ name: 'min_runtime_version', buffer: 2 }]);
    expect(model.signatureDefs).toEqual([{ signatureKey: 'serving_default', subgraphIndex: 0, inputs: [{ name: 'in', tensorIndex: 0 }], outputs: [] }]);
  });

  test('keeps buffers, aligns their data to 16 bytes and returns it as views', () => {
    const buffers = model.buffers ?? [];
    expect(buffers).toHaveLength(4);
    expect(buffers[0]).toEqual({ data: null, offset: 0, size: 0 });
    expect(Array.from(buffers[1]?.data ?? [])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(buffers[2]?.data ?? [])).toEqual([9, 8, 7]);
    for (const data of [buffers[1]?.data, buffers[2]?.data]) {
      expect(data?.buffer).toBe(bytes.buffer);
      expect((data?.byteOffset ?? 1) % 16).toBe(0);
    }
    expect(buffers[3]).toEqual({ data: null, offset: 2 ** 40, size: 12 });
  });

  test('keeps tensors with typed vectors, defaults, quantization and sparsity', () => {
    const [input, weights, output] = graph?.tensors ?? [];
    expect(input).toMatchObject({ name: 'input', type: TensorType.FLOAT32, buffer: 0, isVariable: false, hasRank: true, quantization: null, sparsity: null });
    expect(input?.shape).toEqual(new Int32Array([1, 5, 7, 3]));
    expect(input?.shapeSignature).toEqual(new Int32Array([-1, 5, 7, 3]));
    expect(weights).toMatchObject({ type: TensorType.INT8, buffer: 1, isVariable: true, hasRank: false, shapeSignature: null });
    const q = weights?.quantization;
    expect(q?.min).toEqual(new Float32Array([-1]));
    expect(q?.max).toEqual(new Float32Array([1]));
    expect(q?.scale).toEqual(new Float32Array([0.5, 0.25, 0.125, 0.0625]));
    expect(q?.zeroPoint).toEqual(new BigInt64Array([0n, -3n, 2n ** 40n, 7n]));
    expect(q?.details).toBeNull();
    expect(q?.quantizedDimension).toBe(0);
    const s = weights?.sparsity;
    expect(s?.traversalOrder).toEqual(new Int32Array([0, 1]));
    expect(s?.blockMap).toBeNull();
    expect(s?.dimMetadata?.[0]).toEqual({ format: 0, denseSize: 4, arraySegments: null, arrayIndices: null });
    const csr = s?.dimMetadata?.[1];
    expect(csr?.format).toBe(DimensionType.SPARSE_CSR);
    expect(csr?.arraySegments).toEqual({ type: 'Uint16Vector', value: { values: new Uint16Array([0, 1, 1, 3, 3]) } });
    expect(csr?.arrayIndices?.type).toBe('Uint8Vector');
    expect(output?.quantization?.details?.type).toBe('CustomQuantization');
  });

  test('keeps operators, options defaults and union members, known or not', () => {
    const [conv, densify, custom] = graph?.operators ?? [];
    expect(conv?.inputs).toEqual(new Int32Array([0, 1, -1]));
    expect(conv?.builtinOptions).toEqual({
      type: 'Conv2DOptions',
      value: { padding: 1, strideW: 2, strideH: 1, fusedActivationFunction: 3, dilationWFactor: 1, dilationHFactor: 1, quantizedBiasType: 0 },
    });
    expect(conv?.intermediates).toEqual(new Int32Array([]));
    expect(conv?.mutatingVariableInputs).toEqual([false, true, false]);
    expect(conv?.builtinOptions2).toBeNull();
    expect(densify?.builtinOptions).toEqual({ type: 'unknown', typeId: 120 });
    expect(densify?.builtinOptions2).toEqual({ type: 'StablehloConcatenateOptions', value: { dimension: -(2 ** 40) } });
    expect(custom?.builtinOptions).toBeNull();
    expect(Array.from(custom?.customOptions ?? [])).toEqual([0xde, 0xad]);
    expect(custom).toMatchObject({ largeCustomOptionsOffset: 5, largeCustomOptionsSize: 6 });
    expect(graph?.outputs).toEqual(new Int32Array([2]));
    expect(graph?.name).toBe('main');
  });

  test('is deterministic and stable under a second round trip', () => {
    expect(encodeModel(MODEL)).toEqual(bytes);
    expect(decodeModel(encodeModel(model), 'again')).toEqual(model);
  });

  test('copies numeric vectors instead of aliasing the input', () => {
    const shape = graph?.tensors?.[0]?.shape;
    expect(shape?.buffer).not.toBe(bytes.buffer);
  });
});

describe('absent fields take schema defaults', () => {
  test('an empty model decodes to nulls and zeros', () => {
    expect(decodeModel(encodeModel({}), 'empty')).toEqual({
      version: 0,
      operatorCodes: null,
      subgraphs: null,
      description: null,
      buffers: null,
      metadataBuffer: null,
      metadata: null,
      signatureDefs: null,
    });
  });

  test('non-zero defaults come back when the field is left out', () => {
    const model = decodeModel(
      encodeModel({
        operatorCodes: [{}],
        subgraphs: [{ operators: [{ builtinOptions: { type: 'AddOptions', value: {} } }, { builtinOptions: { type: 'DepthwiseConv2DOptions', value: {} } }] }],
      }),
      'defaults',
    );
    expect(model.operatorCodes?.[0]?.version).toBe(1);
    const [add, depthwise] = model.subgraphs?.[0]?.operators ?? [];
    expect(add?.builtinOptions).toEqual({ type: 'AddOptions', value: { fusedActivationFunction: 0, potScaleInt16: true } });
    expect(depthwise?.builtinOptions).toMatchObject({ value: { dilationWFactor: 1, dilationHFactor: 1, depthMultiplier: 0 } });
  });
});

describe('encoder input checks', () => {
  test('rejects integers that do not fit their field', () => {
    expect(() => encodeModel({ operatorCodes: [{ deprecatedBuiltinCode: 200 }] })).toThrow(EmitError);
    expect(() => encodeModel({ version: -1 })).toThrow(/does not fit uint32/);
    expect(() => encodeModel({ subgraphs: [{ inputs: [1.5] }] })).toThrow(/vector element 0: expected a whole int32/);
    expect(() => encodeModel({ buffers: [{ data: [256] }] })).toThrow(/vector element 0: 256 does not fit uint8/);
  });

  test('rejects an unknown union member that uses a declared or impossible type id', () => {
    const withOptions = (typeId: number): ModelInit => ({ subgraphs: [{ operators: [{ builtinOptions: { type: 'unknown', typeId } }] }] });
    expect(() => encodeModel(withOptions(1))).toThrow(EmitError);
    expect(() => encodeModel(withOptions(256))).toThrow(EmitError);
    expect(() => encodeModel(withOptions(0))).toThrow(EmitError);
  });
});

describe('64-bit fields', () => {
  test('a value beyond Number.MAX_SAFE_INTEGER is a ReadError, not a rounded number', () => {
    const bytes = encodeModel({ buffers: [{ offset: 2n ** 60n }] });
    const error = readErrorOf(() => decodeModel(bytes, 'big.tflite'));
    expect(error.file).toBe('big.tflite');
    expect(error.expected).toMatch(/^a 64-bit integer within/);
    expect(bytes.subarray(error.offset, error.offset + 8)).toEqual(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 16]));
  });

  test('Number.MAX_SAFE_INTEGER itself decodes exactly', () => {
    const model = decodeModel(encodeModel({ buffers: [{ size: Number.MAX_SAFE_INTEGER }] }), 'max');
    expect(model.buffers?.[0]?.size).toBe(Number.MAX_SAFE_INTEGER);
  });
});
