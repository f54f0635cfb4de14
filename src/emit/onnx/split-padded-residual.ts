import type { AnyNode, Graph, Node, Value, ValueId } from '../../ir/graph.js';
import { consumers, producers } from '../../ir/query.js';
import { freshId } from '../../ir/ids.js';
import { GraphError } from '../../ir/errors.js';
import { pruneUnused } from '../../passes/prune-unused.js';

/**
 * Rewrites a residual connection whose shortcut is zero-padded on the channel axis
 * (BlazeBlock channel padding),
 *   y = act(conv(d) + pad(x))                   x has C channels, conv C + k
 * as the two channel ranges of the convolution, joined at the end:
 *   y = concat(act(conv[0:C](d) + x), act(conv[C:C+k](d)))
 * The numbers are the same (the padded range only ever added zeros) and the zero tensor is
 * gone. ONNX Runtime then fuses each addition and activation into its convolution, and when
 * C and k are whole NCHWc blocks (see `alignChannels`) the concatenation stays in the blocked
 * layout, where a Concat with a constant zero tensor has to leave it. `act` is an optional
 * RELU or RELU6 that is the sum's only reader. Runs on the NCHW graph.
 */
export function splitPaddedResidual(graph: Graph): Graph {
  const readers = consumers(graph);
  const made = producers(graph);
  const soleReader = (id: ValueId | undefined): AnyNode | undefined => {
    const list = id === undefined ? [] : (readers.get(id) ?? []);
    return list.length === 1 && id !== undefined && !graph.outputs.includes(id) ? list[0] : undefined;
  };
  const values = new Map(graph.values);
  const get = (id: ValueId | undefined): Value => {
    const value = id === undefined ? undefined : values.get(id);
    if (!value) throw new GraphError('splitPaddedResidual', `unknown value ${id}`, graph.meta.file);
    return value;
  };
  const add = (value: Value): ValueId => {
    values.set(value.id, value);
    return value.id;
  };
  /** Rows [from, to) of a constant's first axis, as a new constant over the same data (constants are never written). */
  const rows = (id: ValueId, from: number, to: number, suffix: string): ValueId => {
    const value = get(id);
    if (!value.data) throw new GraphError('splitPaddedResidual', `${id} is not a constant`, graph.meta.file);
    const size = value.shape.slice(1).reduce((a, b) => a * b, 1);
    return add({
      ...value,
      id: freshId(values, `${id}__${suffix}`),
      shape: [to - from, ...value.shape.slice(1)],
      data: value.data.subarray(from * size, to * size),
      tfliteTensor: undefined,
      widenedFrom: undefined,
    });
  };
  const resized = (id: ValueId, suffix: string, channels: number): ValueId => {
    const value = get(id);
    return add({
      ...value,
      id: freshId(values, `${id}__${suffix}`),
      shape: value.shape.map((d, i) => (i === 1 ? channels : d)),
      tfliteTensor: undefined,
      widenedFrom: undefined,
    });
  };

  const dropped = new Set<AnyNode>();
  const replacements = new Map<AnyNode, AnyNode[]>();
  for (const sum of graph.nodes) {
    if (sum.op !== 'ADD' || sum.inputs.length !== 2) continue;
    const side = sum.inputs.findIndex((id) => made.get(id)?.op === 'PAD');
    const padded = sum.inputs[side];
    const branch = sum.inputs[1 - side];
    const pad = made.get(padded ?? '');
    const conv = made.get(branch ?? '');
    if (pad?.op !== 'PAD' || conv?.op !== 'CONV_2D' || soleReader(padded) !== sum || soleReader(branch) !== sum) continue;
    const extra = pad.attrs.paddings[1]?.[1] ?? 0;
    if (extra === 0 || !pad.attrs.paddings.every(([before, after], axis) => before === 0 && (axis === 1 || after === 0))) continue;
    const [shortcut] = pad.inputs;
    const [input, kernel, bias] = conv.inputs;
    if (shortcut === undefined || input === undefined || kernel === undefined || get(shortcut).layout !== 'NCHW') continue;
    const channels = get(shortcut).shape[1] ?? 0;
    const total = channels + extra;
    if (get(kernel).shape[0] !== total) continue;

    const sumOut = sum.outputs[0] ?? '';
    const reader = soleReader(sumOut);
    const act = reader?.op === 'RELU' || reader?.op === 'RELU6' ? reader : undefined;
    const convOut = conv.outputs[0] ?? '';
    const half = (suffix: string, from: number, to: number): Node<'CONV_2D'> => ({
      ...conv,
      name: `${conv.name}_${suffix}`,
      inputs: [input, rows(kernel, from, to, suffix), ...(bias === undefined ? [] : [rows(bias, from, to, suffix)])],
      outputs: [resized(convOut, suffix, to - from)],
    });
    const top = half('top', 0, channels);
    const bottom = half('bottom', channels, total);
    const topSum: Node<'ADD'> = {
      ...sum,
      inputs: side === 0 ? [shortcut, top.outputs[0] ?? ''] : [top.outputs[0] ?? '', shortcut],
      outputs: [resized(sumOut, 'top', channels)],
    };
    const parts: AnyNode[] = [top, bottom, topSum];
    let joined: readonly ValueId[] = [topSum.outputs[0] ?? '', bottom.outputs[0] ?? ''];
    if (act) {
      const actOut = act.outputs[0] ?? '';
      const topAct = { ...act, inputs: joined.slice(0, 1), outputs: [resized(actOut, 'top', channels)] } as AnyNode;
      const bottomAct = { ...act, name: `${act.name}_bottom`, inputs: joined.slice(1), outputs: [resized(actOut, 'bottom', extra)] } as AnyNode;
      parts.push(topAct, bottomAct);
      joined = [topAct.outputs[0] ?? '', bottomAct.outputs[0] ?? ''];
    }
    const last = act ?? sum;
    parts.push({ op: 'CONCATENATION', name: `${last.name}_concat`, inputs: joined, outputs: last.outputs, attrs: { axis: 1, activation: 'NONE' } });
    for (const node of [pad, conv, sum, ...(act ? [act] : [])]) dropped.add(node);
    replacements.set(last, parts);
  }
  const nodes = graph.nodes.flatMap((node) => replacements.get(node) ?? (dropped.has(node) ? [] : [node]));
  return pruneUnused({ ...graph, values, nodes });
}
