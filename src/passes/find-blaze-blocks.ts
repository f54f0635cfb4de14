import type { AnyNode, Graph, ValueId } from '../ir/graph.js';
import { producers } from '../ir/query.js';

export type ResidualKind = 'identity' | 'max-pool' | 'channel-pad' | 'max-pool+channel-pad';

export interface BlazeBlock {
  readonly index: number;
  readonly kind: 'single' | 'double';
  readonly inChannels: number;
  readonly outChannels: number;
  readonly stride: number;
  readonly kernel: number;
  readonly residual: ResidualKind;
  /** Names of the nodes the block is made of, in graph order. */
  readonly nodes: readonly string[];
}

/**
 * Finds BlazeBlocks in an NHWC graph whose fused activations were made explicit:
 *   single: x -> [PAD] -> DW kxk -> CONV 1x1 -+-> ADD -> RELU
 *   double: x -> [PAD] -> DW -> CONV 1x1 -> RELU -> DW -> CONV 1x1 -+
 *   residual: x, optionally through MAX_POOL (stride 2) and channel PAD (more channels).
 * A match needs both branches to start from the same value, so unrelated adds are skipped.
 */
export function findBlazeBlocks(graph: Graph): BlazeBlock[] {
  const made = producers(graph);
  const channels = (id: ValueId): number => graph.values.get(id)?.shape[3] ?? 0;
  const producer = (id: ValueId | undefined, op: AnyNode['op']): AnyNode | undefined => {
    const node = id === undefined ? undefined : made.get(id);
    return node?.op === op ? node : undefined;
  };
  const skipSpatialPad = (id: ValueId | undefined): { id: ValueId | undefined; pad?: AnyNode } => {
    const pad = producer(id, 'PAD');
    if (pad?.op === 'PAD' && pad.attrs.paddings[3]?.every((p) => p === 0)) return { id: pad.inputs[0], pad };
    return { id };
  };
  /** DW -> 1x1 CONV ending at `id`: returns the DW's input and the nodes. */
  const separable = (id: ValueId | undefined) => {
    const conv = producer(id, 'CONV_2D');
    if (conv?.op !== 'CONV_2D') return undefined;
    const kernel = graph.values.get(conv.inputs[1] ?? '');
    if (kernel?.shape[1] !== 1 || kernel.shape[2] !== 1) return undefined;
    const dw = producer(conv.inputs[0], 'DEPTHWISE_CONV_2D');
    if (dw?.op !== 'DEPTHWISE_CONV_2D') return undefined;
    const dwKernel = graph.values.get(dw.inputs[1] ?? '');
    const { id: start, pad } = skipSpatialPad(dw.inputs[0]);
    return { start, dw, conv, kernel: dwKernel?.shape[1] ?? 0, nodes: [pad, dw, conv].filter((n): n is AnyNode => n !== undefined) };
  };
  const residualOf = (id: ValueId | undefined): { start: ValueId | undefined; kind: ResidualKind; nodes: AnyNode[] } => {
    const channelPad = producer(id, 'PAD');
    const afterPad = channelPad?.op === 'PAD' && (channelPad.attrs.paddings[3]?.[1] ?? 0) > 0 ? channelPad.inputs[0] : id;
    const pool = producer(afterPad, 'MAX_POOL_2D');
    const start = pool ? pool.inputs[0] : afterPad;
    const usedPad = afterPad !== id ? channelPad : undefined;
    const kind: ResidualKind = pool && usedPad ? 'max-pool+channel-pad' : pool ? 'max-pool' : usedPad ? 'channel-pad' : 'identity';
    return { start, kind, nodes: [pool, usedPad].filter((n): n is AnyNode => n !== undefined) };
  };

  const blocks: BlazeBlock[] = [];
  for (const add of graph.nodes) {
    if (add.op !== 'ADD' || add.inputs.length !== 2) continue;
    const relu = graph.nodes.find((n) => n.op === 'RELU' && n.inputs[0] === add.outputs[0]);
    for (const [mainId, skipId] of [add.inputs, [...add.inputs].reverse()] as const) {
      const last = separable(mainId);
      if (!last) continue;
      const residual = residualOf(skipId);
      const middle = producer(last.start, 'RELU');
      const first = middle ? separable(middle.inputs[0]) : undefined;
      const isDouble = first !== undefined && first.start === residual.start;
      if (!isDouble && last.start !== residual.start) continue;
      const entry = isDouble ? first : last;
      const blockNodes = [...(isDouble && middle ? [...first.nodes, middle] : []), ...last.nodes, ...residual.nodes, add, ...(relu ? [relu] : [])];
      const inputId = residual.start ?? '';
      blocks.push({
        index: blocks.length,
        kind: isDouble ? 'double' : 'single',
        inChannels: channels(inputId),
        outChannels: channels(add.outputs[0] ?? ''),
        stride: entry.dw.op === 'DEPTHWISE_CONV_2D' ? entry.dw.attrs.strides[0] : 1,
        kernel: entry.kernel,
        residual: residual.kind,
        nodes: graph.nodes.filter((n) => blockNodes.includes(n)).map((n) => n.name),
      });
      break;
    }
  }
  return blocks;
}
