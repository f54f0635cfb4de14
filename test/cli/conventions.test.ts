/**
 * The CLI's conventions, as the README states them: exit 0 ok, 2 bad input or usage (with one
 * `error:` line), 3 a parity failure; `--json` and `--quiet` on every command; `--model` on
 * every command; flags that do not apply are refused by name; skipped checks said in one line.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/models/registry.js';
import { ensureBuilt, runCli, runCliInProcess, type CliResult } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'blazeface-conventions-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectOneErrorLine(result: CliResult, pattern: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error: /)]);
  expect(result.stderr).toMatch(pattern);
}

describe('usage errors exit 2 with one error line', () => {
  it.each([
    ['an unknown option', ['convert', '--bogus'], /unknown option '--bogus'/],
    ["a misspelt option, with commander's suggestion on the same line", ['convert', '--formt', 'onnx'], /unknown option '--formt'.*Did you mean --format\?/],
    ['an option without its argument', ['convert', '--model'], /argument missing/],
    ['a bad option value', ['convert', '--format', 'tflite'], /unknown format 'tflite'/],
    ['a missing required option', ['parity'], /required option '--model <id\|path>'/],
    ['a missing argument', ['detect', '--model', 'short_range'], /missing required argument 'images'/],
    ['an unknown command', ['convrt'], /unknown command 'convrt'/],
    ['no command', [], /give a command \(inspect, convert, anchors, parity, detect, serve\)/],
    ['the model given twice', ['inspect', 'short_range', '--model', 'front'], /given twice/],
  ])('%s', async (_, args, pattern) => {
    expectOneErrorLine(await runCliInProcess(args), pattern);
  });

  it('the same from a real process: exit status 2, the one line on stderr', () => {
    expectOneErrorLine(runCli(['convert', '--formt', 'onnx']), /unknown option '--formt'.*Did you mean --format\?/);
  });

  it('--help and --version exit 0', () => {
    expect(runCli(['--help']).status).toBe(0);
    expect(runCli(['convert', '--help']).stdout).toContain('--quiet');
    expect(runCli(['--version']).stdout.trim()).toBe((JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

describe('convert refuses what it would not do as asked, before writing anything', () => {
  it.each([
    ['--fp16', 'onnx'],
    ['--raw', 'onnx'],
    ['--seed-compatible', 'onnx'],
    ['--decode', 'coreml'],
    ['--nchw', 'coreml'],
    ['--preprocess', 'coreml,weights'],
  ])('%s with --format %s', async (flag, format) => {
    const out = join(dir, `flag${flag}`);
    const result = await runCliInProcess(['convert', '--format', format, flag, '--out', out]);
    expectOneErrorLine(result, new RegExp(`^error: ${flag} shapes the .* and --format ${format} makes none`));
    expect(existsSync(out)).toBe(false);
  });

  it('--fp16 is taken when one chosen format uses it', async () => {
    expect((await runCliInProcess(['convert', '--format', 'onnx,weights', '--fp16', '--no-parity', '--quiet', '--out', join(dir, 'fp16')])).status).toBe(0);
  });

  it('an --out that looks like a file name', async () => {
    const result = await runCliInProcess(['convert', '--out', join(dir, 'model.onnx')]);
    expectOneErrorLine(result, /model\.onnx: --out names the folder .* looks like a file name \(\.onnx\)/);
    expect(existsSync(join(dir, 'model.onnx'))).toBe(false);
  });

  it('an --out that is an existing file', async () => {
    const file = join(dir, 'existing');
    writeFileSync(file, 'keep me');
    expectOneErrorLine(await runCliInProcess(['convert', '--out', file]), /existing: --out names a folder, and this is an existing file/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
  });
});

describe('--json, --quiet and --model on every command', () => {
  it('convert --json: the artifacts, the parity rows and what was skipped', async () => {
    const result = await runCliInProcess(['convert', '--format', 'coreml', '--json', '--out', join(dir, 'json')]);
    expect(result.status).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      model: { id: string };
      artifacts: { files: { path: string; bytes: number; sha256: string }[] }[];
      parity: { artifact: string; rows: { case: string; ok: boolean; bound: number }[]; ok: boolean }[];
      skipped: string[];
      ok: boolean;
    };
    expect(doc.model.id).toBe('short_range');
    expect(doc.artifacts[0]!.files[0]!.path).toBe(join(dir, 'json', 'short_range.mlmodel'));
    expect(doc.parity[0]!.rows.map((r) => r.case)).toContain('noise');
    expect(doc.ok).toBe(true);
    expect(doc.skipped).toEqual([]);
  });

  it('convert --quiet prints nothing when all is well', async () => {
    const result = await runCliInProcess(['convert', '--quiet', '--out', join(dir, 'quiet')]);
    expect(result).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(readdirSync(join(dir, 'quiet'))).toEqual(['short_range.onnx']);
  });

  it('parity --json, restricted to one --case', async () => {
    const result = await runCliInProcess(['parity', '--model', 'short_range', '--case', 'noise', '--json']);
    expect(result.status).toBe(0);
    const doc = JSON.parse(result.stdout) as { parity: { rows: { case: string; output: string; ok: boolean }[] }; ok: boolean };
    expect(doc.parity.rows.map((r) => `${r.case}.${r.output}`)).toEqual(['noise.regressors', 'noise.classificators']);
    expect(doc.ok).toBe(true);
  });

  it('parity --case with an unknown case refuses before printing and lists the cases', async () => {
    expectOneErrorLine(
      await runCliInProcess(['parity', '--model', 'short_range', '--case', 'nope']),
      /unknown golden case 'nope' \(cases: sin, uniform, 1face, 3faces, 4faces, noise\)/,
    );
  });

  it('inspect takes --model as well as the positional form', async () => {
    const byOption = await runCliInProcess(['inspect', '--model', 'short_range', '--json']);
    const byPosition = await runCliInProcess(['inspect', 'short_range', '--json']);
    expect(byOption.status).toBe(0);
    expect(byOption.stdout).toBe(byPosition.stdout);
    expect(await runCliInProcess(['inspect', '--model', 'short_range', '--quiet'])).toMatchObject({ status: 0, stdout: '' });
  });

  it('anchors --json', async () => {
    const result = await runCliInProcess(['anchors', '--model', 'full_range', '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ count: 2304, format: 'bin', out: null, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('a file outside the registry converts, and its skipped parity is said in one line', async () => {
    const model = readFileSync(join(PACKAGE_ROOT, 'node_modules', '@mediapipe', 'face_detection', 'face_detection_short_range.tflite'));
    // One byte of the description string changes the sha256 and nothing the converter reads.
    const copy = Buffer.from(model);
    const at = copy.indexOf('keras2tflite');
    copy[at] = 'K'.charCodeAt(0);
    const file = join(dir, 'renamed.tflite');
    writeFileSync(file, copy);
    const result = await runCliInProcess(['convert', '--model', file, '--out', join(dir, 'renamed')]);
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('skipped: '))).toEqual([
      `skipped: parity: ${file} matches no registry model by sha256, so there are no golden outputs for it`,
    ]);
  });
});

/**
 * A copy of the built package whose node_modules lacks onnxruntime-node and whose golden
 * output for one case is off, so the two outcomes that cannot be arranged in the repository
 * itself are seen from the outside: a missing optional runtime, and a parity failure.
 */
describe('a package copy without onnxruntime-node and with a tampered golden file', () => {
  const copy = join(dir, 'package');
  const bin = join(copy, 'bin', 'blazeface.js');
  const run = (...args: string[]): CliResult => {
    // Without the test images only the synthetic cases run, which keeps the copy's runs short.
    const env = { ...process.env, BLAZEFACE_GOLDEN_IMAGE_DIR: '' };
    const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(() => {
    for (const part of ['package.json', 'bin', 'weights', 'schemas', 'golden', join('dist', 'src')])
      cpSync(join(PACKAGE_ROOT, part), join(copy, part), { recursive: true });
    mkdirSync(join(copy, 'node_modules'));
    for (const name of readdirSync(join(PACKAGE_ROOT, 'node_modules'))) {
      if (name !== 'onnxruntime-node' && name !== '.bin') symlinkSync(join(PACKAGE_ROOT, 'node_modules', name), join(copy, 'node_modules', name));
    }
    // One pixel off in one box centre: 1/128 of the image after decoding, far beyond the bound.
    const golden = join(copy, 'golden', 'short_range', 'noise.regressors.f32');
    const regressors = new Float32Array(Uint8Array.from(readFileSync(golden)).buffer);
    regressors[7 * 16] = (regressors[7 * 16] ?? 0) + 1;
    writeFileSync(golden, new Uint8Array(regressors.buffer));
  });

  it('detect and parity say in one line how to get onnxruntime-node', () => {
    expectOneErrorLine(
      run('detect', '--model', 'short_range', 'x.png'),
      /^error: detect needs onnxruntime-node, which is not installed: run `ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node`/,
    );
    expectOneErrorLine(run('parity', '--model', 'short_range'), /^error: parity needs onnxruntime-node/);
  });

  it('convert still converts, and says in one line that the ONNX parity was skipped and why', () => {
    const result = run('convert', '--out', join(dir, 'no-runtime'));
    expect(result.status).toBe(0);
    expect(readdirSync(join(dir, 'no-runtime'))).toEqual(['short_range.onnx']);
    expect(result.stdout).toContain(
      'skipped: parity of short_range.onnx: onnxruntime-node, which runs it, is not installed (`ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node` adds it)\n',
    );
  });

  it('a FAIL row exits 3; with --quiet the failure is still printed, and --json says ok false', () => {
    const text = run('convert', '--format', 'coreml', '--out', join(dir, 'fail'));
    expect(text.status).toBe(3);
    expect(text.stdout).toMatch(/^ {2}noise +boxes .* FAIL \(bound 0\.0001\)$/m);
    expect(text.stdout).toMatch(/^ {2}noise +scores .* ok$/m);
    const quiet = run('convert', '--format', 'coreml', '--quiet', '--out', join(dir, 'fail'));
    expect(quiet).toMatchObject({ status: 3, stdout: '' });
    expect(quiet.stderr).toMatch(/^FAIL short_range\.mlmodel noise boxes: max \|a-b\|\/\(1\+\|b\|\) [\d.e-]+ > bound 0\.0001\n$/);
    const json = run('convert', '--format', 'coreml', '--json', '--out', join(dir, 'fail'));
    expect(json.status).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false });
  });
});
