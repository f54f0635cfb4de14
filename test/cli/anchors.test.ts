import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { anchorTablePath } from '../../src/models/anchor-tables.js';
import { registerAnchorsCommand } from '../../src/cli/anchors.js';
import { UsageError } from '../../src/cli/common.js';
import { AnchorOptionsError, BlazefaceError, RegistryError } from '../../src/ir/errors.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';
import { loadModelFile } from '../../src/models/registry.js';
import { TfliteModelBuilder } from '../support/one-op-model.js';
import { sha256Hex } from '../../src/io/sha256.js';

let dir: string;
let printed: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blazeface-anchors-'));
  printed = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<string> {
  const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
  registerAnchorsCommand(program);
  await program.parseAsync(['anchors', ...args], { from: 'user' });
  return printed.join('');
}

const SMALL_CONFIG = {
  input_size_width: 4,
  input_size_height: 4,
  num_layers: 1,
  strides: [2],
  min_scale: 0.5,
  max_scale: 0.5,
  aspect_ratios: [1.0],
  interpolated_scale_aspect_ratio: 0.0,
};

function writeConfig(json: unknown): string {
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

describe('blazeface anchors', () => {
  it('writes a registry model table as .npy and prints the count and the sha256 of the bytes', async () => {
    const out = join(dir, 'front.npy');
    const line = await run('--model', 'front', '--out', out);
    const bytes = readFileSync(out);
    expect(bytes.equals(readFileSync(anchorTablePath('front')))).toBe(true);
    expect(line).toBe(`896 anchors, sha256 ${sha256Hex(bytes)}, written to ${out}\n`);
  });

  it('without --out prints the sha256 of the raw float32 table and writes nothing', async () => {
    const line = await run('--model', 'full_range');
    const npy = readFileSync(anchorTablePath('full_range'));
    expect(line).toBe(`2304 anchors, sha256 ${sha256Hex(npy.subarray(128))} (float32 little-endian [2304, 4])\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes --config with MediaPipe field names and writes .txt, .json and .bin', async () => {
    // Stride 2 on 4x4: 2x2 cells, scale 0.5 (one layer: (0.5 + 0.5) / 2), one anchor per cell.
    const config = writeConfig(SMALL_CONFIG);
    await run('--config', config, '--out', join(dir, 'a.txt'));
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('0.25 0.25 0.5 0.5\n0.75 0.25 0.5 0.5\n0.25 0.75 0.5 0.5\n0.75 0.75 0.5 0.5\n');
    await run('--config', config, '--out', join(dir, 'a.json'));
    expect(JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'))).toEqual([
      [0.25, 0.25, 0.5, 0.5],
      [0.75, 0.25, 0.5, 0.5],
      [0.25, 0.75, 0.5, 0.5],
      [0.75, 0.75, 0.5, 0.5],
    ]);
    await run('--config', config, '--out', join(dir, 'a.bin'));
    const bin = readFileSync(join(dir, 'a.bin'));
    expect(Array.from(new Float32Array(bin.buffer, bin.byteOffset, 16))).toEqual([
      0.25, 0.25, 0.5, 0.5, 0.75, 0.25, 0.5, 0.5, 0.25, 0.75, 0.5, 0.5, 0.75, 0.75, 0.5, 0.5,
    ]);
    expect(printed[2]).toBe(`4 anchors, sha256 ${sha256Hex(bin)}, written to ${join(dir, 'a.bin')}\n`);
  });

  it('rejects inconsistent options with the option and the file named, and writes nothing', async () => {
    const config = writeConfig({ ...SMALL_CONFIG, num_layers: 2 });
    const out = join(dir, 'a.npy');
    const error = await run('--config', config, '--out', out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnchorOptionsError);
    expect((error as Error).message).toBe(`anchor option strides: has 1 entry but num_layers is 2 (${config})`);
    expect(existsSync(out)).toBe(false);
  });

  it('rejects an unknown output extension before doing any work', async () => {
    const out = join(dir, 'a.csv');
    await expect(run('--model', 'front', '--out', out)).rejects.toThrow(
      new BlazefaceError('unknown table format: the extension must be .npy, .json, .txt, .bin', out),
    );
    expect(existsSync(out)).toBe(false);
  });

  it('reports an unreadable or malformed config file by name', async () => {
    const missing = join(dir, 'none.json');
    await expect(run('--config', missing)).rejects.toMatchObject({ file: missing, message: expect.stringMatching(/^cannot read the config/) });
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"strides": [8,');
    await expect(run('--config', broken)).rejects.toMatchObject({ file: broken, message: expect.stringMatching(/^not valid JSON/) });
  });

  it('refuses a model that is not an SSD detector, and a file that is not a model', async () => {
    const other = join(dir, 'model.tflite');
    const m = new TfliteModelBuilder();
    m.output(m.op('RELU', [m.input('input', [1, 4, 4, 3])], { name: 'out', shape: [1, 4, 4, 3] }));
    writeFileSync(other, m.finish());
    await expect(run('--model', other)).rejects.toThrow(RegistryError);
    await expect(run('--model', other)).rejects.toThrow(/is not an SSD detector, so its anchor options are unknown; pass them with --config/);
    const junk = join(dir, 'junk.tflite');
    writeFileSync(junk, 'not a model');
    await expect(run('--model', junk)).rejects.toMatchObject({ file: junk, message: expect.stringMatching(/expected file identifier/) });
  });

  it('infers the anchors of a detector file the registry does not know: short_range with 4 bytes appended gives its table', async () => {
    const copy = join(dir, 'short_range_copy.tflite');
    writeFileSync(copy, Buffer.concat([readFileSync(loadModelFile('short_range').path), Buffer.from('abcd')]));
    const inferred = await run('--model', copy);
    printed.length = 0;
    expect(inferred).toMatch(/^896 anchors, sha256 [0-9a-f]{64} /);
    expect(inferred).toBe(await run('--model', 'short_range'));
  });

  const frontModel = join(SHARED_DIR, 'models', 'face_detection_front.tflite');
  it.skipIf(!existsSync(frontModel) && process.env.CI !== 'true')('matches a model file to its registry entry by sha256', async () => {
    expect(await run('--model', frontModel)).toMatch(/^896 anchors, /);
  });

  it('needs exactly one of --model and --config', async () => {
    await expect(run()).rejects.toThrow(UsageError);
    await expect(run('--model', 'front', '--config', writeConfig(SMALL_CONFIG))).rejects.toThrow(/cannot be used with/);
  });
});
