/**
 * Hand-written MIL programs for the executor tests: operations spelled out as Apple's MIL.proto
 * has them, packed into an .mlpackage (manifest, model, weight file) and run through the same
 * loader as an emitted package. Inputs and outputs are float32 multi-arrays.
 */
import { BlobStorageWriter } from '../../../src/coreml/blob-storage.js';
import { MANIFEST_PATH, MODEL_PATH, WEIGHT_FILE_PATH, packageManifest } from '../../../src/coreml/mlpackage.js';
import { encodeMlmodel } from '../../../src/coreml/schema.js';
import type { MILSpec, Model } from '../../../src/coreml/types.js';
import { executeMlProgram, loadMlPackage, type ExecutorOutput } from '../../../src/runtimes/mil/execute.js';

export type ElementType = 'fp16' | 'fp32' | 'int32' | 'bool' | 'string';

const DATA_TYPES: Record<ElementType, MILSpec.DataType> = { fp16: 'FLOAT16', fp32: 'FLOAT32', int32: 'INT32', bool: 'BOOL', string: 'STRING' };

export function tensorType(type: ElementType, shape: readonly number[]): MILSpec.ValueType {
  return { tensorType: { dataType: DATA_TYPES[type], rank: shape.length, dimensions: shape.map((size) => ({ constant: { size } })) } };
}

/** Values written in place, in the field MIL reads for each type. */
export const value = {
  fp32: (shape: readonly number[], values: readonly number[]): MILSpec.Value => ({
    type: tensorType('fp32', shape),
    immediateValue: { tensor: { floats: { values: [...values] } } },
  }),
  fp16: (shape: readonly number[], halves: readonly number[]): MILSpec.Value => ({
    type: tensorType('fp16', shape),
    immediateValue: { tensor: { bytes: { values: new Uint8Array(Uint16Array.from(halves).buffer) } } },
  }),
  ints: (values: readonly number[], shape: readonly number[] = [values.length]): MILSpec.Value => ({
    type: tensorType('int32', shape),
    immediateValue: { tensor: { ints: { values: [...values] } } },
  }),
  int: (v: number): MILSpec.Value => value.ints([v], []),
  bool: (v: boolean): MILSpec.Value => ({ type: tensorType('bool', []), immediateValue: { tensor: { bools: { values: [v] } } } }),
  string: (v: string): MILSpec.Value => ({ type: tensorType('string', []), immediateValue: { tensor: { strings: { values: [v] } } } }),
  float: (v: number): MILSpec.Value => value.fp32([], [v]),
};

export interface Out {
  readonly name: string;
  readonly type: ElementType;
  readonly shape: readonly number[];
}

/** An operation; each input is bound by name (a string) or to a value written in place. */
export function op(
  type: string,
  inputs: Readonly<Record<string, string | MILSpec.Value | readonly (string | MILSpec.Value)[]>>,
  outputs: readonly Out[],
  attributes: Record<string, MILSpec.Value> = {},
): MILSpec.Operation {
  const binding = (b: string | MILSpec.Value): MILSpec.Argument.Binding => (typeof b === 'string' ? { name: b } : { value: b });
  return {
    type,
    inputs: Object.fromEntries(
      Object.entries(inputs).map(([param, bound]) => [
        param,
        { arguments: (Array.isArray(bound) ? bound : [bound]).map((b: string | MILSpec.Value) => binding(b)) },
      ]),
    ),
    outputs: outputs.map((o) => ({ name: o.name, type: tensorType(o.type, o.shape) })),
    attributes: { name: value.string(outputs[0]?.name ?? type), ...attributes },
  };
}

export function constOp(name: string, val: MILSpec.Value): MILSpec.Operation {
  const t = val.type!.tensorType!;
  return { type: 'const', outputs: [{ name, type: { tensorType: t } }], attributes: { name: value.string(name), val } };
}

export interface HandProgram {
  readonly inputs: readonly { readonly name: string; readonly shape: readonly number[] }[];
  readonly operations: readonly MILSpec.Operation[];
  /** Block outputs, all fp32. */
  readonly outputs: readonly Out[];
  readonly weights?: BlobStorageWriter;
  readonly opset?: string;
}

export function packageFiles(p: HandProgram): Map<string, Uint8Array> {
  const opset = p.opset ?? 'CoreML5';
  const model: Model = {
    specificationVersion: 6,
    description: {
      input: p.inputs.map((i) => ({ name: i.name, type: { multiArrayType: { shape: [...i.shape], dataType: 'FLOAT32' } } })),
      output: p.outputs.map((o) => ({ name: o.name, type: { multiArrayType: { shape: [...o.shape], dataType: 'FLOAT32' } } })),
    },
    mlProgram: {
      version: 1,
      functions: {
        main: {
          inputs: p.inputs.map((i) => ({ name: i.name, type: tensorType('fp32', i.shape) })),
          opset,
          block_specializations: { [opset]: { outputs: p.outputs.map((o) => o.name), operations: [...p.operations] } },
        },
      },
    },
  };
  const bytes = encodeMlmodel(model);
  const weights = (p.weights ?? new BlobStorageWriter()).finish();
  return new Map([
    [MANIFEST_PATH, new TextEncoder().encode(packageManifest(bytes, weights))],
    [MODEL_PATH, bytes],
    [WEIGHT_FILE_PATH, weights],
  ]);
}

/** Runs a hand-written program on float32 inputs and returns the outputs' data as plain arrays. */
export function run(p: HandProgram, feeds: Readonly<Record<string, readonly number[]>>): Record<string, number[]> {
  const outputs = runRaw(p, feeds);
  return Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, [...o.data]]));
}

export function runRaw(p: HandProgram, feeds: Readonly<Record<string, readonly number[]>>): Record<string, ExecutorOutput> {
  const loaded = loadMlPackage(packageFiles(p), 'hand.mlpackage');
  return executeMlProgram(loaded, Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, Float32Array.from(v)])));
}

/** One op on one float32 input `x`, its output `y` of `shape`. */
export function single(
  type: string,
  xShape: readonly number[],
  inputs: Record<string, string | MILSpec.Value | readonly (string | MILSpec.Value)[]>,
  shape: readonly number[],
): HandProgram {
  return {
    inputs: [{ name: 'x', shape: xShape }],
    operations: [op(type, { x: 'x', ...inputs }, [{ name: 'y', type: 'fp32', shape }])],
    outputs: [{ name: 'y', type: 'fp32', shape }],
  };
}

/** Half-float bit patterns used in the tests. */
export const HALF = { one: 0x3c00, two: 0x4000, minusTwo: 0xc000, half: 0x3800, infinity: 0x7c00, maxFinite: 0x7bff } as const;
