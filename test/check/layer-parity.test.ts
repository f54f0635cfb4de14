import { afterEach, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { layerParity } from '../../src/check/layer-parity.js';
import { goldenCases } from '../../src/check/golden.js';
import { ONNX_LOWERINGS } from '../../src/emit/onnx/op-lowerings.js';
import { str } from '../../src/emit/onnx/lowering.js';
import { availableModels } from '../support/models.js';

describe.each(availableModels().map((m) => [m.id, m] as const))('per-layer parity of %s', (id, entry) => {
  it('no intermediate tensor diverges from the TypeScript evaluation beyond 1e-4', async () => {
    const ctx = loadModelContext(loadModelFile(id));
    const result = await layerParity(
      ctx,
      goldenCases(entry)
        .find((c) => c.name === '1face')!
        .makeInput(),
    );
    expect(result.rows.length).toBeGreaterThan(ctx.graph.nodes.length / 2);
    expect(result.firstDivergence).toBeUndefined();
  });
});

describe('a broken lowering', () => {
  const lowerings = ONNX_LOWERINGS as { DEPTH_TO_SPACE: (typeof ONNX_LOWERINGS)['DEPTH_TO_SPACE'] };
  const original = lowerings.DEPTH_TO_SPACE;
  afterEach(() => {
    lowerings.DEPTH_TO_SPACE = original;
  });

  it('is named as the first diverging node', async () => {
    const entry = availableModels().find((m) => m.id === 'full_range_sparse');
    if (!entry) return;
    // CRD reads the channel blocks in the other order: same shapes, wrong values.
    lowerings.DEPTH_TO_SPACE = (node, ctx) =>
      ctx.add('DepthToSpace', node.inputs, node.outputs, { blocksize: { kind: 'int', value: node.attrs.blockSize }, mode: str('CRD') });
    const ctx = loadModelContext(loadModelFile(entry.id));
    const result = await layerParity(
      ctx,
      goldenCases(entry)
        .find((c) => c.name === '1face')!
        .makeInput(),
    );
    expect(result.firstDivergence?.op).toBe('DEPTH_TO_SPACE');
  });
});
