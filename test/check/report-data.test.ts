/**
 * The data behind the HTML reports, without running a model: runs made of the golden tensors
 * themselves (raw, decoded in TypeScript, or moved by a known amount) must draw what TFLite's
 * golden outputs draw, and say exactly how far they are from it.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { loadModelContext } from '../../src/convert/model-context.js';
import { expectedOutputs } from '../../src/check/expected-outputs.js';
import { readGolden, selectGoldenCases, type GoldenCase } from '../../src/check/golden.js';
import type { ObservedCase } from '../../src/check/onnx-parity.js';
import { goldenPictures, observeRun, runHistograms, TFLITE_RUNTIME, type ObservedRun } from '../../src/check/report-data.js';
import { loadModelFile } from '../../src/models/registry.js';

/** A run of the given outputs, fed through an observer as a parity run feeds it. */
function runOf(runtime: string, cases: readonly GoldenCase[], outputs: (c: GoldenCase) => Map<string, Float32Array>, expected = outputs): ObservedRun {
  const { observer, run } = observeRun(runtime);
  for (const c of cases) observer({ case: c, actual: outputs(c), expected: expected(c) } satisfies ObservedCase);
  return run;
}

const imageCases = (id: string): GoldenCase[] => selectGoldenCases(loadModelFile(id).entry!).cases.filter((c) => c.pixels);

async function decodes(base64: string): Promise<{ width: number; height: number }> {
  const meta = await sharp(Buffer.from(base64, 'base64')).metadata();
  return { width: meta.width ?? 0, height: meta.height ?? 0 };
}

describe('goldenPictures', () => {
  it('draws a detector: every image case, one picture per run and TFLite last, raw and decoded outputs alike', async () => {
    const ctx = loadModelContext(loadModelFile('short_range'));
    const cases = imageCases('short_range');
    expect(cases.map((c) => c.name)).toEqual(['1face', '3faces', '4faces', 'noise']);
    const raw = runOf('raw', cases, (c) => new Map(readGolden('short_range', c.name).tensors));
    const decoded = runOf('decoded', cases, (c) => expectedOutputs(ctx, readGolden('short_range', c.name), true));
    const pictures = await goldenPictures(ctx, cases, [raw, decoded]);
    expect(pictures.runtimes).toEqual(['raw', 'decoded', TFLITE_RUNTIME]);
    expect(pictures.legend?.map((k) => k.name)).toEqual(ctx.detector!.keypoints);
    expect(pictures.cases.map((c) => c.case)).toEqual(['1face', '3faces', '4faces', 'noise']);
    const threeFaces = pictures.cases[1]!;
    expect(threeFaces.panels.map((p) => p.caption)).toEqual(Array(3).fill(threeFaces.panels[2]!.caption));
    expect(threeFaces.panels[2]!.caption).toMatch(/^3 detections: /);
    // The same tensors draw the same faces: the raw run exactly, the decoded one through the same float32 decoding.
    expect(threeFaces.panels[0]!.difference).toEqual({ sameCount: true, matched: 3, maxPixels: 0 });
    expect(threeFaces.panels[1]!.difference).toEqual({ sameCount: true, matched: 3, maxPixels: 0 });
    expect(threeFaces.panels[2]!.difference).toBeUndefined();
    for (const panel of pictures.cases.flatMap((c) => c.panels)) {
      // The 128-pixel images are drawn at 256 on their longer side.
      expect(await decodes(panel.image!.base64)).toEqual({ width: 256, height: 256 });
    }
  });

  it('measures a run that moves the boxes, and says when a run lost detections or skipped a case', async () => {
    const ctx = loadModelContext(loadModelFile('short_range'));
    const cases = imageCases('short_range');
    const shifted = runOf('shifted', cases.slice(0, 3), (c) => {
      const golden = readGolden('short_range', c.name).tensors;
      const regressors = Float32Array.from(golden.get('regressors')!);
      // Box centre x of every anchor by 1 pixel of the 128-pixel input: 1 pixel of the 128-pixel image.
      for (let i = 0; i < regressors.length; i += 16) regressors[i]! += 1;
      // 3faces: every logit far down, so no face survives.
      const classificators = c.name === '3faces' ? new Float32Array(896).fill(-100) : golden.get('classificators')!;
      return new Map([
        ['regressors', regressors],
        ['classificators', classificators],
      ]);
    });
    const pictures = await goldenPictures(ctx, cases, [shifted]);
    expect(pictures.cases[0]!.panels[0]!.difference!.sameCount).toBe(true);
    expect(pictures.cases[0]!.panels[0]!.difference!.maxPixels).toBeCloseTo(1, 4);
    expect(pictures.cases[1]!.panels[0]!.difference).toEqual({ sameCount: false, matched: 0, maxPixels: 0 });
    expect(pictures.cases[1]!.panels[0]!.caption).toBe('0 detections');
    expect(pictures.cases[3]!.panels[0]).toEqual({ runtime: 'shifted', caption: 'not run on this case' });
  });

  it("draws a landmark model's points with its presence output", async () => {
    const ctx = loadModelContext(loadModelFile('hand_landmark_lite'));
    const cases = imageCases('hand_landmark_lite').slice(0, 1);
    const run = runOf('same', cases, (c) => new Map(readGolden('hand_landmark_lite', c.name).tensors));
    const pictures = await goldenPictures(ctx, cases, [run]);
    expect(pictures.note).toContain('21 landmarks (output Identity');
    expect(pictures.note).toContain('around one hand');
    expect(pictures.legend).toBeUndefined();
    const presence = readGolden('hand_landmark_lite', '1face').tensors.get('Identity_1')![0]!;
    expect(pictures.cases[0]!.panels.map((p) => p.caption)).toEqual(Array(2).fill(`21 landmarks; presence output Identity_1 = ${presence.toPrecision(3)}`));
    expect(pictures.cases[0]!.panels[0]!.difference).toEqual({ sameCount: true, matched: 1, maxPixels: 0 });
    expect(await decodes(pictures.cases[0]!.panels[0]!.image!.base64)).toEqual({ width: 256, height: 256 });
  });
});

describe('runHistograms', () => {
  it('bins every element of every output, per case or per output over the cases', () => {
    const cases = imageCases('short_range').slice(0, 2);
    const run = runOf(
      'r',
      cases,
      (c) => new Map([...readGolden('short_range', c.name).tensors].map(([name, t]) => [name, t.map((v) => v + 1e-6)])),
      (c) => new Map(readGolden('short_range', c.name).tensors),
    );
    const perCase = runHistograms(run);
    expect(perCase.map((h) => h.label)).toEqual(['1face regressors', '1face classificators', '3faces regressors', '3faces classificators']);
    expect(perCase[0]!.histogram.counts.reduce((a, b) => a + b, 0)).toBe(896 * 16);
    const perOutput = runHistograms(run, { prefix: 'x: ', perOutput: true });
    expect(perOutput.map((h) => h.label)).toEqual(['x: regressors, 2 cases', 'x: classificators, 2 cases']);
    expect(perOutput[1]!.histogram.counts.reduce((a, b) => a + b, 0)).toBe(2 * 896);
  });
});
