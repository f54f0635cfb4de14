import type { AnyNode, Graph, Value } from '../ir/graph.js';
import { GraphError } from '../ir/errors.js';
import { freshId } from '../ir/ids.js';

/**
 * Renames values (ids) everywhere they appear; used to give every model the same I/O names. A
 * value that already holds a target name and is not renamed itself moves to a fresh id first,
 * so a file's own tensor called `input` or `regressors` cannot merge with the renamed one.
 */
export function renameValues(graph: Graph, requested: ReadonlyMap<string, string>): Graph {
  const targets = new Set(requested.values());
  if (targets.size !== requested.size) throw new GraphError('rename', `two values renamed to one name`, graph.meta.file);
  const renames = new Map(requested);
  const taken = { has: (id: string) => graph.values.has(id) || targets.has(id) || [...renames.values()].includes(id) };
  for (const to of targets) {
    if (graph.values.has(to) && !requested.has(to)) renames.set(to, freshId(taken, to));
  }
  const rename = (id: string): string => renames.get(id) ?? id;
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

/** `graph` with every value holding one of `ids` moved to a fresh id, so a pass can add values of those names. */
export function freeIds(graph: Graph, ids: readonly string[]): Graph {
  const taken = ids.filter((id) => graph.values.has(id));
  if (taken.length === 0) return graph;
  const all = { has: (id: string) => graph.values.has(id) || ids.includes(id) };
  const renames = new Map<string, string>();
  for (const id of taken) renames.set(id, freshId({ has: (x) => all.has(x) || [...renames.values()].includes(x) }, id));
  return renameValues(graph, renames);
}
