import type { DimensionMetadata as TfliteDimensionMetadata, SparseIndexVectorValue, Tensor as TfliteTensor } from '../schema/tflite.js';
import { dtypeFromTflite, typedArrayFromBytes, DTYPES } from '../ir/dtype.js';
import { anyLayout, elementCount, type AnyNode, type DimensionMetadata, type Graph, type Layout, type Sparsity, type Value } from '../ir/graph.js';
import { isOpType, opDef } from '../ops/registry.js';
import type { TfliteOpContext } from '../ops/op-def.js';
import { GraphError, UnsupportedOpError } from '../ir/errors.js';
import type { TfliteFile } from './read-tflite.js';

/**
 * Builds the intermediate graph (NHWC semantics, TFLite op names) from a decoded file. Every
 * index the file uses is checked here, and every node's output shapes are re-derived and
 * compared with the shapes the file declares, so a graph that builds is consistent.
 */
export function buildGraph(tflite: TfliteFile): Graph {
  const { file, subgraph } = tflite;
  const tensors = subgraph.tensors ?? [];
  const ids = uniqueIds(tensors);
  const layouts = constantLayouts(tflite, ids);
  const values = new Map<string, Value>();
  tensors.forEach((tensor, index) => {
    const id = ids[index] as string;
    values.set(id, readValue(tflite, tensor, index, id, layouts.get(id)));
  });

  const valueAt = (tensorIndex: number, where: string): Value => {
    const value = values.get(ids[tensorIndex] ?? '');
    if (!value) throw new GraphError(where, `tensor index ${tensorIndex} is out of range (0..${tensors.length - 1})`, file);
    return value;
  };

  const nodes: AnyNode[] = (subgraph.operators ?? []).map((operator, index) => {
    const opName = tflite.opNames[operator.opcodeIndex];
    if (opName === undefined) throw new GraphError(`operator ${index}`, `opcode index ${operator.opcodeIndex} is out of range (0..${tflite.opNames.length - 1})`, file);
    if (!isOpType(opName)) throw new UnsupportedOpError(opName, index, 'this op is not supported', file);
    const def = opDef(opName);
    const where = `operator ${index} (${opName})`;
    const options = operator.builtinOptions;
    if (options && def.tfliteOptions !== null && options.type !== def.tfliteOptions) {
      throw new UnsupportedOpError(opName, index, `expected ${def.tfliteOptions}, found ${options.type}`, file);
    }
    const inputs = Array.from(operator.inputs ?? [], (t) => (t < 0 ? null : valueAt(t, where)));
    const outputs = Array.from(operator.outputs ?? [], (t) => valueAt(t, where));
    const ctx: TfliteOpContext<unknown> = {
      opName,
      operatorIndex: index,
      file,
      options: options && options.type !== 'unknown' ? options.value : null,
      inputs,
      outputs,
      constantInts(position, what) {
        const value = inputs[position];
        if (!value?.data || !(value.dtype === 'int32' || value.dtype === 'int64')) {
          throw new UnsupportedOpError(opName, index, `input ${position} (${what}) must be a constant int32 tensor`, file);
        }
        return Array.from(value.data as Int32Array | BigInt64Array, Number);
      },
      unsupported(detail): never {
        throw new UnsupportedOpError(opName, index, detail, file);
      },
    };
    const { attrs, keep } = def.fromTflite(ctx);
    const kept = (keep ?? inputs.map((_, i) => i)).flatMap((i) => (inputs[i] ? [inputs[i].id] : []));
    const node = { op: opName, name: `n${index}_${opName.toLowerCase()}`, inputs: kept, outputs: outputs.map((v) => v.id), attrs, tfliteOperator: index } as AnyNode;
    checkOutputs(node, values, file);
    return node;
  });

  return {
    values,
    nodes,
    inputs: Array.from(subgraph.inputs ?? [], (t) => valueAt(t, 'subgraph inputs').id),
    outputs: Array.from(subgraph.outputs ?? [], (t) => valueAt(t, 'subgraph outputs').id),
    meta: { file, description: tflite.model.description ?? undefined },
  };
}

function checkOutputs(node: AnyNode, values: ReadonlyMap<string, Value>, file: string): void {
  const def = opDef(node.op);
  const inputs = node.inputs.map((id) => values.get(id) as Value);
  const inferred = def.inferOutputs(node.attrs, inputs);
  node.outputs.forEach((id, i) => {
    const declared = values.get(id) as Value;
    const got = inferred[i];
    if (!got || got.shape.join(',') !== declared.shape.join(',')) {
      throw new GraphError(`operator ${node.tfliteOperator} (${node.op})`, `output ${id} is declared [${declared.shape.join(',')}] but the op computes [${got?.shape.join(',') ?? 'nothing'}]`, file);
    }
  });
}

/** Tensor names are not unique in every file (and may be empty); ids must be. */
function uniqueIds(tensors: readonly TfliteTensor[]): string[] {
  const seen = new Set<string>();
  return tensors.map((tensor, index) => {
    let id = tensor.name && tensor.name.length > 0 ? tensor.name : `tensor_${index}`;
    if (seen.has(id)) id = `${id}__${index}`;
    seen.add(id);
    return id;
  });
}

/** Kernels get their op's own layout names (OHWI, 1HWC) so the layout pass knows how to re-lay them. */
function constantLayouts(tflite: TfliteFile, ids: readonly string[]): Map<string, Layout> {
  const layouts = new Map<string, Layout>();
  for (const operator of tflite.subgraph.operators ?? []) {
    const name = tflite.opNames[operator.opcodeIndex];
    const kernel = operator.inputs?.[1];
    if (kernel === undefined || kernel < 0) continue;
    const id = ids[kernel];
    if (id === undefined) continue;
    if (name === 'CONV_2D') layouts.set(id, 'OHWI');
    if (name === 'DEPTHWISE_CONV_2D') layouts.set(id, '1HWC');
  }
  // A kernel produced by DEQUANTIZE or DENSIFY shares its layout with the constant it came from.
  for (const operator of [...(tflite.subgraph.operators ?? [])].reverse()) {
    const name = tflite.opNames[operator.opcodeIndex];
    if (name !== 'DEQUANTIZE' && name !== 'DENSIFY') continue;
    const out = ids[operator.outputs?.[0] ?? -1];
    const src = ids[operator.inputs?.[0] ?? -1];
    const layout = out === undefined ? undefined : layouts.get(out);
    if (layout && src !== undefined) layouts.set(src, layout);
  }
  return layouts;
}

function readValue(tflite: TfliteFile, tensor: TfliteTensor, index: number, id: string, layout: Layout | undefined): Value {
  const { file } = tflite;
  const dtype = dtypeFromTflite(tensor.type);
  if (!dtype) throw new GraphError(`tensor ${index} (${id})`, `tensor type ${tensor.type} is not supported`, file);
  const shape = Array.from(tensor.shape ?? []);
  if (shape.some((d) => d < 0)) throw new GraphError(`tensor ${index} (${id})`, `dynamic shape [${shape.join(',')}] is not supported`, file);
  const base: Value = { id, dtype, shape, layout: layout ?? (shape.length === 4 ? 'NHWC' : anyLayout(shape.length)), tfliteTensor: index };
  const bytes = tflite.buffers[tensor.buffer];
  if (bytes === undefined) throw new GraphError(`tensor ${index} (${id})`, `buffer index ${tensor.buffer} is out of range (0..${tflite.buffers.length - 1})`, file);
  if (tensor.buffer === 0 || bytes.byteLength === 0) return base;
  if (bytes.byteLength % DTYPES[dtype].bytes !== 0) throw new GraphError(`tensor ${index} (${id})`, `buffer of ${bytes.byteLength} bytes is not a whole number of ${dtype}`, file);
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
  return { format: 'SPARSE_CSR', arraySegments: indexVector(m.arraySegments, `${where} array_segments`, file), arrayIndices: indexVector(m.arrayIndices, `${where} array_indices`, file) };
}

function indexVector(v: SparseIndexVectorValue | null, where: string, file: string): Int32Array | Uint16Array | Uint8Array {
  if (!v || v.type === 'unknown') throw new GraphError(where, 'expected an Int32Vector, Uint16Vector or Uint8Vector', file);
  return v.value.values ?? new Uint8Array(0);
}
