import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackedAsset } from '../../src/models/packed-assets.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';
import { runCliInProcess } from '../support/cli.js';

/**
 * face_landmark_with_attention ships beside face_landmark in @mediapipe/face_mesh's packed
 * assets and needs three MediaPipe custom ops no converter can lower.
 */
describe('a model with custom ops (face_landmark_with_attention)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blazeface-custom-'));
  const model = join(dir, 'face_landmark_with_attention.tflite');
  const out = join(dir, 'out');
  beforeAll(() => {
    const meshDir = dirname(createRequire(import.meta.url).resolve('@mediapipe/face_mesh/package.json'));
    writeFileSync(model, readPackedAsset(meshDir, 'face_mesh_solution_packed_assets', 'face_landmark_with_attention.tflite').bytes);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['convert', ['convert', '--model', model, '--out', out, '--format', 'onnx,coreml,mlpackage,weights']],
    ['detect', ['detect', '--model', model, join(SHARED_DIR, 'images', '1face.png'), '--out', out]],
    ['inspect', ['inspect', model]],
  ])('%s refuses it in one line naming the first custom op, exit 2, nothing written', async (_, args) => {
    const result = await runCliInProcess(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `error: ${model}: operator 192 (CUSTOM:Landmarks2TransformMatrix): custom op Landmarks2TransformMatrix is not a TFLite builtin op and cannot be converted (the file uses 3 custom ops: Landmarks2TransformMatrix, TransformTensorBilinear, TransformLandmarks)\n`,
    );
    expect(existsSync(out)).toBe(false);
  });
});
