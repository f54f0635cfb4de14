import type { Graph, Value, ValueId } from '../../ir/graph.js';
import { halvesToFloats } from '../../ir/float16.js';
import { densify } from '../../ir/densify.js';
import { evaluateNode } from './op-kernels.js';
import type { Tensor } from './kernels/tensor.js';
import { GraphError } from '../../ir/errors.js';

/**
 * Runs a graph with the plain NHWC reference kernels of each op: the independent second
 * opinion that per-layer parity compares ONNX Runtime's intermediate tensors with. Returns
 * every value computed, by id.
 */
export function evaluateGraph(graph: Graph, inputs: Readonly<Record<ValueId, Float32Array>>): Map<ValueId, Tensor> {
  const tensors = new Map<ValueId, Tensor>();
  for (const id of graph.inputs) {
    const value = graph.values.get(id);
    const data = inputs[id];
    if (!value || !data) throw new GraphError('evaluate', `missing input ${id}`, graph.meta.file);
    tensors.set(id, { shape: value.shape, data });
  }
  const read = (id: ValueId): Tensor => {
    const known = tensors.get(id);
    if (known) return known;
    const value = graph.values.get(id);
    if (!value?.data) throw new GraphError('evaluate', `value ${id} is read before it is computed`, graph.meta.file);
    const constant = { shape: value.shape, data: constantAsFloat32(value, graph.meta.file) };
    tensors.set(id, constant);
    return constant;
  };
  for (const node of graph.nodes) {
    const outputs = evaluateNode(node, node.inputs.map(read));
    node.outputs.forEach((id, i) => {
      const out = outputs[i];
      if (!out) throw new GraphError(node.name, `evaluation produced no output ${i}`, graph.meta.file);
      tensors.set(id, out);
    });
  }
  return tensors;
}

function constantAsFloat32(value: Value, file: string): Float32Array {
  const raw = value.data;
  if (!raw) throw new GraphError(value.id, 'not a constant', file);
  const dense = value.sparsity ? densify(raw, value.shape, value.sparsity, value.id, file) : raw;
  if (value.dtype === 'float16') return halvesToFloats(dense as Uint16Array);
  return dense instanceof Float32Array ? dense : Float32Array.from(dense as ArrayLike<number | bigint>, Number);
}
