/**
 * A reference executor for Core ML ML Programs, in TypeScript (its element-wise loops and the
 * shared convolution in WebAssembly), so an .mlpackage can be checked where no Core ML runtime
 * exists. It runs the `main` function's block op by op, each
 * by its type's executor in registry.ts, and holds every value at the type the program
 * declares: a float16 result is rounded to the nearest half float once per op (inputs exact,
 * arithmetic in float32 or float64, one rounding on store), so a float16 program runs in
 * float16 and a float32 one in float32. Anything it does not implement (an op, a parameter, a
 * type, a shape) throws a CoremlError naming the operation; it never runs a program with
 * something ignored.
 */
import { isMilOpType, MIL_OP_TYPES, type MilOpType } from '../../coreml/mil-ops.js';
import type { FeatureDescription, MILSpec } from '../../coreml/types.js';
import { CoremlError } from '../../ir/errors.js';
import type { ExecutorOutput, ModelInput } from '../model-io.js';
import { featureValue, imageChannelOrder, imagePlanes } from '../feature-inputs.js';
import { opError, Params, type OpContext } from './op-context.js';
import type { LoadedMlProgram } from './package.js';
import { MIL_OPS } from './registry.js';
import type { ArrayPool } from './array-pool.js';
import type { OperationPlan } from './plan.js';
import { roundHalves } from './kernels.js';
import type { MilTensor } from './tensor.js';
import { describeSpec, fitsSpec, readValue, tensorSpec, type TensorSpec } from './values.js';

export type { ExecutorOutput, ModelInput, RgbImage } from '../model-io.js';
export { loadMlPackage, type LoadedMlProgram, type MlPackageFiles } from './package.js';

/** The opsets whose programs the executor accepts (iOS 15 to iOS 18); unknown parameters of later opsets are still refused op by op. */
export const SUPPORTED_OPSETS = ['CoreML5', 'CoreML6', 'CoreML7', 'CoreML8'] as const;

/**
 * Ops whose float16 results need no rounding: they only select, move or compare their inputs'
 * values (and fp16 parameters such as clip's bounds or pad's value), and every float16 value
 * the executor holds is a half already. A const is read from half bytes.
 */
const EXACT_ON_HALVES: ReadonlySet<string> = new Set([
  'const',
  'maximum',
  'minimum',
  'relu',
  'abs',
  'clip',
  'max_pool',
  'reshape',
  'transpose',
  'concat',
  'pad',
  'slice_by_index',
  'depth_to_space',
]);

/** Ops that round their float16 results themselves, in the kernels' memory (ops/elementwise.ts). */
const ROUNDED_BY_THE_OP: ReadonlySet<string> = new Set(['add', 'sub', 'mul', 'real_div']);

export interface ExecuteOptions {
  /** Called with every value the program defines, in order (inputs, then each op's outputs). */
  readonly observe?: (name: string, value: MilTensor) => void;
}

/** Runs the program's `main` function on `inputs` (by input name) and returns every declared output. */
export function executeMlProgram(
  loaded: LoadedMlProgram,
  inputs: Readonly<Record<string, ModelInput>>,
  options: ExecuteOptions = {},
): Record<string, ExecutorOutput> {
  const { model, program, file } = loaded;
  const main = program.functions?.main;
  if (!main) throw new CoremlError('mlProgram.functions', `has no function 'main' (has ${Object.keys(program.functions ?? {}).join(', ') || 'none'})`, file);
  if (main.attributes && Object.keys(main.attributes).length > 0) throw new CoremlError('function main attributes', 'are not implemented', file);
  const opset = main.opset ?? '';
  if (!(SUPPORTED_OPSETS as readonly string[]).includes(opset))
    throw new CoremlError('function main opset', `'${opset}' is not implemented (${SUPPORTED_OPSETS.join(', ')})`, file);
  const block = main.block_specializations?.[opset];
  if (!block) throw new CoremlError('function main', `has no block for its opset ${opset}`, file);
  if ((block.inputs ?? []).length > 0 || Object.keys(block.attributes ?? {}).length > 0)
    throw new CoremlError('function main block', 'block inputs and attributes are not implemented', file);

  const env = new Map<string, MilTensor>();
  // Without an observer, which may keep any value, a value's array goes back to the loaded
  // program's pool after the last op that reads it, for a later op's output. `live` counts the
  // values that refer to each array of the pool; constants and the caller's inputs are not the
  // pool's, and the program's outputs are never finished, so none of them is ever handed out.
  const pool = options.observe ? undefined : loaded.arrays;
  const live = new Map<Float32Array, number>();
  const define = (name: string, value: MilTensor, where: string): void => {
    if (env.has(name)) throw new CoremlError(where, `redefines '${name}'`, file);
    env.set(name, value);
    options.observe?.(name, value);
    if (pool && value.data instanceof Float32Array && pool.owns(value.data)) live.set(value.data, (live.get(value.data) ?? 0) + 1);
  };
  const finish = (name: string): void => {
    const value = env.get(name);
    env.delete(name);
    if (!(value?.data instanceof Float32Array)) return;
    const holders = live.get(value.data);
    if (holders === undefined) return;
    if (holders > 1) live.set(value.data, holders - 1);
    else {
      live.delete(value.data);
      pool?.give(value.data);
    }
  };

  const described = model.description?.input ?? [];
  const functionInputs = main.inputs ?? [];
  if (functionInputs.length !== described.length)
    throw new CoremlError('function main inputs', `${functionInputs.length} inputs, the model description lists ${described.length}`, file);
  for (const input of functionInputs) {
    const name = input.name ?? '';
    const feature = described.find((f) => f.name === name);
    if (!feature) throw new CoremlError(`function input '${name}'`, 'is not an input of the model description', file);
    const spec = declaredSpec(loaded, input.type, () => `function input '${name}'`);
    const tensor = inputTensor(feature, inputs[name], file);
    if (!fitsSpec(tensor, spec))
      throw new CoremlError(
        `function input '${name}'`,
        `is declared ${describeSpec(spec)}, the model's feature gives ${tensor.dtype} [${tensor.shape.join(', ')}]`,
        file,
      );
    define(name, tensor, `function input '${name}'`);
  }
  for (const given of Object.keys(inputs)) {
    if (!functionInputs.some((i) => i.name === given)) throw new CoremlError(`input '${given}'`, 'is not an input of the model', file);
  }

  const operations = block.operations ?? [];
  const blockOutputs = block.outputs ?? [];
  let finished = loaded.lifetimes.get(block);
  if (!finished) {
    finished = lastReads(operations, blockOutputs);
    loaded.lifetimes.set(block, finished);
  }
  const finishing = pool ? finished : [];
  operations.forEach((op, index) => {
    runOperation(op, index, loaded, env, define, pool);
    for (const name of finishing[index] ?? []) finish(name);
  });

  const outputs: Record<string, ExecutorOutput> = {};
  for (const feature of model.description?.output ?? []) {
    const name = feature.name ?? '';
    if (!blockOutputs.includes(name)) throw new CoremlError(`output '${name}'`, 'is not an output of function main', file);
    const value = env.get(name);
    if (!value) throw new CoremlError(`output '${name}'`, 'is not produced by any operation', file);
    const dataType = feature.type?.multiArrayType?.dataType;
    if (dataType !== 'FLOAT32' || value.dtype !== 'fp32')
      throw new CoremlError(`output '${name}'`, `must be a FLOAT32 multi-array from an fp32 value, got ${String(dataType)} from ${value.dtype}`, file);
    outputs[name] = { shape: [...value.shape], data: value.data };
  }
  return outputs;
}

function runOperation(
  op: MILSpec.Operation,
  index: number,
  loaded: LoadedMlProgram,
  env: ReadonlyMap<string, MilTensor>,
  define: (name: string, value: MilTensor, where: string) => void,
  arrays: ArrayPool | undefined,
): void {
  let plan = loaded.plans.get(op);
  if (!plan) {
    plan = planOperation(op, index, loaded);
    loaded.plans.set(op, plan);
  }
  const { type, name } = plan;
  const ctx: OpContext = { index, type, name, file: loaded.file, arrays };

  let results: MilTensor[];
  if (plan.constant) results = [plan.constant];
  else {
    const bound = new Map<string, MilTensor[]>();
    for (const [param, bindings] of plan.params) {
      bound.set(
        param,
        bindings.map((binding) => {
          if (typeof binding !== 'string') return binding;
          const value = env.get(binding);
          if (!value) throw opError(ctx, param, `'${binding}' is not defined by an earlier operation or a function input`);
          return value;
        }),
      );
    }
    results = MIL_OPS[type as MilOpType](ctx, new Params(ctx, bound));
  }

  const declared = op.outputs ?? [];
  if (results.length !== declared.length) throw opError(ctx, undefined, `makes ${results.length} output(s), the operation lists ${declared.length}`);
  plan.outputs ??= declared.map((output) => {
    const outName = output.name ?? '';
    return { name: outName, spec: declaredSpec(loaded, output.type, () => `operation ${index} '${name}' (${type}) output ${outName}`) };
  });
  plan.outputs.forEach(({ name: outName, spec }, i) => {
    let result = results[i]!;
    if (spec.dtype === 'fp16' && result.dtype === 'fp16' && !EXACT_ON_HALVES.has(type) && !ROUNDED_BY_THE_OP.has(type))
      result = { ...result, data: roundHalves(result.data) };
    if (!fitsSpec(result, spec))
      throw opError(ctx, undefined, `output ${outName} is declared ${describeSpec(spec)}, the executor computed ${result.dtype} [${result.shape.join(', ')}]`);
    define(outName, result, `operation ${index} '${name}' (${type})`);
  });
}

/** Reads and checks what the operation's runs need from the program (see plan.ts). */
function planOperation(op: MILSpec.Operation, index: number, loaded: LoadedMlProgram): OperationPlan {
  const type = op.type ?? '';
  const attributes = op.attributes ?? {};
  const named = attributes.name ? compileTimeValue(loaded, attributes.name, () => `operation ${index} attribute name`) : undefined;
  const name = named?.dtype === 'string' && named.shape.length === 0 ? named.data[0]! : (op.outputs?.[0]?.name ?? '');
  const ctx: OpContext = { index, type, name, file: loaded.file };
  for (const key of Object.keys(attributes)) {
    if (key !== 'name' && !(type === 'const' && key === 'val')) throw opError(ctx, undefined, `attribute '${key}' is not implemented`);
  }
  if ((op.blocks ?? []).length > 0) throw opError(ctx, undefined, 'nested blocks (control flow) are not implemented');
  if (type === 'const') {
    if (Object.keys(op.inputs ?? {}).length > 0) throw opError(ctx, undefined, 'a const takes no inputs');
    if (!attributes.val) throw opError(ctx, undefined, "a const needs the attribute 'val'");
    return { type, name, constant: compileTimeValue(loaded, attributes.val, () => `operation ${index} '${name}' (const) val`), params: [] };
  }
  if (!isMilOpType(type))
    throw opError(ctx, undefined, `op type '${type}' is not implemented by the MIL executor (implemented: const, ${MIL_OP_TYPES.join(', ')})`);
  const params = Object.entries(op.inputs ?? {}).map(
    ([param, argument]) =>
      [
        param,
        (argument.arguments ?? []).map((binding, i) =>
          binding.value ? compileTimeValue(loaded, binding.value, () => `operation ${index} '${name}' (${type}) input ${param}[${i}]`) : (binding.name ?? ''),
        ),
      ] as const,
  );
  return { type, name, params };
}

/** A declared type, read once per loaded program; `where` names it in the errors of that first read. */
function declaredSpec(loaded: LoadedMlProgram, type: MILSpec.ValueType | undefined, where: () => string): TensorSpec {
  let spec = type && loaded.specs.get(type);
  if (!spec) {
    spec = tensorSpec(type, where(), loaded.file);
    if (type) loaded.specs.set(type, spec);
  }
  return spec;
}

/**
 * A value the program fixes (const's val, an op's name, a parameter bound in place), read once
 * per loaded program; `where` names it in the errors of that first read.
 */
function compileTimeValue(loaded: LoadedMlProgram, value: MILSpec.Value, where: () => string): MilTensor {
  let tensor = loaded.constants.get(value);
  if (!tensor) {
    tensor = readValue(value, where(), loaded.weights, loaded.file);
    loaded.constants.set(value, tensor);
  }
  return tensor;
}

/**
 * An image feature becomes a float32 [1, 3, H, W] tensor of its 0..255 pixels in the colour
 * space's channel order (the program scales them itself); a multi-array feature its FLOAT32
 * values in the declared shape.
 */
function inputTensor(feature: FeatureDescription, value: ModelInput | undefined, file: string): MilTensor {
  const input = featureValue(feature, value, file);
  if (input.kind === 'array') return { dtype: 'fp32', shape: input.shape, data: input.data };
  const { image } = input;
  const order = imageChannelOrder(`input '${feature.name ?? ''}'`, input.type, image, file);
  return { dtype: 'fp32', shape: [1, 3, image.height, image.width], data: imagePlanes(image, order) };
}

/**
 * Per operation, the values finished once it has run: those it is the last to read, and its own
 * outputs that nothing reads. A block output is never finished.
 */
function lastReads(operations: readonly MILSpec.Operation[], blockOutputs: readonly string[]): string[][] {
  const last = new Map<string, number>();
  operations.forEach((op, index) => {
    for (const output of op.outputs ?? []) if (output.name) last.set(output.name, index);
    for (const argument of Object.values(op.inputs ?? {})) {
      for (const binding of argument.arguments ?? []) if (binding.name) last.set(binding.name, index);
    }
  });
  const finished: string[][] = operations.map(() => []);
  for (const [name, index] of last) if (!blockOutputs.includes(name)) finished[index]!.push(name);
  return finished;
}
