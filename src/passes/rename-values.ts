import type { AnyNode, Graph, Value } from '../ir/graph.js';
import { GraphError } from '../ir/errors.js';

/** Renames values (ids) everywhere they appear; used to give every model the same I/O names. */
export function renameValues(graph: Graph, renames: ReadonlyMap<string, string>): Graph {
  const rename = (id: string): string => renames.get(id) ?? id;
  for (const [from, to] of renames) {
    if (from !== to && graph.values.has(to) && !renames.has(to)) throw new GraphError('rename', `cannot rename ${from} to ${to}: the name is taken`, graph.meta.file);
  }
  const values = new Map<string, Value>();
  for (const [id, value] of graph.values) values.set(rename(id), { ...value, id: rename(id) });
  const nodes = graph.nodes.map((node) => ({ ...node, inputs: node.inputs.map(rename), outputs: node.outputs.map(rename) }) as AnyNode);
  return { ...graph, values, nodes, inputs: graph.inputs.map(rename), outputs: graph.outputs.map(rename) };
}

/**
 * BlazeFace files name their tensors differently (`regressors`, `reshaped_regressor_face_4`,
 * `Identity`); the outputs are told apart by shape: [1,N,16] boxes and keypoints, [1,N,1] scores.
 */
export function canonicalNames(graph: Graph): Map<string, string> {
  const renames = new Map<string, string>();
  const [input] = graph.inputs;
  if (graph.inputs.length !== 1 || input === undefined) throw new GraphError('inputs', `expected one input, found ${graph.inputs.length}`, graph.meta.file);
  renames.set(input, 'input');
  for (const id of graph.outputs) {
    const shape = graph.values.get(id)?.shape ?? [];
    const last = shape[shape.length - 1];
    const name = shape.length === 3 && last === 16 ? 'regressors' : shape.length === 3 && last === 1 ? 'classificators' : undefined;
    if (!name) throw new GraphError(`output ${id}`, `shape [${shape.join(',')}] is neither [1,N,16] nor [1,N,1]`, graph.meta.file);
    if ([...renames.values()].includes(name)) throw new GraphError(`output ${id}`, `a second ${name} output`, graph.meta.file);
    renames.set(id, name);
  }
  if (renames.size !== 3) throw new GraphError('outputs', 'expected a regressors and a classificators output', graph.meta.file);
  return renames;
}
