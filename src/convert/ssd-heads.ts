import type { Graph, ValueId } from '../ir/graph.js';
import { producers } from '../ir/query.js';

export interface HeadSource {
  /** The head convolution whose output is flattened into this output. */
  readonly head: string;
  /** The feature map the head reads: [height, width, channels] (NHWC). */
  readonly featureMap: readonly [number, number, number];
  /** The anchor grid the head's predictions are laid out on: [height, width]. */
  readonly grid: readonly [number, number];
  readonly anchorsPerCell: number;
  /** Anchor index range [first, last] this head fills in the output. */
  readonly anchors: readonly [number, number];
}

/**
 * Which feature map feeds which output: walks back from an output through the CONCATENATION
 * and RESHAPE ops to the head convolutions, in concatenation order, so anchor index ranges
 * line up with the anchor table (e.g. 16x16x2 = 512 anchors, then 8x8x6 = 384).
 */
export function headSources(graph: Graph, output: ValueId): HeadSource[] {
  const made = producers(graph);
  const sources: HeadSource[] = [];
  let next = 0;
  const coords = graph.values.get(output)?.shape.at(-1) ?? 1;
  const visit = (id: ValueId): void => {
    const node = made.get(id);
    if (!node) return;
    if (node.op === 'CONCATENATION') return node.inputs.forEach(visit);
    if (node.op === 'RESHAPE' || node.op === 'TRANSPOSE') return visit(node.inputs[0] ?? '');
    const out = graph.values.get(id)?.shape ?? [];
    // The sparse model's heads predict at half resolution and DEPTH_TO_SPACE lays the
    // predictions out on the anchor grid: the grid is the op's output, the head the conv before it.
    const conv = node.op === 'DEPTH_TO_SPACE' ? (made.get(node.inputs[0] ?? '') ?? node) : node;
    const head = conv === node ? node.name : `${conv.name} + ${node.name}`;
    const read = made.get(conv.inputs[0] ?? '');
    const featureId = read?.op === 'PAD' ? read.inputs[0] : conv.inputs[0];
    const feature = graph.values.get(featureId ?? '')?.shape ?? [];
    const [, h = 0, w = 0, c = 0] = out;
    const anchorsPerCell = c / coords;
    const count = h * w * anchorsPerCell;
    sources.push({ head, featureMap: [feature[1] ?? 0, feature[2] ?? 0, feature[3] ?? 0], grid: [h, w], anchorsPerCell, anchors: [next, next + count - 1] });
    next += count;
  };
  visit(output);
  return sources;
}
