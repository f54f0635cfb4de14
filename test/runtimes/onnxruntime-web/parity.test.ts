import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../../src/models/registry.js';
import { loadModelContext } from '../../../src/convert/model-context.js';
import { onnxGoldenParity, type ParityRow } from '../../../src/check/onnx-parity.js';
import { describeDifference } from '../../../src/check/compare.js';
import { convertToOnnx, type OnnxVariant } from '../../../src/convert/convert-onnx.js';
import { readGoldenManifest } from '../../../src/check/golden.js';
import { onnxWebBound } from '../../../src/models/tolerances.js';
import { availableModels } from '../../support/models.js';
import { loadOnnxWeb } from '../../support/onnxruntime-web.js';

/**
 * Every ONNX variant of every registry model loads in ONNX Runtime for the web (WebAssembly)
 * and matches the golden TFLite outputs within the bounds measured for that runtime.
 */
describe.each(availableModels().map((m) => [m.id, m] as const))('ONNX of %s in onnxruntime-web (wasm)', (id, entry) => {
  const ctx = loadModelContext(loadModelFile(id));
  const detector = entry.decoding !== undefined;
  const variants: [string, OnnxVariant][] = [
    ['raw', {}],
    ['raw, NCHW input', { nchw: true }],
    ...(detector ? ([['decoded', { decode: true }]] as [string, OnnxVariant][]) : []),
    [detector ? 'decoded, uint8 image input' : 'uint8 image input', { decode: detector, preprocess: true }],
  ];

  it.each(variants)('%s', async (name, variant) => {
    const rows: ParityRow[] = await onnxGoldenParity(ctx, variant, readGoldenManifest(), convertToOnnx(ctx, variant), undefined, loadOnnxWeb);
    const worst = rows.reduce((w, r) => (r.maxError > w.maxError ? r : w));
    console.log(`${id} ${name}: worst ${worst.maxError.toExponential(3)} (${worst.case} ${worst.output})`);
    expect(rows.length).toBeGreaterThan(0);
    const bound = onnxWebBound(id);
    expect(rows.filter((r) => !(r.maxError <= bound)).map((r) => describeDifference(`${r.variant} ${r.case} ${r.output}`, r))).toEqual([]);
  });
});
