import type { AnyNode, Graph, Value } from '../ir/graph.js';
import { GraphError } from '../ir/errors.js';
import { freeIds } from './rename-values.js';

export interface DecoderOptions {
  /** [N,4] rows of x_center, y_center, w, h (normalized), in the model's output order. */
  readonly anchors: Float32Array;
  readonly xScale: number;
  readonly yScale: number;
  readonly wScale: number;
  readonly hScale: number;
  /** Logits are clamped to +-this before the sigmoid (MediaPipe's score_clipping_thresh). */
  readonly scoreClip: number;
  readonly numKeypoints: number;
}

/**
 * Appends MediaPipe's decoding to the graph, built from plain ops so every emitter lowers it:
 *   centre form  D = R * S + O   (S, O per anchor and column: w/x_scale and x_center for x
 *                                 columns, h/y_scale and y_center for y columns, w/w_scale and
 *                                 h/h_scale for the size columns)
 *   corners      B = D x M       (M is the identity but for xmin = xc - w/2, ymin = yc - h/2,
 *                                 xmax = xc + w/2, ymax = yc + h/2)
 *   scores       sigmoid(min(max(logit, -clip), clip))
 * Outputs become `boxes` [1,N,4+2K] and `scores` [1,N,1].
 */
/** The values the decoder adds: a value of the source file holding one of these names moves aside. */
const DECODER_IDS = [
  'decode_scale_table',
  'decode_scaled',
  'decode_offset_table',
  'decode_centre',
  'decode_corner_matrix',
  'boxes',
  'score_clip_min',
  'score_clipped_low',
  'score_clip_max',
  'score_clipped',
  'scores',
];

export function appendDecoder(source: Graph, options: DecoderOptions): Graph {
  const graph = freeIds(source, DECODER_IDS);
  const regressors = graph.values.get('regressors');
  const logits = graph.values.get('classificators');
  if (!regressors || !logits)
    throw new GraphError('decoder', 'expects outputs named regressors and classificators (run canonical renaming first)', graph.meta.file);
  const [, n, coords] = regressors.shape;
  const columns = 4 + 2 * options.numKeypoints;
  if (n === undefined || coords !== columns || options.anchors.length !== n * 4) {
    throw new GraphError(
      'decoder',
      `regressors [${regressors.shape.join(',')}] do not match ${options.anchors.length / 4} anchors of ${columns} values`,
      graph.meta.file,
    );
  }
  const scale = new Float32Array(n * columns);
  const offset = new Float32Array(n * columns);
  const { anchors } = options;
  for (let a = 0, i = 0; a < n; a++) {
    const xc = anchors[4 * a] as number;
    const yc = anchors[4 * a + 1] as number;
    const w = anchors[4 * a + 2] as number;
    const h = anchors[4 * a + 3] as number;
    for (let c = 0; c < columns; c++, i++) {
      if (c === 2) scale[i] = w / options.wScale;
      else if (c === 3) scale[i] = h / options.hScale;
      else if (c % 2 === 0) {
        scale[i] = w / options.xScale;
        offset[i] = xc;
      } else {
        scale[i] = h / options.yScale;
        offset[i] = yc;
      }
    }
  }
  const corners = new Float32Array(columns * columns);
  for (let c = 0; c < columns; c++) corners[c * columns + c] = 1;
  // Row k, column j of M: output column j takes input column k times M[k][j].
  corners[0 * columns + 0] = 1;
  corners[2 * columns + 0] = -0.5;
  corners[1 * columns + 1] = 1;
  corners[3 * columns + 1] = -0.5;
  corners[0 * columns + 2] = 1;
  corners[2 * columns + 2] = 0.5;
  corners[1 * columns + 3] = 1;
  corners[3 * columns + 3] = 0.5;

  const values = new Map(graph.values);
  const add = (value: Value): string => {
    values.set(value.id, value);
    return value.id;
  };
  const head = (id: string, shape: readonly number[], data?: Float32Array): string =>
    add({ id, dtype: 'float32', shape, layout: '?'.repeat(shape.length), data });
  const headShape = [1, n, columns];
  const nodes: AnyNode[] = [
    {
      op: 'MUL',
      name: 'decode_scale',
      inputs: ['regressors', head('decode_scale_table', headShape, scale)],
      outputs: [head('decode_scaled', headShape)],
      attrs: { activation: 'NONE' },
    },
    {
      op: 'ADD',
      name: 'decode_offset',
      inputs: ['decode_scaled', head('decode_offset_table', headShape, offset)],
      outputs: [head('decode_centre', headShape)],
      attrs: { activation: 'NONE' },
    },
    {
      op: 'BATCH_MATMUL',
      name: 'decode_corners',
      inputs: ['decode_centre', head('decode_corner_matrix', [columns, columns], corners)],
      outputs: [head('boxes', headShape)],
      attrs: { adjX: false, adjY: false },
    },
    {
      op: 'MAXIMUM',
      name: 'score_clip_low',
      inputs: ['classificators', head('score_clip_min', [], new Float32Array([-options.scoreClip]))],
      outputs: [head('score_clipped_low', logits.shape)],
      attrs: {},
    },
    {
      op: 'MINIMUM',
      name: 'score_clip_high',
      inputs: ['score_clipped_low', head('score_clip_max', [], new Float32Array([options.scoreClip]))],
      outputs: [head('score_clipped', logits.shape)],
      attrs: {},
    },
    { op: 'LOGISTIC', name: 'score_sigmoid', inputs: ['score_clipped'], outputs: [head('scores', logits.shape)], attrs: {} },
  ];
  return { ...graph, values, nodes: [...graph.nodes, ...nodes], outputs: ['boxes', 'scores'] };
}
