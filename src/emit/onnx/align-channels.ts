import type { AnyNode, Graph, Value, ValueId } from '../../ir/graph.js';
import { GraphError } from '../../ir/errors.js';
import { OP_TABLE } from '../../ir/op-table.js';
import { freshId } from '../../ir/ids.js';
import { pruneUnused } from '../../passes/prune-unused.js';
import { DerivedConstants } from '../../ir/derived-constants.js';

/**
 * Rounds the channel count of NCHW activations up to a multiple of `block`, the added
 * channels holding zeros: convolutions get zero filters and biases for the new outputs and
 * zero weights for the new inputs, depthwise convolutions zero kernels, and a channel PAD
 * pads only what is still missing (and vanishes when nothing is). Every graph output is the
 * same number: the zero channels only ever meet zero weights (a runtime may round the last
 * bit differently where it sums in another order).
 *
 * Why: ONNX Runtime's CPU provider computes convolutions in a blocked layout (NCHWc, 8
 * channels per block with AVX2, 16 with AVX-512) and keeps a run of ops in it only where the
 * channel counts allow: MaxPool and Concat need whole blocks, a fused residual Add needs both
 * sides to have the same channel count. BlazeFace's widths (24, 28, 36, 42, ...) and its
 * zero channel padding break that run at every block, so each block copies its data out of
 * the blocked layout and back. With whole blocks the backbone stays blocked from the first
 * convolution to the heads; the blocked layout rounds up to whole blocks anyway, so the zero
 * channels add no arithmetic there.
 *
 * Widened values get a new id (`<id>__c<channels>`), so no value keeps its id with another
 * shape. Values whose width is fixed (graph inputs and outputs, and whatever reaches an op
 * that is defined on channel positions: TRANSPOSE, RESHAPE, CONCATENATION, DEPTH_TO_SPACE,
 * element-wise ops with a constant) keep their width, and so does everything that must share
 * a width with them. Runs on the NCHW graph (after `toNchw`). Widened kernels come from
 * `constants`, so the variants of one model widen each kernel once.
 */
export function alignChannels(graph: Graph, block: number, constants: DerivedConstants = new DerivedConstants()): Graph {
  const width = channelWidths(graph, block);
  const values = new Map(graph.values);
  const renamed = new Map<ValueId, ValueId>();
  for (const [id, value] of graph.values) {
    const channels = width(id);
    if (channels === value.shape[1] || !isActivation(value)) continue;
    const wide: Value = {
      ...value,
      id: freshId(values, `${id}__c${channels}`),
      shape: value.shape.map((d, i) => (i === 1 ? channels : d)),
      tfliteTensor: undefined,
      widenedFrom: id,
    };
    values.set(wide.id, wide);
    renamed.set(id, wide.id);
  }
  const rename = (id: ValueId): ValueId => renamed.get(id) ?? id;
  /** Widened constants already made, by source id and shape: a constant shared by two ops is widened once. */
  const widened = new Map<string, ValueId>();
  const widenConstant = (id: ValueId | undefined, shape: readonly number[]): ValueId | undefined => {
    const value = id === undefined ? undefined : values.get(id);
    if (!value?.data) return id;
    if (value.shape.every((d, i) => d === shape[i])) return value.id;
    const made = widened.get(`${value.id}:${shape.join('x')}`);
    if (made !== undefined) return made;
    if (!(value.data instanceof Float32Array))
      throw new GraphError('alignChannels', `constant ${value.id} is ${value.dtype}, expected float32`, graph.meta.file);
    const key = freshId(values, `${value.id}__${shape.join('x')}`);
    widened.set(`${value.id}:${shape.join('x')}`, key);
    const data = value.data;
    const grown = constants.get(data, `grow ${value.shape.join('x')} to ${shape.join('x')}`, () => growWithZeros(data, value.shape, shape));
    values.set(key, { ...value, id: key, shape, data: grown, tfliteTensor: undefined });
    return key;
  };

  const nodes: AnyNode[] = [];
  for (const node of graph.nodes) {
    const input = node.inputs[0];
    const output = node.outputs[0] ?? '';
    let inputs = node.inputs.map(rename);
    let attrs: unknown = node.attrs;
    const facts = OP_TABLE[node.op];
    // Only spatial ops' kernels follow the channel axis; a fully connected layer's [O, I] does not.
    const relaid = facts.layout === 'spatial' && (facts.weights?.every((w) => values.get(node.inputs[w.position] ?? '')?.layout === w.nchw) ?? false);
    if (facts.weights && relaid && input !== undefined) {
      // Kernel axes follow the layout letters: O and C take the output's width, I the input's.
      const axisWidth = (letter: string, size: number): number => (letter === 'O' || letter === 'C' ? width(output) : letter === 'I' ? width(input) : size);
      inputs = node.inputs.map((id, position) => {
        const weight = facts.weights?.find((w) => w.position === position);
        const value = values.get(id);
        if (weight && value)
          return (
            widenConstant(
              id,
              value.shape.map((d, axis) => axisWidth(weight.nchw[axis] ?? '', d)),
            ) ?? ''
          );
        if (facts.inputs[position] === 'bias') return widenConstant(id, [width(output)]) ?? '';
        return rename(id);
      });
    }
    // Channel padding is the one op whose attributes name channel positions: it absorbs the zeros its neighbours gained.
    if (node.op === 'PAD' && input !== undefined && isActivation(values.get(input))) {
      // Zeros the input gained move from its end into the padding; zeros the output gains are added to it.
      const grown = (id: ValueId): number => width(id) - (graph.values.get(id)?.shape[1] ?? 0);
      const paddings = node.attrs.paddings.map(([before, after], axis) =>
        axis === 1 ? ([before, after + grown(output) - grown(input)] as const) : ([before, after] as const),
      );
      if (paddings.every(([before, after]) => before === 0 && after === 0) && !graph.outputs.includes(output)) {
        renamed.set(output, rename(input));
        continue;
      }
      attrs = { paddings };
    }
    nodes.push({ ...node, inputs, outputs: node.outputs.map(rename), attrs } as AnyNode);
  }
  return pruneUnused({ ...graph, values, nodes, inputs: graph.inputs.map(rename), outputs: graph.outputs.map(rename) });
}

/**
 * Row-major `data` of shape `from` placed at the start of every axis of a zero tensor of shape
 * `to`. Axes after the last one that grows are copied as whole runs, so a kernel [O,I,kh,kw]
 * moves in O runs rather than element by element (this runs for every conversion).
 */
function growWithZeros(data: Float32Array, from: readonly number[], to: readonly number[]): Float32Array {
  const out = new Float32Array(to.reduce((a, b) => a * b, 1));
  const last = from.reduce((found, d, i) => (d === to[i] ? found : i), -1);
  if (last < 0) {
    out.set(data);
    return out;
  }
  const run = from.slice(last).reduce((a, b) => a * b, 1);
  const outer = from.slice(0, last);
  const toStrides = to.map((_, i) => to.slice(i + 1).reduce((a, b) => a * b, 1));
  const index = new Array<number>(outer.length).fill(0);
  for (let source = 0; source < data.length; source += run) {
    const target = index.reduce((sum, k, axis) => sum + k * (toStrides[axis] ?? 0), 0);
    out.set(data.subarray(source, source + run), target);
    for (let axis = outer.length - 1; axis >= 0; axis--) {
      if (++(index[axis] as number) < (outer[axis] ?? 0)) break;
      index[axis] = 0;
    }
  }
  return out;
}

function isActivation(value: Value | undefined): value is Value {
  return value !== undefined && !value.data && value.layout === 'NCHW' && value.shape.length === 4 && value.dtype === 'float32';
}

/**
 * The channel count each activation gets. Activations that must share a count (the input and
 * output of a channel-wise op, the operands and result of an element-wise op) form a class;
 * a class keeps its count if any member is fixed, else it is rounded up to `block`. A channel
 * PAD links its input to its output only as an order: the input may not end up wider.
 */
function channelWidths(graph: Graph, block: number): (id: ValueId) => number {
  const parent = new Map<ValueId, ValueId>();
  const fixed = new Set<ValueId>();
  const find = (id: ValueId): ValueId => {
    let root = id;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  const union = (a: ValueId, b: ValueId): void => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    parent.set(rb, ra);
    if (fixed.has(rb)) fixed.add(ra);
  };
  const activation = (id: ValueId | undefined): id is ValueId => id !== undefined && isActivation(graph.values.get(id));
  const fix = (ids: readonly ValueId[]): void => {
    for (const id of ids) if (activation(id)) fixed.add(find(id));
  };
  const channels = (id: ValueId): number => graph.values.get(id)?.shape[1] ?? 0;
  const channelPads: [ValueId, ValueId][] = [];

  for (const node of graph.nodes) {
    const [input, second] = node.inputs;
    const output = node.outputs[0];
    if (!activation(output) || !activation(input) || node.outputs.length !== 1) {
      fix([...node.inputs, ...node.outputs]);
      continue;
    }
    const facts = OP_TABLE[node.op];
    const weight = facts.weights?.[0];
    const kernel = weight && graph.values.get(node.inputs[weight.position] ?? '');
    const kernelLaid = weight !== undefined && kernel?.layout === weight.nchw;
    /** The kernel's extent on axis `letter` (of its NCHW-side layout), if it has one. */
    const kernelAxis = (letter: string): number | undefined => (kernelLaid ? kernel.shape[weight.nchw.indexOf(letter)] : undefined);
    if (facts.channelWise && !weight && node.inputs.length === 1) {
      union(input, output);
    } else if (facts.channelWise && kernelAxis('C') === channels(input)) {
      union(input, output);
    } else if (kernelAxis('I') === channels(input)) {
      // Any input width works (zero weights meet the zero channels); the output starts a class.
    } else if (facts.zeroPreserving && activation(second) && graph.values.get(second)?.shape.join() === graph.values.get(input)?.shape.join()) {
      union(input, second);
      union(input, output);
    } else if (node.op === 'PAD' && node.attrs.paddings[0]?.every((p) => p === 0) && node.attrs.paddings[1]?.[0] === 0) {
      if (node.attrs.paddings[1]?.[1] === 0) union(input, output);
      else channelPads.push([input, output]);
    } else {
      fix([...node.inputs, ...node.outputs]);
    }
  }
  fix([...graph.inputs, ...graph.outputs]);

  const width = (id: ValueId): number => {
    const own = channels(id);
    return fixed.has(find(id)) ? own : Math.ceil(own / block) * block;
  };
  // A padded input must not outgrow its padded output; fixing it may cascade up a chain.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [input, output] of channelPads) {
      if (!fixed.has(find(input)) && width(input) > width(output)) {
        fixed.add(find(input));
        changed = true;
      }
    }
  }
  return width;
}
