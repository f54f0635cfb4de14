import { perm, permuteData } from '../ir/layout.js';
import type { Graph } from '../ir/graph.js';
import { convertToOnnx } from '../convert/convert-onnx.js';
import type { ModelContext } from '../convert/model-context.js';
import { evaluateGraph } from '../runtimes/reference/evaluate-graph.js';
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
    // Channel-aligned values carry zero channels past the real ones; compare the real ones.
    const channels = nchw ? (expected.shape[3] ?? 0) : 0;
    rows.push({ node: node.name, op: node.op, value, shape: expected.shape, ...compareLayer(got, nchw, channels, expected.data) });
  }
  return {
    rows,
    firstDivergence: rows.find((r) => !(r.maxError <= tolerance)),
    notInOnnx: wanted.filter(({ value }) => !inOnnx.has(value)).map(({ value }) => value),
  };
}

/** The difference of ONNX Runtime's value from the reference's; an NCHW value is compared in NHWC order, over its real channels only. */
function compareLayer(got: OnnxTensorOutput, nchw: boolean, channels: number, expected: ArrayLike<number>): Difference {
  if (!nchw) return compareArrays(got.data, expected);
  const [n, c, h, w] = got.shape;
  if (got.shape.length === 4 && n !== undefined && c !== undefined && h !== undefined && w !== undefined && channels <= c) {
    return compareNchwToNhwc(got.data, [n, c, h, w], channels, expected);
  }
  const real = got.shape[1] !== channels ? firstChannels(got.data, got.shape, channels) : { data: got.data, shape: got.shape };
  return compareArrays(permuteData(real.data, real.shape, perm('NCHW', 'NHWC')), expected);
}

/** Where each NHWC-graph value lives in the emitted graph: the same id, or its channel-widened copy. */
function onnxNames(target: Graph): Map<string, string> {
  const names = new Map<string, string>();
  for (const value of target.values.values()) if (value.widenedFrom !== undefined) names.set(value.widenedFrom, value.id);
  for (const value of target.values.values()) if (value.widenedFrom === undefined) names.set(value.id, value.id);
  return names;
}

function firstChannels(data: Float32Array, shape: readonly number[], channels: number): { data: Float32Array; shape: number[] } {
  const [n = 1, c = 0, h = 1, w = 1] = shape;
  const out = new Float32Array(n * channels * h * w);
  for (let b = 0; b < n; b++) out.set(data.subarray(b * c * h * w, b * c * h * w + channels * h * w), b * channels * h * w);
  return { data: out, shape: [n, channels, h, w] };
}
