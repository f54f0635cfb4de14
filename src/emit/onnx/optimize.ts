import type { Graph } from '../../ir/graph.js';
import { runPasses } from '../../passes/verify-graph.js';
import { alignChannels } from './align-channels.js';
import { splitPaddedResidual } from './split-padded-residual.js';
import { DerivedConstants } from '../../ir/derived-constants.js';

/**
 * Channel counts are rounded to multiples of this: ONNX Runtime's blocked NCHWc layout uses
 * 16 channels per block with AVX-512 and 8 with AVX2, so 16 suits both (see alignChannels).
 */
export const CHANNEL_BLOCK = 16;

/**
 * The rewrites that serve ONNX Runtime's CPU provider only, on an NCHW graph: channel counts in
 * whole blocks and channel-padded shortcuts split. Every output stays the same number.
 */
export function optimizeForOnnxRuntime(graph: Graph, constants: DerivedConstants = new DerivedConstants()): Graph {
  return runPasses(graph, [
    ['alignChannels', (g) => alignChannels(g, CHANNEL_BLOCK, constants)],
    ['splitPaddedResidual', splitPaddedResidual],
  ]);
}
