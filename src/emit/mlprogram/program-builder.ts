/**
 * Builds the operations of one MIL block the way Core ML's compiler expects them: every
 * parameter bound by name to an earlier value, every constant a `const` op whose value is
 * written in place when small and stored in the weight file (blob storage) from ten elements
 * on, as coremltools does, and every name a MIL identifier ([A-Za-z_][A-Za-z0-9_@]*), unique
 * in the program.
 */
import { BlobStorageWriter } from '../../coreml/blob-storage.js';
import type { MilOpType } from '../../coreml/mil-ops.js';
import type { MILSpec } from '../../coreml/types.js';
import { bytesOf } from '../../ir/dtype.js';
import { EmitError } from '../../ir/errors.js';
import { floatsToHalves } from '../../ir/float16.js';

/** Element types an emitted program uses, by MIL's short names. */
export type MilElementType = 'fp16' | 'fp32' | 'int32' | 'bool' | 'string';

export const MIL_DATA_TYPES: { readonly [T in MilElementType]: MILSpec.DataType } = {
  fp16: 'FLOAT16',
  fp32: 'FLOAT32',
  int32: 'INT32',
  bool: 'BOOL',
  string: 'STRING',
};

/** Where `@model_path` is the folder holding model.mlmodel inside the package. */
export const WEIGHT_FILE_REFERENCE = '@model_path/weights/weight.bin';

/** coremltools' rule: constants of at least this many elements go to the weight file. */
export const BLOB_MIN_ELEMENTS = 10;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_@]*$/;

export interface MilOutput {
  readonly name: string;
  readonly type: MilElementType;
  readonly shape: readonly number[];
}

export class ProgramBuilder {
  readonly operations: MILSpec.Operation[] = [];
  readonly weights = new BlobStorageWriter();
  /** Constant elements stored (in the weight file or in place). */
  parameters = 0;
  private readonly names = new Set<string>();

  /** A fresh identifier made from `hint`: invalid characters become `_`, clashes get `_1`, `_2`, .... */
  unique(hint: string): string {
    let base = hint.replace(/[^A-Za-z0-9_@]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Takes `name` exactly (a model input or output); EmitError if it is not a free identifier. */
  claim(name: string): string {
    if (!IDENTIFIER.test(name))
      throw new EmitError('mlprogram', `'${name}' is not a MIL identifier ([A-Za-z_][A-Za-z0-9_@]*), so it cannot name a model input or output`);
    if (this.names.has(name)) throw new EmitError('mlprogram', `the name '${name}' is used twice`);
    this.names.add(name);
    return name;
  }

  /** A float constant stored as `type` (float16 rounds to nearest even). */
  floats(hint: string, data: Float32Array, shape: readonly number[], type: 'fp16' | 'fp32'): string {
    checkSize(hint, data.length, shape);
    let value: MILSpec.Value;
    if (data.length >= BLOB_MIN_ELEMENTS) {
      const offset = type === 'fp16' ? this.weights.add('float16', bytesOf(floatsToHalves(data))) : this.weights.add('float32', bytesOf(data));
      value = { type: tensorType(type, shape), blobFileValue: { fileName: WEIGHT_FILE_REFERENCE, offset } };
    } else {
      // MIL reads float16 values written in place from the bytes field, as little-endian halves.
      const tensor: MILSpec.TensorValue = type === 'fp16' ? { bytes: { values: bytesOf(floatsToHalves(data)) } } : { floats: { values: [...data] } };
      value = { type: tensorType(type, shape), immediateValue: { tensor } };
    }
    this.parameters += data.length;
    return this.constant(hint, type, shape, value);
  }

  ints(hint: string, values: readonly number[], shape: readonly number[] = [values.length]): string {
    checkSize(hint, values.length, shape);
    values.forEach((v, i) => {
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new EmitError('mlprogram', `${hint}[${i}] = ${v} is not an int32`);
    });
    return this.constant(hint, 'int32', shape, { type: tensorType('int32', shape), immediateValue: { tensor: { ints: { values: [...values] } } } });
  }

  bool(hint: string, value: boolean): string {
    return this.constant(hint, 'bool', [], { type: tensorType('bool', []), immediateValue: { tensor: { bools: { values: [value] } } } });
  }

  string(hint: string, value: string): string {
    return this.constant(hint, 'string', [], stringValue(value));
  }

  /** Appends an operation; its `name` attribute is its first output's name. */
  op(type: MilOpType, inputs: Readonly<Record<string, string | readonly string[]>>, outputs: readonly MilOutput[]): void {
    const first = outputs[0];
    if (!first) throw new EmitError('mlprogram', `a ${type} operation needs an output`);
    this.operations.push({
      type,
      inputs: Object.fromEntries(
        Object.entries(inputs).map(([param, names]) => [param, { arguments: (typeof names === 'string' ? [names] : names).map((name) => ({ name })) }]),
      ),
      outputs: outputs.map((o) => ({ name: o.name, type: tensorType(o.type, o.shape) })),
      attributes: { name: stringValue(first.name) },
    });
  }

  private constant(hint: string, type: MilElementType, shape: readonly number[], value: MILSpec.Value): string {
    const name = this.unique(hint);
    this.operations.push({
      type: 'const',
      outputs: [{ name, type: tensorType(type, shape) }],
      attributes: { name: stringValue(name), val: value },
    });
    return name;
  }
}

export function tensorType(type: MilElementType, shape: readonly number[]): MILSpec.ValueType {
  return { tensorType: { dataType: MIL_DATA_TYPES[type], rank: shape.length, dimensions: shape.map((size) => ({ constant: { size } })) } };
}

function stringValue(value: string): MILSpec.Value {
  return { type: tensorType('string', []), immediateValue: { tensor: { strings: { values: [value] } } } };
}

function checkSize(hint: string, length: number, shape: readonly number[]): void {
  const expected = shape.reduce((a, b) => a * b, 1);
  if (length !== expected) throw new EmitError('mlprogram', `constant ${hint} has ${length} elements, its shape [${shape.join(',')}] holds ${expected}`);
}
