import type { Graph } from '../ir/graph.js';
import { isOpType } from '../ir/op-table.js';
import { inferOutputs } from '../ir/shape-rules.js';
import { GraphError } from '../ir/errors.js';

/**
 * The invariants every pass must keep: each value has at most one producer, nodes are in
 * topological order (inputs are produced earlier, or are constants or graph inputs), every
 * referenced value exists, constants hold exactly their shape's worth of data (sparse ones
 * aside), and each node's declared output shapes equal what its op computes.
 */
export function verifyGraph(graph: Graph, after: string): Graph {
  const fail = (detail: string): never => {
    throw new GraphError(`after ${after}`, detail, graph.meta.file);
  };
  const available = new Set<string>(graph.inputs);
  for (const [id, value] of graph.values) {
    if (value.data) {
      available.add(id);
      const expected = value.shape.reduce((a, b) => a * b, 1);
      if (!value.sparsity && value.data.length !== expected) fail(`constant ${id} holds ${value.data.length} values for shape [${value.shape.join(',')}]`);
    }
  }
  const produced = new Set<string>();
  for (const node of graph.nodes) {
    for (const id of node.inputs) {
      if (!graph.values.has(id)) fail(`node ${node.name} reads unknown value ${id}`);
      if (!available.has(id)) fail(`node ${node.name} reads ${id} before it is produced`);
    }
    if (!isOpType(node.op)) fail(`node ${node.name} has op ${String(node.op)}, which the op table does not know`);
    const inputs = node.inputs.map((id) => graph.values.get(id)!);
    const inferred = inferOutputs(node, inputs);
    node.outputs.forEach((id, i) => {
      const value = graph.values.get(id);
      if (!value) return fail(`node ${node.name} writes unknown value ${id}`);
      if (produced.has(id) || value.data) fail(`value ${id} has more than one producer`);
      produced.add(id);
      available.add(id);
      const shape = inferred[i]?.shape;
      if (!shape || shape.length !== value.shape.length || shape.some((d, axis) => d !== value.shape[axis])) {
        fail(`node ${node.name} output ${id} is [${value.shape.join(',')}] but ${node.op} computes [${shape?.join(',') ?? ''}]`);
      }
    });
  }
  for (const id of graph.outputs) if (!available.has(id)) fail(`graph output ${id} is never produced`);
  return graph;
}

export type Pass = (graph: Graph) => Graph;

/** Runs passes in order, verifying the graph after each one so a broken pass is named at once. */
export function runPasses(graph: Graph, passes: readonly (readonly [string, Pass])[]): Graph {
  return passes.reduce((g, [name, pass]) => verifyGraph(pass(g), name), graph);
}
