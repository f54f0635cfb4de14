import type { Graph } from '../ir/graph.js';
import { convertToOnnx } from '../convert/convert-onnx.js';
import type { ModelContext } from '../convert/model-context.js';
import { evaluateGraph } from '../runtimes/reference/evaluate-graph.js';
import type { Tensor } from '../runtimes/tensor.js';
import { compareArrays, compareNchwToNhwc, type Difference } from './compare.js';
import { loadOnnx, type OnnxTensorOutput } from '../runtimes/onnxruntime/onnx-runner.js';

export interface LayerRow extends Difference {
  readonly node: string;
  readonly op: string;
  readonly value: string;
  readonly shape: readonly number[];
}

export interface LayerParity {
  readonly rows: readonly LayerRow[];
  /** The first node (in graph order) whose output is off by more than the tolerance. */
  readonly firstDivergence?: LayerRow;
  /** Values the ONNX graph does not have (PADs folded into convolutions, ops fused away). */
  readonly notInOnnx: readonly string[];
}

/**
 * Compares every intermediate tensor of the ONNX model (run in ONNX Runtime with each value
 * exposed as an extra output) with the plain TypeScript evaluation of the NHWC graph, node by
 * node, so a wrong lowering is named where it happens rather than seen at the outputs.
 */
export async function layerParity(ctx: ModelContext, input: Float32Array, tolerance = 1e-4): Promise<LayerParity> {
  const reference = evaluateGraph(ctx.graph, { input });
  const target = ctx.target({});
  const wanted = ctx.graph.nodes.flatMap((node) => node.outputs.map((value) => ({ node, value })));
  const inOnnx = onnxNames(target);
  const extra = wanted.flatMap(({ value }) => {
    const name = inOnnx.get(value);
    return name && !target.outputs.includes(name) ? [name] : [];
  });
  const artifact = convertToOnnx(ctx, { extraOutputs: extra });
  const runner = await loadOnnx(artifact.bytes, { threads: 1 });
  const shape = ctx.graph.values.get('input')?.shape ?? [];
  let outputs: Awaited<ReturnType<typeof runner.run>>;
  try {
    outputs = await runner.run({ input: { shape, data: input } });
  } finally {
    await runner.release();
  }
  const rows: LayerRow[] = [];
  for (const { node, value } of wanted) {
    const name = inOnnx.get(value);
    const got = name === undefined ? undefined : outputs[name];
    const expected = reference.get(value);
    if (!got || !expected) continue;
    const nchw = target.values.get(name ?? '')?.layout === 'NCHW';
    rows.push({ node: node.name, op: node.op, value, shape: expected.shape, ...compareLayer(got, nchw, expected) });
  }
  return {
    rows,
    firstDivergence: rows.find((r) => !(r.maxError <= tolerance)),
    notInOnnx: wanted.filter(({ value }) => !inOnnx.has(value)).map(({ value }) => value),
  };
}

/**
 * The difference of ONNX Runtime's value from the reference's. An NCHW value is compared in NHWC
 * order over the reference's channels: channel-aligned values carry zero channels past the real
 * ones. More channels than ONNX Runtime's value has leave the lengths apart, an infinite error.
 */
function compareLayer(got: OnnxTensorOutput, nchw: boolean, expected: Tensor): Difference {
  if (!nchw) return compareArrays(got.data, expected.data);
  const [n = 1, c = 0, h = 1, w = 1] = got.shape;
  return compareNchwToNhwc(got.data, [n, c, h, w], Math.min(expected.shape[3] ?? 0, c), expected.data);
}

/** Where each NHWC-graph value lives in the emitted graph: the same id, or its channel-widened copy. */
function onnxNames(target: Graph): Map<string, string> {
  const names = new Map<string, string>();
  for (const value of target.values.values()) if (value.widenedFrom !== undefined) names.set(value.widenedFrom, value.id);
  for (const value of target.values.values()) if (value.widenedFrom === undefined) names.set(value.id, value.id);
  return names;
}
