import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { convertToOnnx, type OnnxVariant } from '../../src/convert/convert-onnx.js';
import { availableModels } from '../support/models.js';

/** Debian's python3-onnx lives beside the system interpreter, not a pyenv one on PATH. */
const PYTHON = '/usr/bin/python3';
const hasChecker =
  existsSync(PYTHON) &&
  (() => {
    try {
      // find_spec locates the package without importing it: the import alone costs as much CPU as
      // the check run's own, and a broken install still fails that run.
      execFileSync(PYTHON, ['-c', 'import importlib.util, sys; sys.exit(importlib.util.find_spec("onnx") is None)'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
if (!hasChecker && process.env.CI === 'true') throw new Error('python3-onnx is missing: .ci/run must install it');

const DETECTOR_VARIANTS: readonly OnnxVariant[] = [{}, { decode: true }, { decode: true, preprocess: true }, { nchw: true }];
const OTHER_VARIANTS: readonly OnnxVariant[] = [{}, { preprocess: true }, { nchw: true }];

describe.skipIf(!hasChecker)('official ONNX checker (onnx.checker.check_model, full_check=True)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blazeface-onnx-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts every emitted model and variant', () => {
    const files: string[] = [];
    for (const entry of availableModels()) {
      const ctx = loadModelContext(loadModelFile(entry.id));
      for (const variant of ctx.detector ? DETECTOR_VARIANTS : OTHER_VARIANTS) {
        const artifact = convertToOnnx(ctx, variant);
        const path = join(dir, artifact.fileName);
        writeFileSync(path, artifact.bytes);
        files.push(path);
      }
    }
    let output: string;
    try {
      output = execFileSync(PYTHON, ['scripts/check-onnx.py', ...files], { encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    const lines = output.trim().split('\n');
    expect(lines.filter((l) => !l.startsWith('ok '))).toEqual([]);
    expect(lines).toHaveLength(files.length);
  });
});
