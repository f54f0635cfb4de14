import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/io/sha256.js';
import { runCliInProcess } from '../support/cli.js';

describe('convert --format mlpackage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blazeface-mlpackage-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes <id>.mlpackage/ with the manifest, the model and the weight file, and prints the float16 parity', async () => {
    const out = join(dir, 'fp16');
    const result = await runCliInProcess(['convert', '--model', 'short_range', '--format', 'mlpackage', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const pkg = join(out, 'short_range.mlpackage');
    expect(readdirSync(pkg).sort()).toEqual(['Data', 'Manifest.json']);
    expect(readdirSync(join(pkg, 'Data', 'com.apple.CoreML')).sort()).toEqual(['model.mlmodel', 'weights']);
    const weights = readFileSync(join(pkg, 'Data', 'com.apple.CoreML', 'weights', 'weight.bin'));
    expect(result.stdout).toContain(`weight.bin sha256 ${sha256Hex(weights)}  (ML Program, specification 6, opset CoreML5, fp16,`);
    expect(result.stdout).toContain('Parity with the TFLite runtime (golden/), MIL reference executor, fp16:');
    expect(result.stdout.match(/^ {2}(1face|3faces|4faces) +(boxes|scores) .* ok$/gm)).toHaveLength(6);
  });

  it('--precision fp32 --raw names the package after its variant', async () => {
    const out = join(dir, 'fp32');
    const result = await runCliInProcess([
      'convert',
      '--model',
      'short_range',
      '--format',
      'mlpackage',
      '--precision',
      'fp32',
      '--raw',
      '--out',
      out,
      '--no-parity',
    ]);
    expect(result.status).toBe(0);
    expect(readdirSync(out)).toEqual(['short_range.raw.fp32.mlpackage']);
    expect(result.stdout).toContain('(ML Program, specification 6, opset CoreML5, fp32,');
  });

  it('refuses --seed-compatible in one line and writes nothing, alone or beside the .mlmodel it names', async () => {
    const out = join(dir, 'seed');
    const alone = await runCliInProcess(['convert', '--model', 'short_range', '--format', 'mlpackage', '--seed-compatible', '--out', out]);
    expect(alone.status).toBe(2);
    expect(alone.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error: --seed-compatible shapes the coreml output, and --format mlpackage makes none$/),
    ]);
    const both = await runCliInProcess(['convert', '--model', 'short_range', '--format', 'coreml,mlpackage', '--seed-compatible', '--out', out]);
    expect(both.status).toBe(2);
    expect(both.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: .*must be MIL identifiers, and 1477 \/ 1011 are not$/)]);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses --precision without mlpackage', async () => {
    const result = await runCliInProcess(['convert', '--model', 'short_range', '--format', 'coreml', '--precision', 'fp32', '--out', join(dir, 'p')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--precision shapes the mlpackage output, and --format coreml makes none/);
  });

  it('refuses an unknown precision', async () => {
    const result = await runCliInProcess(['convert', '--model', 'short_range', '--format', 'mlpackage', '--precision', 'fp8', '--out', join(dir, 'fp8')]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/'--precision <fp16\|fp32>' argument 'fp8' is invalid/);
  });
});
