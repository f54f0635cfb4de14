import type { DimensionMetadata as TfliteDimensionMetadata, SparseIndexVectorValue, Tensor as TfliteTensor } from '../schema/tflite.js';
import { dtypeFromTflite, typedArrayFromBytes, DTYPES } from '../ir/dtype.js';
import { anyLayout, elementCount, type AnyNode, type DimensionMetadata, type Graph, type Layout, type Sparsity, type Value } from '../ir/graph.js';
import type { OpType } from '../ir/attrs.js';
import { OP_TABLE, isOpType } from '../ir/op-table.js';
import { inferOutputs } from '../ir/shape-rules.js';
import { BlazefaceError, GraphError, UnsupportedOpError } from '../ir/errors.js';
import { freshId } from '../ir/ids.js';
import { checkedElementCount, DEFAULT_GRAPH_LIMITS, type GraphLimits } from '../ir/limits.js';
import type { KnownOptions, OptionsName, OptionsOf, TfliteOpContext } from './op-context.js';
import { TFLITE_READERS } from './op-readers.js';
import type { TfliteFile } from './read-tflite.js';

/**
 * Builds the intermediate graph (NHWC semantics, TFLite op names) from a decoded file. Every
 * index the file uses is checked here, and every node's output shapes are re-derived and
 * compared with the shapes the file declares, so a graph that builds is consistent.
 */
export function buildGraph(tflite: TfliteFile, limits: GraphLimits = DEFAULT_GRAPH_LIMITS): Graph {
  const { file, subgraph } = tflite;
  const tensors = subgraph.tensors ?? [];
  const ids = uniqueIds(tensors);
  const layouts = constantLayouts(tflite, ids);
  const values = new Map<string, Value>();
  tensors.forEach((tensor, index) => {
    const id = ids[index] as string;
    values.set(id, readValue(tflite, tensor, index, id, layouts.get(id), limits));
  });

  const valueAt = (tensorIndex: number, where: string): Value => {
    const value = values.get(ids[tensorIndex] ?? '');
    if (!value) throw new GraphError(where, `tensor index ${tensorIndex} is out of range (0..${tensors.length - 1})`, file);
    return value;
  };

  const nodes: AnyNode[] = (subgraph.operators ?? []).map((operator, index) => {
    const opName = tflite.opNames[operator.opcodeIndex];
    if (opName === undefined)
      throw new GraphError(`operator ${index}`, `opcode index ${operator.opcodeIndex} is out of range (0..${tflite.opNames.length - 1})`, file);
    if (!isOpType(opName)) throw new UnsupportedOpError(opName, index, unsupportedReason(tflite, opName), file);
    const where = `operator ${index} (${opName})`;
    const facts = OP_TABLE[opName];
    const options = operator.builtinOptions;
    if (options && facts.tflite.options !== null && options.type !== facts.tflite.options) {
      throw new UnsupportedOpError(opName, index, `expected ${facts.tflite.options}, found ${options.type}`, file);
    }
    const unsupported = (detail: string): never => {
      throw new UnsupportedOpError(opName, index, detail, file);
    };
    if (options && options.type !== 'unknown') refuseFields(opName, options, unsupported);
    const inputs = Array.from(operator.inputs ?? [], (t) => (t < 0 ? null : valueAt(t, where)));
    const outputs = Array.from(operator.outputs ?? [], (t) => valueAt(t, where));
    checkOperands(opName, inputs, outputs, unsupported);
    // The comparison is what the cast stands on; narrowing the 88-member options union by a
    // generic name instead (a type guard) took half a second of every type check of src/.
    const optionalOptions = <T extends OptionsName>(name: T): OptionsOf<T> | null => (options?.type === name ? (options.value as OptionsOf<T>) : null);
    const ctx: TfliteOpContext = {
      opName,
      operatorIndex: index,
      file,
      inputs,
      outputs,
      optionalOptions,
      options: (name) => optionalOptions(name) ?? unsupported(`missing ${name}`),
      input(position) {
        return inputs[position] ?? unsupported(`expects input ${position}`);
      },
      constantInts(position, what) {
        const value = inputs[position];
        if (!value?.data || !(value.dtype === 'int32' || value.dtype === 'int64')) {
          return unsupported(`input ${position} (${what}) must be a constant int32 tensor`);
        }
        return Array.from(value.data as Int32Array | BigInt64Array, Number);
      },
      unsupported,
    };
    return withOperator(where, file, () => {
      const node: AnyNode = TFLITE_READERS[opName](ctx, `n${index}_${opName.toLowerCase()}`);
      checkOutputs(node, values, file);
      return node;
    });
  });

  return {
    values,
    nodes,
    inputs: Array.from(subgraph.inputs ?? [], (t) => valueAt(t, 'subgraph inputs').id),
    outputs: Array.from(subgraph.outputs ?? [], (t) => valueAt(t, 'subgraph outputs').id),
    meta: { file, description: tflite.model.description ?? undefined },
  };
}

/** One line for an op the converter lacks; a custom op is no TFLite builtin, so the file's custom ops are listed. */
function unsupportedReason(tflite: TfliteFile, opName: string): string {
  if (!opName.startsWith('CUSTOM:')) return 'this op is not supported';
  const custom = [...new Set(tflite.opNames.filter((name) => name.startsWith('CUSTOM:')).map((name) => name.slice('CUSTOM:'.length)))];
  return `custom op ${opName.slice('CUSTOM:'.length)} is not a TFLite builtin op and cannot be converted (the file uses ${custom.length} custom op${custom.length === 1 ? '' : 's'}: ${custom.join(', ')})`;
}

/** Fields the op table marks as refused must hold their default: the converter would ignore them otherwise. */
function refuseFields(op: OpType, options: KnownOptions, unsupported: (detail: string) => never): void {
  const fields = new Map<string, unknown>(Object.entries(options.value));
  for (const { field, default: fallback } of OP_TABLE[op].tflite.refused) {
    const value = fields.get(field);
    if (value !== undefined && value !== fallback) unsupported(`${options.type}.${field} = ${String(value)} is not supported`);
  }
}

/** Shape rules and kernels name the op but not the file; the builder knows both. */
function withOperator<T>(where: string, file: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof BlazefaceError && error.file === undefined) throw new GraphError(where, error.message, file);
    throw error;
  }
}

/**
 * Arity and dtypes from the op table, and no zero-size tensor: what every emitter and runtime
 * downstream takes for granted (ONNX Runtime refuses a Relu with two inputs or a Conv mixing
 * float16 and float32, and zero channels make empty kernels).
 */
function checkOperands(op: OpType, inputs: readonly (Value | null)[], outputs: readonly Value[], unsupported: (detail: string) => never): void {
  const facts = OP_TABLE[op];
  const most = facts.variadic ? Infinity : facts.inputs.length;
  const least = facts.variadic ? 1 : facts.inputs.length - (facts.optionalInputs ?? 0);
  if (inputs.length < least || inputs.length > most)
    unsupported(`has ${inputs.length} inputs, expected ${least === most ? least : `${least} to ${most === Infinity ? 'any number' : most}`}`);
  if (outputs.length !== 1) unsupported(`has ${outputs.length} outputs, expected 1`);
  inputs.forEach((value, position) => {
    if (!value) {
      if (position < least) unsupported(`input ${position} is absent`);
      return;
    }
    const role = facts.inputs[Math.min(position, facts.inputs.length - 1)];
    if (role === 'parameter') return;
    const allowed = position === 0 ? (facts.inputDtypes ?? ['float32']) : ['float32'];
    if (!allowed.includes(value.dtype)) unsupported(`input ${position} (${value.id}) is ${value.dtype}, expected ${allowed.join(' or ')}`);
    if (value.shape.includes(0)) unsupported(`input ${position} (${value.id}) has a zero-size dimension [${value.shape.join(',')}]`);
  });
  for (const value of outputs) if (value.shape.includes(0)) unsupported(`output ${value.id} has a zero-size dimension [${value.shape.join(',')}]`);
}

function checkOutputs(node: AnyNode, values: ReadonlyMap<string, Value>, file: string): void {
  const inputs = node.inputs.map((id) => values.get(id) as Value);
  const inferred = inferOutputs(node, inputs);
  node.outputs.forEach((id, i) => {
    const declared = values.get(id) as Value;
    const got = inferred[i];
    if (!got || got.shape.length !== declared.shape.length || got.shape.some((d, axis) => d !== declared.shape[axis])) {
      throw new GraphError(
        `operator ${node.tfliteOperator} (${node.op})`,
        `output ${id} is declared [${declared.shape.join(',')}] but the op computes [${got?.shape.join(',') ?? 'nothing'}]`,
        file,
      );
    }
    if (got.dtype !== declared.dtype)
      throw new GraphError(`operator ${node.tfliteOperator} (${node.op})`, `output ${id} is declared ${declared.dtype} but the op computes ${got.dtype}`, file);
  });
}

/**
 * Tensor names are not unique in every file (and may be empty); ids must be. The first tensor
 * of a name keeps it; a later one gets a fresh id that no tensor of the file has.
 */
function uniqueIds(tensors: readonly TfliteTensor[]): string[] {
  const names = new Set(tensors.map((t) => t.name ?? ''));
  const seen = new Set<string>();
  return tensors.map((tensor, index) => {
    const name = tensor.name && tensor.name.length > 0 ? tensor.name : `tensor_${index}`;
    const id = seen.has(name) || (name !== tensor.name && names.has(name)) ? freshId({ has: (x) => seen.has(x) || names.has(x) }, `${name}__${index}`) : name;
    seen.add(id);
    return id;
  });
}

/** Kernels get their op's own layout names (OHWI, 1HWC) so the layout pass knows how to re-lay them. */
function constantLayouts(tflite: TfliteFile, ids: readonly string[]): Map<string, Layout> {
  const layouts = new Map<string, Layout>();
  const opOf = (opcodeIndex: number): OpType | undefined => {
    const name = tflite.opNames[opcodeIndex];
    return name !== undefined && isOpType(name) ? name : undefined;
  };
  for (const operator of tflite.subgraph.operators ?? []) {
    const op = opOf(operator.opcodeIndex);
    for (const weight of (op && OP_TABLE[op].weights) || []) {
      const id = ids[operator.inputs?.[weight.position] ?? -1];
      if (id !== undefined) layouts.set(id, weight.tflite);
    }
  }
  // A kernel produced by DEQUANTIZE or DENSIFY shares its layout with the constant it came from.
  for (const operator of [...(tflite.subgraph.operators ?? [])].reverse()) {
    const op = opOf(operator.opcodeIndex);
    if (!op || !OP_TABLE[op].constantFold) continue;
    const out = ids[operator.outputs?.[0] ?? -1];
    const src = ids[operator.inputs?.[0] ?? -1];
    const layout = out === undefined ? undefined : layouts.get(out);
    if (layout && src !== undefined) layouts.set(src, layout);
  }
  return layouts;
}

function readValue(tflite: TfliteFile, tensor: TfliteTensor, index: number, id: string, layout: Layout | undefined, limits: GraphLimits): Value {
  const { file } = tflite;
  const dtype = dtypeFromTflite(tensor.type);
  if (!dtype) throw new GraphError(`tensor ${index} (${id})`, `tensor type ${tensor.type} is not supported`, file);
  const shape = Array.from(tensor.shape ?? []);
  if (shape.some((d) => d < 0)) throw new GraphError(`tensor ${index} (${id})`, `dynamic shape [${shape.join(',')}] is not supported`, file);
  checkedElementCount(shape, limits, `tensor ${index} (${id})`, file);
  const base: Value = { id, dtype, shape, layout: layout ?? (shape.length === 4 ? 'NHWC' : anyLayout(shape.length)), tfliteTensor: index };
  const bytes = tflite.buffers[tensor.buffer];
  if (bytes === undefined)
    throw new GraphError(`tensor ${index} (${id})`, `buffer index ${tensor.buffer} is out of range (0..${tflite.buffers.length - 1})`, file);
  if (tensor.buffer === 0 || bytes.byteLength === 0) return base;
  if (bytes.byteLength % DTYPES[dtype].bytes !== 0)
    throw new GraphError(`tensor ${index} (${id})`, `buffer of ${bytes.byteLength} bytes is not a whole number of ${dtype}`, file);
  const data = typedArrayFromBytes(dtype, bytes);
  if (tensor.sparsity) return { ...base, data, sparsity: readSparsity(tflite, tensor, index, id) };
  if (data.length !== elementCount(shape)) {
    throw new GraphError(`tensor ${index} (${id})`, `buffer holds ${data.length} elements, shape [${shape.join(',')}] needs ${elementCount(shape)}`, file);
  }
  return { ...base, data };
}

function readSparsity(tflite: TfliteFile, tensor: TfliteTensor, index: number, id: string): Sparsity {
  const s = tensor.sparsity;
  if (!s) throw new GraphError(`tensor ${index} (${id})`, 'expected sparsity parameters', tflite.file);
  return {
    traversalOrder: Array.from(s.traversalOrder ?? []),
    blockMap: Array.from(s.blockMap ?? []),
    dimMetadata: (s.dimMetadata ?? []).map((m, dimIndex) => readDimension(m, `tensor ${index} (${id}) dimension ${dimIndex}`, tflite.file)),
  };
}

function readDimension(m: TfliteDimensionMetadata, where: string, file: string): DimensionMetadata {
  if (m.format === 0) return { format: 'DENSE', denseSize: m.denseSize };
  if (m.format !== 1) throw new GraphError(where, `dimension format ${m.format} is neither DENSE nor SPARSE_CSR`, file);
  return {
    format: 'SPARSE_CSR',
    arraySegments: indexVector(m.arraySegments, `${where} array_segments`, file),
    arrayIndices: indexVector(m.arrayIndices, `${where} array_indices`, file),
  };
}

function indexVector(v: SparseIndexVectorValue | null, where: string, file: string): Int32Array | Uint16Array | Uint8Array {
  if (!v || v.type === 'unknown') throw new GraphError(where, 'expected an Int32Vector, Uint16Vector or Uint8Vector', file);
  return v.value.values ?? new Uint8Array(0);
}
