import type { AnyNode, Graph, Value } from '../ir/graph.js';
import { UnsupportedOpError } from '../ir/errors.js';
import { freshId } from '../ir/ids.js';
import { ACTIVATION_OPS, isExpandableActivation } from '../ir/op-table.js';

/**
 * Splits a fused activation into its own RELU / RELU6 node, so emitters and the layout pass
 * see one op per node. The original output id moves to the activation, so consumers and
 * graph outputs are unchanged; the pre-activation value gets a derived id.
 */
export function expandFusedActivation(graph: Graph): Graph {
  const values = new Map(graph.values);
  const nodes: AnyNode[] = [];
  for (const node of graph.nodes) {
    const activation = 'activation' in node.attrs ? node.attrs.activation : 'NONE';
    const outputId = node.outputs[0];
    const output = outputId === undefined ? undefined : values.get(outputId);
    if (activation === 'NONE' || !output) {
      nodes.push(node);
      continue;
    }
    const pre: Value = { ...output, id: freshId(values, `${output.id}__pre_${activation.toLowerCase()}`) };
    values.set(pre.id, pre);
    if (!isExpandableActivation(activation)) {
      throw new UnsupportedOpError(node.op, node.tfliteOperator ?? -1, `fused activation ${activation} has no op to expand into`, graph.meta.file);
    }
    nodes.push({ ...node, outputs: [pre.id], attrs: { ...node.attrs, activation: 'NONE' } } as AnyNode);
    nodes.push({ op: ACTIVATION_OPS[activation], name: `${node.name}_${activation.toLowerCase()}`, inputs: [pre.id], outputs: [output.id], attrs: {} });
  }
  return { ...graph, values, nodes };
}
