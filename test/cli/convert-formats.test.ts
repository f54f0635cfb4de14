import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/io/sha256.js';
import { runCliInProcess } from '../support/cli.js';

describe('convert --format', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blazeface-formats-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('onnx,coreml,weights writes the ONNX model, the Core ML model and the weights folder', async () => {
    const out = join(dir, 'all');
    const result = await runCliInProcess(['convert', '--model', 'short_range', '--format', 'onnx,coreml,weights', '--out', out, '--no-parity']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['short_range.mlmodel', 'short_range.onnx', 'short_range.weights']);
    const weights = readdirSync(join(out, 'short_range.weights'));
    const manifest = JSON.parse(readFileSync(join(out, 'short_range.weights', 'manifest.json'), 'utf8')) as { tensors: { file: string }[] };
    expect(weights.sort()).toEqual([...manifest.tensors.map((t) => t.file), 'manifest.json'].sort());
    const mlmodel = new Uint8Array(readFileSync(join(out, 'short_range.mlmodel')));
    expect(result.stdout).toContain(
      `short_range.mlmodel  ${mlmodel.byteLength.toLocaleString('en-US')} bytes  sha256 ${sha256Hex(mlmodel)}  (Core ML specification 4`,
    );
    expect(result.stdout).toMatch(/short_range\.weights\/ {2}\d+ tensors \(float32\) \+ manifest\.json/);
  });

  it('names the Core ML and weight variants after their flags, and a new conversion replaces the whole set', async () => {
    const out = join(dir, 'variants');
    expect(
      (await runCliInProcess(['convert', '--model', 'short_range', '--format', 'coreml,weights', '--raw', '--fp16', '--out', out, '--no-parity'])).status,
    ).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['short_range.fp16.weights', 'short_range.raw.fp16.mlmodel']);
    expect((await runCliInProcess(['convert', '--model', 'short_range', '--format', 'coreml', '--seed-compatible', '--out', out, '--no-parity'])).status).toBe(
      0,
    );
    expect(readdirSync(out).sort()).toEqual(['short_range.seed.mlmodel']);
  });

  it('prints the Core ML parity table against the golden outputs', async () => {
    const result = await runCliInProcess(['convert', '--model', 'short_range', '--format', 'coreml', '--out', join(dir, 'parity')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Parity with the TFLite runtime (golden/), Core ML reference executor:');
    expect(result.stdout.match(/^ {2}(1face|3faces|4faces) +(boxes|scores) .* ok$/gm)).toHaveLength(6);
  });

  it('refuses --raw with --seed-compatible in one line and writes nothing', async () => {
    const out = join(dir, 'refused');
    const result = await runCliInProcess(['convert', '--model', 'short_range', '--format', 'coreml', '--raw', '--seed-compatible', '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: .*cannot be combined with --raw$/)]);
    expect(existsSync(out)).toBe(false);
  });
});
