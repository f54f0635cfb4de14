import { describe, expect, it } from 'vitest';
import type { AnyNode, Graph, Value } from '../../../src/ir/graph.js';
import { emitCoreml } from '../../../src/emit/coreml/emit-coreml.js';
import { decodeForExecution, executeMlmodel } from '../../../src/runtimes/coreml/execute.js';
import { evaluateGraph } from '../../../src/runtimes/reference/evaluate-graph.js';
import { EmitError } from '../../../src/ir/errors.js';
import { resizeBilinear } from '../../../src/runtimes/reference/kernels/index.js';
import { perm, permuteData } from '../../../src/ir/layout.js';

/**
 * One-node graphs through the Core ML emitter and the reference executor, against the op's own
 * reference semantics (`evaluate`). Shapes are rank 3 with distinct sizes, where NHWC and the
 * emitted layout agree, so the reference applies as it is. The network ops (convolutions,
 * pooling, padding, resize, depth-to-space) are covered by the whole models' parity tests.
 */
const X: Value = { id: 'x', dtype: 'float32', shape: [1, 5, 3], layout: '???' };

function constant(id: string, shape: readonly number[], data: readonly number[]): Value {
  return { id, dtype: 'float32', shape, layout: '?'.repeat(shape.length), data: Float32Array.from(data) };
}

function graphOf(node: Omit<AnyNode, 'name' | 'outputs'>, extra: readonly Value[], outShape: readonly number[]): Graph {
  const y: Value = { id: 'y', dtype: 'float32', shape: outShape, layout: '?'.repeat(outShape.length) };
  const values = new Map([X, y, ...extra].map((v) => [v.id, v]));
  return { values, nodes: [{ ...node, name: 'op', outputs: ['y'] } as AnyNode], inputs: ['x'], outputs: ['y'], meta: { file: 'test' } };
}

const input = Float32Array.from({ length: 15 }, (_, i) => Math.sin(1.7 * i) * 9);
const none = { activation: 'NONE' } as const;

const CASES: readonly (readonly [string, Graph])[] = [
  ['ADD of a scalar (classic add, alpha)', graphOf({ op: 'ADD', inputs: ['x', 'c'], attrs: none }, [constant('c', [], [0.25])], [1, 5, 3])],
  [
    'ADD of an equal-shaped constant (classic add)',
    graphOf(
      { op: 'ADD', inputs: ['c', 'x'], attrs: none },
      [
        constant(
          'c',
          [1, 5, 3],
          Array.from({ length: 15 }, (_, i) => i / 7),
        ),
      ],
      [1, 5, 3],
    ),
  ],
  ['MUL by a broadcast row (multiplyBroadcastable)', graphOf({ op: 'MUL', inputs: ['x', 'c'], attrs: none }, [constant('c', [3], [2, -1, 0.5])], [1, 5, 3])],
  ['SUB of a scalar (add of its negation)', graphOf({ op: 'SUB', inputs: ['x', 'c'], attrs: none }, [constant('c', [], [1.5])], [1, 5, 3])],
  ['SUB from a constant (subtractBroadcastable)', graphOf({ op: 'SUB', inputs: ['c', 'x'], attrs: none }, [constant('c', [5, 1], [1, 2, 3, 4, 5])], [1, 5, 3])],
  ['MAXIMUM with a scalar (clip from below)', graphOf({ op: 'MAXIMUM', inputs: ['x', 'c'], attrs: {} }, [constant('c', [], [-2])], [1, 5, 3])],
  ['MINIMUM with a scalar first (clip from above)', graphOf({ op: 'MINIMUM', inputs: ['c', 'x'], attrs: {} }, [constant('c', [], [3])], [1, 5, 3])],
  ['RELU', graphOf({ op: 'RELU', inputs: ['x'], attrs: {} }, [], [1, 5, 3])],
  ['RELU6', graphOf({ op: 'RELU6', inputs: ['x'], attrs: {} }, [], [1, 5, 3])],
  ['LOGISTIC', graphOf({ op: 'LOGISTIC', inputs: ['x'], attrs: {} }, [], [1, 5, 3])],
  [
    'BATCH_MATMUL by a constant [3,4] (column-major weights)',
    graphOf(
      { op: 'BATCH_MATMUL', inputs: ['x', 'm'], attrs: { adjX: false, adjY: false } },
      [constant('m', [3, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])],
      [1, 5, 4],
    ),
  ],
  [
    'BATCH_MATMUL by a constant [4,3] with adj_y',
    graphOf(
      { op: 'BATCH_MATMUL', inputs: ['x', 'm'], attrs: { adjX: false, adjY: true } },
      [constant('m', [4, 3], [1, -2, 3, 4, 5, -6, 7, 8, 9, -10, 11, 12])],
      [1, 5, 4],
    ),
  ],
  ['RESHAPE', graphOf({ op: 'RESHAPE', inputs: ['x'], attrs: { shape: [1, 3, 5] } }, [], [1, 3, 5])],
  ['TRANSPOSE', graphOf({ op: 'TRANSPOSE', inputs: ['x'], attrs: { perm: [0, 2, 1] } }, [], [1, 3, 5])],
  [
    'CONCATENATION with a constant',
    graphOf({ op: 'CONCATENATION', inputs: ['x', 'c'], attrs: { axis: 1, activation: 'NONE' } }, [constant('c', [1, 2, 3], [1, 2, 3, 4, 5, 6])], [1, 7, 3]),
  ],
  [
    'PAD',
    graphOf(
      {
        op: 'PAD',
        inputs: ['x'],
        attrs: {
          paddings: [
            [0, 0],
            [1, 2],
            [0, 3],
          ],
        },
      },
      [],
      [1, 8, 6],
    ),
  ],
];

describe('Core ML lowering of one op', () => {
  it.each(CASES)('%s runs as its reference semantics', (_, graph) => {
    const { bytes } = emitCoreml(graph, { metadata: {} });
    const out = executeMlmodel(decodeForExecution(bytes, 'one-op'), { x: input });
    const expected = evaluateGraph(graph, { x: input }).get('y')!;
    expect(out.y!.shape).toEqual(expected.shape);
    expect(Array.from(out.y!.data)).toEqual(Array.from(expected.data).map((v) => expect.closeTo(v, 5)));
  });

  it("RESIZE_BILINEAR half-pixel by 2 (upsample, replication padding, depthwise [1,2,1]/4) is TFLite's resize", () => {
    const [c, h, w] = [2, 3, 5];
    const x: Value = { id: 'x', dtype: 'float32', shape: [1, c, h, w], layout: 'NCHW' };
    const graph: Graph = {
      values: new Map([x, { ...x, id: 'y', shape: [1, c, 2 * h, 2 * w] }].map((v) => [v.id, v])),
      nodes: [
        { op: 'RESIZE_BILINEAR', name: 'resize', inputs: ['x'], outputs: ['y'], attrs: { size: [2 * h, 2 * w], alignCorners: false, halfPixelCenters: true } },
      ],
      inputs: ['x'],
      outputs: ['y'],
      meta: { file: 'test' },
    };
    const data = Float32Array.from({ length: c * h * w }, (_, i) => Math.cos(2.3 * i) * 5);
    const { bytes, report } = emitCoreml(graph, { metadata: {} });
    expect(report.layerTypes).toEqual({ convolution: 1, padding: 1, upsample: 1 });
    const out = executeMlmodel(decodeForExecution(bytes, 'resize'), { x: data }).y!;
    const nhwc = resizeBilinear({ shape: [1, h, w, c], data: permuteData(data, [1, c, h, w], perm('NCHW', 'NHWC')) }, [2 * h, 2 * w], {
      alignCorners: false,
      halfPixelCenters: true,
    });
    const expected = permuteData(nhwc.data, nhwc.shape, perm('NHWC', 'NCHW'));
    expect(out.shape).toEqual([1, c, 2 * h, 2 * w]);
    expect(Array.from(out.data)).toEqual(Array.from(expected).map((v) => expect.closeTo(v, 5)));
  });

  it('stores parameters as half floats with fp16', () => {
    const graph = CASES.find(([name]) => name.startsWith('BATCH_MATMUL by a constant [3,4]'))![1];
    const { bytes, report } = emitCoreml(graph, { metadata: {}, fp16: true });
    const layer = decodeForExecution(bytes, 'fp16').neuralNetwork!.layers![0]!;
    expect(layer.batchedMatmul?.weights?.float16Value?.length).toBe(24);
    expect(report.parameters).toBe(12);
  });
});

describe('ops Core ML cannot take', () => {
  const refused: readonly (readonly [string, Graph, RegExp])[] = [
    ['MAXIMUM of two tensors', graphOf({ op: 'MAXIMUM', inputs: ['x', 'x'], attrs: {} }, [], [1, 5, 3]), /only supported against a scalar constant/],
    ['DENSIFY', graphOf({ op: 'DENSIFY', inputs: ['x'], attrs: {} }, [], [1, 5, 3]), /DENSIFY node op was not folded/],
    ['DEQUANTIZE', graphOf({ op: 'DEQUANTIZE', inputs: ['x'], attrs: {} }, [], [1, 5, 3]), /DEQUANTIZE node op reads an activation/],
    ['CAST', graphOf({ op: 'CAST', inputs: ['x'], attrs: { to: 'float32' } }, [], [1, 5, 3]), /CAST node op: Core ML takes pixels through an image input/],
  ];
  it.each(refused)('%s is refused with an EmitError naming the node', (_, graph, message) => {
    expect(() => emitCoreml(graph, { metadata: {} })).toThrow(EmitError);
    expect(() => emitCoreml(graph, { metadata: {} })).toThrow(message);
  });

  it('refuses a bilinear resize other than half-pixel by 2 (specification 5 would be needed)', () => {
    const image: Value = { id: 'x', dtype: 'float32', shape: [1, 2, 3, 4], layout: 'NCHW' };
    const resize = (halfPixelCenters: boolean, size: [number, number]): Graph => ({
      values: new Map([image, { ...image, id: 'y', shape: [1, 2, ...size] }].map((v) => [v.id, v])),
      nodes: [{ op: 'RESIZE_BILINEAR', name: 'resize', inputs: ['x'], outputs: ['y'], attrs: { size, alignCorners: false, halfPixelCenters } }],
      inputs: ['x'],
      outputs: ['y'],
      meta: { file: 'test' },
    });
    expect(() => emitCoreml(resize(false, [6, 8]), { metadata: {} })).toThrow(
      /legacy \(neither flag\) grid; Core ML specification 4 output supports half-pixel by 2 only/,
    );
    expect(() => emitCoreml(resize(true, [9, 12]), { metadata: {} })).toThrow(/\[3,4\] to \[9,12\] on the half-pixel grid/);
    expect(() => emitCoreml(resize(true, [6, 8]), { metadata: {} })).not.toThrow();
  });
});
