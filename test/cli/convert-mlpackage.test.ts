import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/io/sha256.js';
import { ensureBuilt, runCli } from '../support/cli.js';

describe('convert --format mlpackage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blazeface-mlpackage-'));
  beforeAll(() => ensureBuilt());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes <id>.mlpackage/ with the manifest, the model and the weight file, and prints the float16 parity', () => {
    const out = join(dir, 'fp16');
    const result = runCli(['convert', '--model', 'short_range', '--format', 'mlpackage', '--out', out]);
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

  it('--precision fp32 --raw names the package after its variant', () => {
    const out = join(dir, 'fp32');
    const result = runCli(['convert', '--model', 'short_range', '--format', 'mlpackage', '--precision', 'fp32', '--raw', '--out', out, '--no-parity']);
    expect(result.status).toBe(0);
    expect(readdirSync(out)).toEqual(['short_range.raw.fp32.mlpackage']);
    expect(result.stdout).toContain('(ML Program, specification 6, opset CoreML5, fp32,');
  });

  it('refuses --seed-compatible in one line and writes nothing', () => {
    const out = join(dir, 'seed');
    const result = runCli(['convert', '--model', 'short_range', '--format', 'mlpackage', '--seed-compatible', '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: .*must be MIL identifiers, and 1477 \/ 1011 are not$/)]);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unknown precision', () => {
    const result = runCli(['convert', '--model', 'short_range', '--format', 'mlpackage', '--precision', 'fp8', '--out', join(dir, 'fp8')]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/'--precision <fp16\|fp32>' argument 'fp8' is invalid/);
  });
});
