import type { AnyNode, Graph, NodeMap, Value, ValueId } from '../ir/graph.js';
import { perm, permuteData, permuteShape } from '../ir/layout.js';
import type { AnyTypedArray } from '../ir/dtype.js';
import { DerivedConstants } from '../ir/derived-constants.js';
import type { OpAttrs, OpType } from '../ir/attrs.js';
import { OP_TABLE } from '../ir/op-table.js';
import { freshId } from '../ir/ids.js';
import { inferOutputs } from '../ir/shape-rules.js';
import { LayoutError } from '../ir/errors.js';

export interface ToNchwOptions {
  /** Make the graph input itself NCHW instead of transposing an NHWC input once inside the graph. */
  readonly nchwInput: boolean;
  /** Re-laid constants shared with the other variants of the same model (see DerivedConstants). */
  readonly constants?: DerivedConstants;
}

const NHWC_TO_NCHW = perm('NHWC', 'NCHW');
const NCHW_TO_NHWC = perm('NCHW', 'NHWC');

/**
 * Moves 4-D activations from TFLite's NHWC to the NCHW that ONNX and CoreML compute in
 * (tflite2onnx-style propagation). Spatial ops run on NCHW and get their kernels re-laid;
 * element-wise and axis ops follow their inputs (constants and axis attributes are re-laid
 * to match); ops defined on NHWC element order (RESHAPE before the heads, matmul) get an
 * explicit transpose back, so the anchor order of the flattened outputs is TFLite's. Value
 * ids are kept, so a value can be compared with its NHWC original by id; transposed copies
 * get a `__nchw` / `__nhwc` suffix and are made once per value.
 */
export function toNchw(graph: Graph, options: ToNchwOptions): Graph {
  const values = new Map(graph.values);
  const nodes: AnyNode[] = [];
  const constants = options.constants ?? new DerivedConstants();
  const permuted = <T extends AnyTypedArray>(data: T, shape: readonly number[], p: readonly number[]): T =>
    constants.get(data, `permute ${shape.join('x')} ${p.join(',')}`, () => permuteData(data, shape, p));

  const get = (id: ValueId): Value => {
    const value = values.get(id);
    if (!value) throw new LayoutError(id, 'unknown value');
    return value;
  };

  /** Transposed copies already made, by source id and layout: each value is transposed once. */
  const copies = new Map<string, ValueId>();
  const convert = (id: ValueId, to: 'NCHW' | 'NHWC'): ValueId => {
    const value = get(id);
    if (value.layout === to || value.shape.length !== 4) return id;
    const made = copies.get(`${to}:${id}`);
    if (made !== undefined) return made;
    const key = freshId(values, `${id}__${to.toLowerCase()}`);
    copies.set(`${to}:${id}`, key);
    const p = to === 'NCHW' ? NHWC_TO_NCHW : NCHW_TO_NHWC;
    const copy: Value = {
      ...value,
      id: key,
      layout: to,
      shape: permuteShape(value.shape, p),
      data: value.data && permuted(value.data, value.shape, p),
      tfliteTensor: undefined,
    };
    values.set(key, copy);
    if (!value.data) nodes.push({ op: 'TRANSPOSE', name: `${key}_transpose`, inputs: [id], outputs: [key], attrs: { perm: p } });
    return key;
  };

  /** A constant of lower rank broadcasts against NHWC from the right; in NCHW it needs explicit unit axes. */
  const broadcastConstant = (id: ValueId): ValueId => {
    const value = get(id);
    if (!value.data || value.shape.length >= 4 || value.data.length === 1) return convert(id, 'NCHW');
    const made = copies.get(`NCHW:${id}`);
    if (made !== undefined) return made;
    const key = freshId(values, `${id}__nchw`);
    copies.set(`NCHW:${id}`, key);
    const shape4 = [...Array(4 - value.shape.length).fill(1), ...value.shape];
    values.set(key, {
      ...value,
      id: key,
      layout: 'NCHW',
      shape: permuteShape(shape4, NHWC_TO_NCHW),
      data: permuted(value.data, shape4, NHWC_TO_NCHW),
      tfliteTensor: undefined,
    });
    return key;
  };

  if (options.nchwInput) {
    for (const id of graph.inputs) {
      const value = get(id);
      if (value.layout === 'NHWC') values.set(id, { ...value, layout: 'NCHW', shape: permuteShape(value.shape, NHWC_TO_NCHW) });
    }
  }

  for (const node of graph.nodes) {
    const facts = OP_TABLE[node.op];
    let inputs = [...node.inputs];
    let moved = node;
    const isActivation = (id: ValueId): boolean => !get(id).data && get(id).shape.length === 4;
    switch (facts.layout) {
      case 'spatial':
        inputs = inputs.map((id, i) => {
          if (i === 0) return convert(id, 'NCHW');
          const value = get(id);
          const weight = facts.weights?.find((w) => w.position === i);
          if (!value.data || !weight || value.layout === weight.nchw) return id;
          const p = perm(value.layout, weight.nchw);
          values.set(id, { ...value, layout: weight.nchw, shape: permuteShape(value.shape, p), data: permuted(value.data, value.shape, p) });
          return id;
        });
        break;
      case 'elementwise':
      case 'axis': {
        const nchw = inputs.some((id) => isActivation(id) && get(id).layout === 'NCHW');
        if (!nchw) break;
        const remapped = remapAxes(node, NHWC_TO_NCHW);
        if (!remapped) {
          inputs = inputs.map((id) => convert(id, 'NHWC'));
          break;
        }
        inputs = inputs.map((id) => (isActivation(id) ? convert(id, 'NCHW') : get(id).data ? broadcastConstant(id) : id));
        moved = remapped;
        break;
      }
      case 'nhwc':
        inputs = inputs.map((id) => convert(id, 'NHWC'));
        break;
    }
    const inputValues = inputs.map(get);
    const inferred = inferOutputs(moved, inputValues);
    const runsNchw = inputValues.some((v) => v.layout === 'NCHW' && !v.data) || (facts.layout === 'spatial' && inputValues[0]?.layout === 'NCHW');
    node.outputs.forEach((id, i) => {
      const value = get(id);
      const out = inferred[i];
      if (!out) throw new LayoutError(id, `${node.op} computes no output ${i}`);
      const layout = out.shape.length === 4 ? (runsNchw ? 'NCHW' : 'NHWC') : value.layout;
      values.set(id, { ...value, shape: out.shape, layout });
    });
    nodes.push({ ...moved, inputs });
  }

  return { ...graph, values, nodes: nhwcOutputs(graph.outputs, values, nodes) };
}

/**
 * A graph output keeps its TFLite shape and name: a 4-D output computed in NCHW takes a fresh
 * id (`<id>__nchw`) inside the graph and is transposed back to NHWC under its own id.
 */
function nhwcOutputs(outputs: readonly ValueId[], values: Map<ValueId, Value>, nodes: readonly AnyNode[]): AnyNode[] {
  const inner = new Map<ValueId, ValueId>();
  for (const id of outputs) {
    const value = values.get(id);
    if (value?.layout !== 'NCHW' || value.data) continue;
    const key = freshId(values, `${id}__nchw`);
    values.set(key, { ...value, id: key, tfliteTensor: undefined });
    values.set(id, { ...value, layout: 'NHWC', shape: permuteShape(value.shape, NCHW_TO_NHWC) });
    inner.set(id, key);
  }
  if (inner.size === 0) return [...nodes];
  const rename = (id: ValueId): ValueId => inner.get(id) ?? id;
  const renamed = nodes.map((node) => ({ ...node, inputs: node.inputs.map(rename), outputs: node.outputs.map(rename) }) as AnyNode);
  const transposes = [...inner].map(
    ([id, key]): AnyNode => ({ op: 'TRANSPOSE', name: `${id}__nhwc_output`, inputs: [key], outputs: [id], attrs: { perm: NCHW_TO_NHWC } }),
  );
  return [...renamed, ...transposes];
}

/** The node with the axes its attributes name permuted by `p`, for ops the op table gives a remap; undefined when the op cannot follow `p`. */
function remapAxes<K extends OpType>(node: NodeMap[K], p: readonly number[]): NodeMap[K] | undefined {
  const remap: ((attrs: OpAttrs[K], perm: readonly number[]) => OpAttrs[K] | undefined) | undefined = OP_TABLE[node.op].remapAxes;
  if (!remap) return node;
  const attrs = remap(node.attrs, p);
  return attrs && { ...node, attrs };
}
