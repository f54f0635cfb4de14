import type { AnyNode, Graph, Value } from '../ir/graph.js';
import { halvesToFloats } from '../ir/float16.js';
import { OP_TABLE } from '../ir/op-table.js';
import { densify } from '../ir/densify.js';
import { pruneUnused } from './prune-unused.js';

/**
 * Evaluates the ops the op table marks `constantFold` (DENSIFY, DEQUANTIZE) at conversion time:
 * both only ever apply to constants in these models (sparse or float16 weights), so the emitted
 * models carry plain float32 weights.
 * The folded value keeps the output's id and layout, so consumers need no rewiring.
 */
export function foldConstants(graph: Graph): Graph {
  const values = new Map(graph.values);
  const nodes: AnyNode[] = [];
  for (const node of graph.nodes) {
    const source = values.get(node.inputs[0] ?? '');
    const target = values.get(node.outputs[0] ?? '');
    const folded = source?.data && target ? fold(node, source, target, graph.meta.file) : undefined;
    if (folded) values.set(folded.id, folded);
    else nodes.push(node);
  }
  return pruneUnused({ ...graph, values, nodes });
}

function fold(node: AnyNode, source: Value, target: Value, file: string): Value | undefined {
  const dense = source.sparsity && source.data ? densify(source.data, source.shape, source.sparsity, `${node.name} input ${source.id}`, file) : source.data;
  if (!dense) return undefined;
  switch (OP_TABLE[node.op].constantFold) {
    case 'densify':
      return { ...target, data: dense };
    case 'dequantize':
      return source.dtype === 'float16' ? { ...target, data: halvesToFloats(dense as Uint16Array) } : undefined;
    default:
      return undefined;
  }
}
