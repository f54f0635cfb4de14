import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { convertToWeights } from '../../src/convert/convert-weights.js';
import { readWeightsFolder, rebuiltGoldenParity } from '../../src/check/rebuild-from-weights.js';
import { writeFilesAtomically } from '../../src/io/write-files.js';
import { availableModels } from '../support/models.js';
import { beyond, float16Bound, float32Bound } from '../emit/coreml/tolerances.js';

const root = mkdtempSync(join(tmpdir(), 'blazeface-weights-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes a model's weight folder to disk, as `convert --format weights` does, and returns its path. */
function written(id: string, fp16: boolean): string {
  const artifact = convertToWeights(loadModelContext(loadModelFile(id)), { fp16 });
  const dir = join(root, id);
  writeFilesAtomically(
    dir,
    artifact.files.map((f) => ({ name: join(artifact.folder, f.name), bytes: f.bytes })),
  );
  return join(dir, artifact.folder);
}

describe.each(availableModels().map((m) => [m.id, m] as const))('network of %s rebuilt from its weight files alone', (id, entry) => {
  it('matches the golden TFLite outputs (float32 weights)', () => {
    const rows = rebuiltGoldenParity(written(id, false), entry);
    expect(rows).toHaveLength(6 * Object.keys(entry.outputs).length);
    expect(beyond(rows, float32Bound(id))).toEqual([]);
  });

  it('stays within the measured float16 bound (float16 weights)', () => {
    const rows = rebuiltGoldenParity(written(id, true), entry);
    expect(beyond(rows, float16Bound(id, 'raw'))).toEqual([]);
  });
});

describe('a damaged weights folder', () => {
  const [model] = availableModels();

  it('is refused when a tensor file does not match its sha256', () => {
    const dir = written(model!.id, false);
    const { manifest } = readWeightsFolder(dir);
    const file = join(dir, manifest.tensors[3]!.file);
    const bytes = readFileSync(file);
    bytes[0] = bytes[0]! ^ 1;
    writeFileSync(file, bytes);
    expect(() => readWeightsFolder(dir)).toThrow(/the manifest lists \d+ bytes, [0-9a-f]{64}/);
  });

  it('is refused when a layer output shape does not follow from the layers', () => {
    const dir = written(model!.id, false);
    const path = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    manifest.layers[0].outputs[0].shape[1] += 1;
    writeFileSync(path, JSON.stringify(manifest));
    expect(() => readWeightsFolder(dir)).toThrow(/reading the weights manifest/);
  });
});
