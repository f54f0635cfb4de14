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
 * The two outputs of an SSD detector, told apart by shape: regressors [1,N,4+2K] (box and K
 * keypoints) and classificators [1,N,1] (one score per anchor). Undefined for any other set
 * of outputs.
 */
export function ssdOutputs(graph: Graph): { readonly regressors: string; readonly classificators: string } | undefined {
  if (graph.outputs.length !== 2) return undefined;
  const shapes = graph.outputs.map((id) => graph.values.get(id)?.shape ?? []);
  const isScores = (s: readonly number[]): boolean => s.length === 3 && s[0] === 1 && s[2] === 1;
  const isBoxes = (s: readonly number[]): boolean => s.length === 3 && s[0] === 1 && (s[2] ?? 0) >= 4 && (s[2] ?? 0) % 2 === 0;
  const [a, b] = shapes as [readonly number[], readonly number[]];
  const [first, second] = graph.outputs as [string, string];
  if (a[1] !== b[1]) return undefined;
  if (isBoxes(a) && isScores(b)) return { regressors: first, classificators: second };
  if (isBoxes(b) && isScores(a)) return { regressors: second, classificators: first };
  return undefined;
}

/** Names the graph input of converted models; output names never take them. */
const INPUT_NAMES = ['input', 'image'];

/**
 * A TFLite tensor name as an output name that every target accepts as an identifier (Core ML
 * turns feature names into Swift and Objective-C properties): each run of characters other
 * than ASCII letters, digits and `_` becomes one `_`, a leading digit gets a `_` before it,
 * and an empty name becomes `output_<index>`.
 */
export function sanitizeName(name: string, index: number): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]+/g, '_');
  if (cleaned === '' || cleaned === '_') return `output_${index}`;
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/**
 * The names converted models give their values: the single input is `input`; an SSD
 * detector's outputs are `regressors` and `classificators`; any other output keeps its TFLite
 * name, sanitized (sanitizeName), with `_2`, `_3`, ... on repeats and `_output` after a name
 * the input takes. Every output keeps its position.
 */
export function canonicalNames(graph: Graph): Map<string, string> {
  const renames = new Map<string, string>();
  const [input] = graph.inputs;
  if (graph.inputs.length !== 1 || input === undefined) throw new GraphError('inputs', `expected one input, found ${graph.inputs.length}`, graph.meta.file);
  renames.set(input, 'input');
  const ssd = ssdOutputs(graph);
  if (ssd) {
    renames.set(ssd.regressors, 'regressors');
    renames.set(ssd.classificators, 'classificators');
    return renames;
  }
  const taken = new Set(INPUT_NAMES);
  graph.outputs.forEach((id, index) => {
    if (id === input) throw new GraphError(`output ${id}`, 'is the graph input itself', graph.meta.file);
    let name = sanitizeName(id, index);
    if (INPUT_NAMES.includes(name)) name = `${name}_output`;
    const base = name;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    renames.set(id, name);
  });
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
