import type { AnyNode, Graph, ValueId } from '../ir/graph.js';
import type { Pads } from '../ir/attrs.js';
import { OP_TABLE } from '../ir/op-table.js';
import { consumers, producers } from '../ir/query.js';
import { pruneUnused } from './prune-unused.js';

/** A node whose attrs carry explicit window padding. */
type Windowed = Extract<AnyNode, { readonly attrs: { readonly pads: Pads } }>;

/**
 * Merges a zero PAD of the spatial axes (NHWC axes 1 and 2) into the window ops that read it
 * (the op table's `window`). A convolution pads with zeros, so that is always exact. Max
 * pooling pads with -infinity, which equals zero padding only when the input cannot be
 * negative, so a pool takes the fold only when its input is provably non-negative (the op
 * table's `sign`: made by a ReLU, possibly through pools and pads). PADs of the batch or
 * channel axes (BlazeBlock channel padding) are left alone. Runs on the NHWC graph.
 */
export function foldPad(graph: Graph): Graph {
  const readers = consumers(graph);
  const made = producers(graph);
  const nonNegative = (id: ValueId): boolean => {
    const p = made.get(id);
    if (!p) return false;
    const sign = OP_TABLE[p.op].sign;
    return sign === 'non-negative' || (sign === 'keeps' && nonNegative(p.inputs[0] ?? ''));
  };
  const replaced = new Map<string, AnyNode>();
  const removed = new Set<string>();
  for (const pad of graph.nodes) {
    if (pad.op !== 'PAD') continue; // the op this pass folds away
    const [n, h, w, c] = pad.attrs.paddings;
    if (pad.attrs.paddings.length !== 4 || !n || !h || !w || !c || n[0] || n[1] || c[0] || c[1]) continue;
    const out = pad.outputs[0] ?? '';
    const targets = readers.get(out) ?? [];
    const input = pad.inputs[0] ?? '';
    const foldable = (node: AnyNode): node is Windowed => {
      const window = OP_TABLE[node.op].window;
      return node.inputs[0] === out && !node.inputs.slice(1).includes(out) && (window === 'zero' || (window === 'max' && nonNegative(input)));
    };
    if (targets.length === 0 || graph.outputs.includes(out) || !targets.every(foldable)) continue;
    for (const target of targets.filter(foldable)) {
      const [t, l, b, r] = target.attrs.pads;
      const pads: Pads = [t + h[0], l + w[0], b + h[1], r + w[1]];
      replaced.set(target.name, { ...target, inputs: [input, ...target.inputs.slice(1)], attrs: { ...target.attrs, pads } } as AnyNode);
    }
    removed.add(pad.name);
  }
  const nodes = graph.nodes.filter((node) => !removed.has(node.name)).map((node) => replaced.get(node.name) ?? node);
  return pruneUnused({ ...graph, nodes });
}
