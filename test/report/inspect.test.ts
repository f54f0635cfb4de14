import { terminalSafe } from '../../src/report/terminal.js';
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { loadGraph } from '../../src/convert/pipeline.js';
import { inspectModel } from '../../src/report/inspect.js';
import { availableModels } from '../support/models.js';

function inspect(id: string) {
  const file = loadModelFile(id);
  return inspectModel(loadGraph(file.bytes, file.path), { file: file.path, model: id, sha256: file.sha256, bytes: file.bytes.byteLength });
}

/** Facts of the registry files, read off them once and checked by hand against their structure. */
const EXPECTED = {
  front: {
    ops: { ADD: 16, CONCATENATION: 2, CONV_2D: 21, DEPTHWISE_CONV_2D: 16, MAX_POOL_2D: 3, PAD: 11, RELU: 17, RESHAPE: 4 },
    blocks: 16,
    double: 0,
    heads: [
      [16, 16, 2],
      [8, 8, 6],
    ],
  },
  back: {
    ops: { ADD: 31, CONCATENATION: 2, CONV_2D: 37, DEPTHWISE_CONV_2D: 32, DEQUANTIZE: 138, MAX_POOL_2D: 3, PAD: 2, RELU: 33, RESHAPE: 4 },
    blocks: 31,
    double: 0,
    heads: [
      [16, 16, 2],
      [8, 8, 6],
    ],
  },
  short_range: {
    ops: { ADD: 16, CONCATENATION: 2, CONV_2D: 21, DEPTHWISE_CONV_2D: 16, DEQUANTIZE: 74, MAX_POOL_2D: 3, PAD: 11, RELU: 17, RESHAPE: 4 },
    blocks: 16,
    double: 0,
    heads: [
      [16, 16, 2],
      [8, 8, 6],
    ],
  },
  full_range: {
    ops: { ADD: 23, CONV_2D: 49, DEPTHWISE_CONV_2D: 40, DEQUANTIZE: 178, MAX_POOL_2D: 4, PAD: 8, RELU: 47, RESHAPE: 2, RESIZE_BILINEAR: 3 },
    blocks: 20,
    double: 20,
    heads: [[48, 48, 1]],
  },
  full_range_sparse: {
    ops: { ADD: 19, CONV_2D: 49, DENSIFY: 46, DEPTH_TO_SPACE: 2, DEPTHWISE_CONV_2D: 42, DEQUANTIZE: 182, PAD: 43, RESHAPE: 2, RESIZE_BILINEAR: 3 },
    blocks: 16,
    double: 16,
    heads: [[48, 48, 1]],
  },
  palm_detection_lite: {
    ops: { ADD: 25, CONCATENATION: 2, CONV_2D: 30, DEPTHWISE_CONV_2D: 23, DEQUANTIZE: 113, MAX_POOL_2D: 4, PAD: 3, PRELU: 26, RESHAPE: 4, RESIZE_BILINEAR: 2 },
    blocks: 23,
    double: 0,
    heads: [
      [24, 24, 2],
      [12, 12, 6],
    ],
  },
  palm_detection_full: {
    ops: { ADD: 30, CONCATENATION: 2, CONV_2D: 35, DEPTHWISE_CONV_2D: 28, DEQUANTIZE: 133, MAX_POOL_2D: 4, PAD: 3, PRELU: 31, RESHAPE: 4, RESIZE_BILINEAR: 2 },
    blocks: 28,
    double: 0,
    heads: [
      [24, 24, 2],
      [12, 12, 6],
    ],
  },
  hand_landmark_lite: {
    ops: { ADD: 10, CONV_2D: 31, DEPTHWISE_CONV_2D: 16, DEQUANTIZE: 102, FULLY_CONNECTED: 4, LOGISTIC: 2, MAX_POOL_2D: 1, MEAN: 1 },
    blocks: 0,
    double: 0,
    heads: [],
  },
  hand_landmark_full: {
    ops: { ADD: 9, CONV_2D: 31, DEPTHWISE_CONV_2D: 16, DEQUANTIZE: 102, FULLY_CONNECTED: 4, LOGISTIC: 2, MEAN: 1 },
    blocks: 0,
    double: 0,
    heads: [],
  },
  face_landmark: { ops: { ADD: 20, CONV_2D: 25, DEPTHWISE_CONV_2D: 20, DEQUANTIZE: 113, MAX_POOL_2D: 6, PAD: 3, PRELU: 23 }, blocks: 20, double: 0, heads: [] },
} as const;

describe.each(availableModels().map((m) => [m.id, m] as const))('inspect %s', (id, entry) => {
  const report = inspect(id);
  const expected = EXPECTED[id];

  it('counts ops by effective op name', () => {
    expect(report.ops).toEqual(expected.ops);
  });

  it('names the I/O with shapes and maps the outputs to canonical names', () => {
    expect(report.inputs).toEqual([{ name: report.inputs[0]!.name, dtype: 'float32', shape: [1, entry.input.height, entry.input.width, 3] }]);
    expect(report.outputs.map((o) => [o.name, o.canonical])).toEqual(Object.entries(entry.outputs).map(([name, tflite]) => [tflite, name]));
    const decoding = entry.decoding;
    if (decoding) {
      const n = decoding.num_boxes;
      expect(report.outputs.map((o) => o.shape)).toEqual([
        [1, n, decoding.num_coords],
        [1, n, 1],
      ]);
    }
  });

  it('finds the BlazeBlocks and which feature map feeds which anchors', () => {
    expect(report.blazeBlocks).toHaveLength(expected.blocks);
    expect(report.blazeBlocks.filter((b) => b.kind === 'double')).toHaveLength(expected.double);
    for (const output of report.outputs) {
      const heads = output.heads.map((h) => [h.featureMap[0], h.featureMap[1], h.anchorsPerCell]);
      expect(heads).toEqual(expected.heads);
      if (entry.decoding) expect(output.heads.at(-1)!.anchors[1]).toBe(entry.decoding.num_boxes - 1);
    }
  });

  it('reports constants before and after folding', () => {
    expect(report.constantsAfterFolding.parameters).toBeGreaterThan(50_000);
    if (id === 'front') expect(report.constantsBeforeFolding.dtypes).toEqual({ float32: 74, int32: 11 });
    if (id === 'full_range_sparse') expect(report.constantsBeforeFolding.sparse).toBe(46);
  });
});

it('front: the first blocks have the published shape (24 -> 24 identity, 24 -> 28 channel padding, 28 -> 32 stride 2)', () => {
  const blocks = inspect('front')
    .blazeBlocks.slice(0, 3)
    .map((b) => [b.inChannels, b.outChannels, b.stride, b.kernel, b.residual]);
  expect(blocks).toEqual([
    [24, 24, 1, 3, 'identity'],
    [24, 28, 1, 3, 'channel-pad'],
    [28, 32, 2, 3, 'max-pool+channel-pad'],
  ]);
});

describe('terminal safety', () => {
  it('escapes control characters a file puts in names, keeping newlines and tabs', () => {
    expect(terminalSafe('conv\u001b[2J\u0007\u0000x\u009b\tok\n')).toBe('conv\\x1b[2J\\x07\\x00x\\x9b\tok\n');
  });
});
