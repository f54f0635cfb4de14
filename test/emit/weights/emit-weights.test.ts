import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../../src/models/registry.js';
import { loadModelContext } from '../../../src/convert/model-context.js';
import { convertToWeights } from '../../../src/convert/convert-weights.js';
import { MANIFEST_FILE, type WeightsManifest } from '../../../src/emit/weights/emit-weights.js';
import { findBlazeBlocks } from '../../../src/passes/find-blaze-blocks.js';
import { availableModels } from '../../support/models.js';

describe.each(availableModels().map((m) => [m.id] as const))('weight files of %s', (id) => {
  const ctx = loadModelContext(loadModelFile(id));
  const float32 = convertToWeights(ctx);
  const float16 = convertToWeights(ctx, { fp16: true });
  const files = new Map(float32.files.map((f) => [f.name, f.bytes]));

  it('writes one file per tensor and a manifest that describes each exactly', () => {
    const { manifest } = float32;
    expect([...files.keys()].sort()).toEqual([...manifest.tensors.map((t) => t.file), MANIFEST_FILE].sort());
    for (const t of manifest.tensors) {
      const bytes = files.get(t.file)!;
      expect(t.byteLength).toBe(bytes.byteLength);
      expect(t.byteLength).toBe(4 * t.shape.reduce((a, b) => a * b, 1));
      expect(t.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(JSON.parse(new TextDecoder().decode(files.get(MANIFEST_FILE)))).toEqual(JSON.parse(JSON.stringify(manifest)));
  });

  it('lists layers in an order that can be executed, reading only inputs, tensors and earlier outputs', () => {
    const { manifest } = float32;
    const known = new Set([...manifest.inputs.map((i) => i.name), ...manifest.tensors.map((t) => t.name)]);
    for (const layer of manifest.layers) {
      for (const input of layer.inputs) expect(known.has(input), `${layer.name} reads ${input}`).toBe(true);
      for (const output of layer.outputs) known.add(output.name);
    }
    for (const output of manifest.outputs) expect(known.has(output.name)).toBe(true);
    expect(manifest.inputs).toEqual([{ name: 'input', shape: [1, 3, ctx.file.entry!.input.height, ctx.file.entry!.input.width], layout: 'NCHW' }]);
  });

  it("holds convolution kernels in Core ML's layout (fully connected weights [O, I]) and tags them with their BlazeBlock", () => {
    const { manifest } = float32;
    const kernels = manifest.tensors.filter((t) => t.role === 'weights');
    expect(kernels.length).toBe(manifest.layers.filter((l) => ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'].includes(l.op)).length);
    const LAYOUTS: Record<string, string> = { CONV_2D: 'OIHW', DEPTHWISE_CONV_2D: 'C1HW', FULLY_CONNECTED: 'OI' };
    for (const k of kernels) expect(k.layout).toBe(LAYOUTS[k.op]);
    const blocks = findBlazeBlocks(ctx.graph);
    const tagged = new Set(manifest.tensors.flatMap((t) => (t.blazeBlock === null ? [] : [t.blazeBlock])));
    expect([...tagged].sort((a, b) => a - b)).toEqual(blocks.map((b) => b.index));
  });

  it('with fp16 writes the same tensors as half floats', () => {
    const half: WeightsManifest = float16.manifest;
    expect(float16.folder).toBe(`${id}.fp16.weights`);
    expect(half.dtype).toBe('float16');
    expect(half.tensors.map((t) => [t.name, t.shape, t.byteLength * 2])).toEqual(float32.manifest.tensors.map((t) => [t.name, t.shape, t.byteLength]));
  });

  it('is byte-identical when converted again', () => {
    const again = convertToWeights(loadModelContext(loadModelFile(id)));
    expect(again.files.map((f) => [f.name, createHash('sha256').update(f.bytes).digest('hex')])).toEqual(
      float32.files.map((f) => [f.name, createHash('sha256').update(f.bytes).digest('hex')]),
    );
  });
});
