import { describe, expect, test } from 'vitest';
import { getModel } from '../../src/models/registry.js';
import {
  BuiltinOperator,
  BuiltinOperatorName,
  TensorType,
  decodeModel,
  encodeModel,
  type BuiltinOptionsValue,
  type Model,
  type Operator,
  type OperatorCode,
  type UnknownUnionMember,
} from '../../src/schema/tflite.js';
import { digestTypedArrays } from './digest.js';
import { modelCases } from './model-files.js';

/** Structure of each model as the real files hold it (counted once, kept as a regression guard). */
const EXPECTED = {
  front: { codes: 8, tensors: 176, operators: 90, buffers: 88, sparse: 0, newCodes: false },
  back: { codes: 9, tensors: 423, operators: 282, buffers: 143, sparse: 0, newCodes: false },
  short_range: { codes: 9, tensors: 250, operators: 164, buffers: 88, sparse: 0, newCodes: false },
  full_range: { codes: 9, tensors: 544, operators: 354, buffers: 192, sparse: 0, newCodes: true },
  full_range_sparse: { codes: 9, tensors: 577, operators: 388, buffers: 581, sparse: 46, newCodes: true },
  palm_detection_lite: { codes: 10, tensors: 353, operators: 232, buffers: 245, sparse: 0, newCodes: true },
  palm_detection_full: { codes: 10, tensors: 413, operators: 272, buffers: 285, sparse: 0, newCodes: true },
  hand_landmark_lite: { codes: 8, tensors: 271, operators: 167, buffers: 174, sparse: 0, newCodes: true },
  hand_landmark_full: { codes: 7, tensors: 269, operators: 165, buffers: 172, sparse: 0, newCodes: true },
  face_landmark: { codes: 7, tensors: 327, operators: 210, buffers: 119, sparse: 0, newCodes: false },
} as const;

/** The options each operator must carry, as the format pairs them (null: the op has none or may omit them). */
const OPTIONS_OF: Readonly<Record<number, BuiltinOptionsValue['type'] | null>> = {
  [BuiltinOperator.CONV_2D]: 'Conv2DOptions',
  [BuiltinOperator.DEPTHWISE_CONV_2D]: 'DepthwiseConv2DOptions',
  [BuiltinOperator.ADD]: 'AddOptions',
  [BuiltinOperator.MAX_POOL_2D]: 'Pool2DOptions',
  [BuiltinOperator.CONCATENATION]: 'ConcatenationOptions',
  [BuiltinOperator.RESIZE_BILINEAR]: 'ResizeBilinearOptions',
  [BuiltinOperator.DEPTH_TO_SPACE]: 'DepthToSpaceOptions',
  [BuiltinOperator.RESHAPE]: null,
  [BuiltinOperator.PAD]: null,
  [BuiltinOperator.RELU]: null,
  [BuiltinOperator.DEQUANTIZE]: null,
  [BuiltinOperator.DENSIFY]: null,
  [BuiltinOperator.PRELU]: null,
  [BuiltinOperator.LOGISTIC]: null,
  [BuiltinOperator.MEAN]: 'ReducerOptions',
  [BuiltinOperator.FULLY_CONNECTED]: 'FullyConnectedOptions',
};

function effectiveCode(code: OperatorCode): number {
  return Math.max(code.builtinCode, code.deprecatedBuiltinCode);
}

function operatorsOf(model: Model, op: number): Operator[] {
  const codes = model.operatorCodes ?? [];
  return (model.subgraphs?.[0]?.operators ?? []).filter((o) => {
    const code = codes[o.opcodeIndex];
    return code !== undefined && effectiveCode(code) === op;
  });
}

type OptionsByType = { [V in Exclude<BuiltinOptionsValue, UnknownUnionMember> as V['type']]: V['value'] };

function optionsOf<K extends keyof OptionsByType>(op: Operator, type: K): OptionsByType[K] {
  const options = op.builtinOptions;
  if (!options || options.type === 'unknown' || options.type !== type) throw new Error(`expected ${type}, got ${options?.type ?? 'none'}`);
  return options.value as OptionsByType[K];
}

describe.each(modelCases())('model $id', (modelCase) => {
  const expected = EXPECTED[modelCase.id];
  const decode = (): { model: Model; bytes: Uint8Array } => {
    const file = modelCase.load();
    return { model: decodeModel(file.bytes, file.path), bytes: file.bytes };
  };

  test.runIf(modelCase.run)('decodes with the expected structure', () => {
    const { model } = decode();
    expect(model.version).toBe(3);
    expect(model.subgraphs).toHaveLength(1);
    const graph = model.subgraphs?.[0];
    expect(model.operatorCodes).toHaveLength(expected.codes);
    expect(graph?.tensors).toHaveLength(expected.tensors);
    expect(graph?.operators).toHaveLength(expected.operators);
    expect(model.buffers).toHaveLength(expected.buffers);
    expect(graph?.tensors?.filter((t) => t.sparsity !== null)).toHaveLength(expected.sparse);
    expect(model.buffers?.[0]?.data ?? new Uint8Array()).toHaveLength(0);
    expect(graph?.inputs).toHaveLength(1);
    expect(graph?.outputs).toHaveLength(Object.keys(getModel(modelCase.id).outputs).length);
  });

  test.runIf(modelCase.run)('exposes both operator code fields', () => {
    const { model } = decode();
    expect(model.operatorCodes?.some((c) => c.deprecatedBuiltinCode > 0)).toBe(true);
    for (const code of model.operatorCodes ?? []) {
      // Older converters leave builtin_code at 0 (ADD); newer ones write both fields.
      expect(code.builtinCode).toBe(expected.newCodes ? code.deprecatedBuiltinCode : 0);
      expect(BuiltinOperatorName[effectiveCode(code)]).toMatch(/^[A-Z_0-9]+$/);
    }
  });

  test.runIf(modelCase.run)('pairs every operator with the options type its code calls for', () => {
    const { model } = decode();
    const codes = model.operatorCodes ?? [];
    for (const op of model.subgraphs?.[0]?.operators ?? []) {
      const code = codes[op.opcodeIndex];
      expect(code).toBeDefined();
      const wanted = OPTIONS_OF[effectiveCode(code as OperatorCode)];
      expect(wanted, BuiltinOperatorName[effectiveCode(code as OperatorCode)]).not.toBeUndefined();
      if (wanted) expect(op.builtinOptions?.type).toBe(wanted);
      else expect(op.builtinOptions?.type ?? null).not.toBe('unknown');
    }
  });

  test.runIf(modelCase.run)('reads the image input and the first convolution', () => {
    const { model } = decode();
    const graph = model.subgraphs?.[0];
    const input = graph?.tensors?.[graph.inputs?.[0] ?? -1];
    expect(input?.type).toBe(TensorType.FLOAT32);
    const { width, height } = getModel(modelCase.id).input;
    expect(Array.from(input?.shape ?? [])).toEqual([1, height, width, 3]);
    const convs = operatorsOf(model, BuiltinOperator.CONV_2D);
    const first = convs.find((op) => op.inputs?.[0] === graph?.inputs?.[0]) ?? convs[0];
    const options = optionsOf(first as Operator, 'Conv2DOptions');
    expect(options.strideW).toBe(2);
    expect(options.strideH).toBe(2);
    expect(options.dilationWFactor).toBe(1);
    expect(options.dilationHFactor).toBe(1);
  });

  test.runIf(modelCase.run)('keeps [ubyte] buffer data as views into the file', () => {
    const { model, bytes } = decode();
    const data = model.buffers?.find((b) => (b.data?.length ?? 0) > 0)?.data;
    expect(data?.buffer).toBe(bytes.buffer);
  });

  test.runIf(modelCase.run)('survives encode and decode unchanged', () => {
    const { model } = decode();
    const again = decodeModel(encodeModel(model), 'round-trip');
    expect(digestTypedArrays(again)).toEqual(digestTypedArrays(model));
  });
});

describe('model-specific facts', () => {
  const cases = new Map(modelCases().map((c) => [c.id, c]));

  test.runIf(cases.get('full_range')?.run)('full_range resizes with half-pixel centres', () => {
    const file = cases.get('full_range')?.load();
    const model = decodeModel(file?.bytes ?? new Uint8Array(), file?.path ?? '');
    const resizes = operatorsOf(model, BuiltinOperator.RESIZE_BILINEAR);
    expect(resizes).toHaveLength(3);
    for (const op of resizes) {
      expect(optionsOf(op, 'ResizeBilinearOptions')).toEqual({ alignCorners: false, halfPixelCenters: true });
    }
  });

  test.runIf(cases.get('full_range_sparse')?.run)('full_range_sparse stores 46 CSR tensors for DENSIFY', () => {
    const file = cases.get('full_range_sparse')?.load();
    const model = decodeModel(file?.bytes ?? new Uint8Array(), file?.path ?? '');
    const tensors = model.subgraphs?.[0]?.tensors ?? [];
    const sparse = tensors.filter((t) => t.sparsity !== null);
    expect(sparse).toHaveLength(46);
    const indexTypes = new Set<string>();
    for (const tensor of sparse) {
      expect(tensor.type).toBe(TensorType.FLOAT16);
      const sparsity = tensor.sparsity;
      const rank = tensor.shape?.length ?? 0;
      expect(Array.from(sparsity?.traversalOrder ?? [])).toEqual([...Array(rank).keys()]);
      expect(sparsity?.blockMap).toBeNull();
      const dims = sparsity?.dimMetadata ?? [];
      expect(dims).toHaveLength(rank);
      dims.slice(0, -1).forEach((d, axis) => expect(d).toMatchObject({ format: 0, denseSize: tensor.shape?.[axis] }));
      const last = dims[dims.length - 1];
      expect(last?.format).toBe(1);
      for (const vector of [last?.arraySegments, last?.arrayIndices]) {
        expect(vector?.type).toMatch(/^Uint(8|16)Vector$/);
        if (vector && vector.type !== 'unknown') indexTypes.add(vector.type);
      }
    }
    expect(operatorsOf(model, BuiltinOperator.DENSIFY)).toHaveLength(46);
    const depthToSpace = operatorsOf(model, BuiltinOperator.DEPTH_TO_SPACE);
    expect(depthToSpace.map((op) => optionsOf(op, 'DepthToSpaceOptions').blockSize)).toEqual([2, 2]);
    expect([...indexTypes].sort()).toEqual(['Uint16Vector', 'Uint8Vector']);
  });
});
