import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { runCliInProcess } from '../support/cli.js';

describe('bad input on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blazeface-bad-'));
  const model = loadModelFile('short_range').bytes;
  const files = {
    truncated: model.subarray(0, 1000),
    'wrong-magic': Uint8Array.from(model, (b, i) => (i === 4 ? 0x58 : b)),
    empty: new Uint8Array(0),
    text: new TextEncoder().encode('not a model at all\n'),
  };
  beforeAll(() => {
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, `${name}.tflite`), bytes);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(Object.keys(files))('inspect of a %s file prints one line naming the file and exits 2', async (name) => {
    const path = join(dir, `${name}.tflite`);
    const result = await runCliInProcess(['inspect', path]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error: ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .+`));
  });

  it('prints the stack trace only with --debug', async () => {
    const result = await runCliInProcess(['--debug', 'inspect', join(dir, 'truncated.tflite')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/\n\s+at /);
  });

  it('convert of a bad file writes no output file', async () => {
    const out = join(dir, 'out');
    const result = await runCliInProcess(['convert', '--model', join(dir, 'wrong-magic.tflite'), '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: .*wrong-magic\.tflite: .*TFL3/);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it('an unknown model id is a one-line error too', async () => {
    const result = await runCliInProcess(['inspect', 'no_such_model']);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('no_such_model');
  });

  it('inspect --json prints the documented report', async () => {
    const result = await runCliInProcess(['inspect', 'short_range', '--json']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { sha256: string; ops: Record<string, number>; blazeBlocks: unknown[] };
    expect(report.sha256).toBe('3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633');
    expect(report.ops.DEPTHWISE_CONV_2D).toBe(16);
    expect(report.blazeBlocks).toHaveLength(16);
  });
});
