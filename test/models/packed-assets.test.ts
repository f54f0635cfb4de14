import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packedAssets, readPackedAsset } from '../../src/models/packed-assets.js';
import { loadModelFile } from '../../src/models/registry.js';
import { sha256Hex } from '../../src/io/sha256.js';

const dir = mkdtempSync(join(tmpdir(), 'blazeface-packed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A loader written the way Emscripten's file packager writes one, and its data file. */
function pack(name: string, files: Record<string, string>, dataBytes?: number): void {
  let start = 0;
  const entries = Object.entries(files).map(([filename, text]) => {
    const entry = `{"filename": "/third_party/${filename}", "start": ${start}, "end": ${start + text.length}}`;
    start += text.length;
    return entry;
  });
  writeFileSync(join(dir, `${name}_loader.js`), `loadPackage({"files": [${entries.join(', ')}], "remote_package_size": ${start}});`);
  writeFileSync(join(dir, `${name}.data`), Object.values(files).join('').slice(0, dataBytes));
}

describe('packed assets', () => {
  it('lists the byte ranges the loader names and reads one file by its name', () => {
    pack('ok', { 'a/one.txt': 'hello', 'b/two.tflite': 'model bytes' });
    expect(packedAssets(dir, 'ok')).toEqual([
      { filename: '/third_party/a/one.txt', start: 0, end: 5 },
      { filename: '/third_party/b/two.tflite', start: 5, end: 16 },
    ]);
    const { path, bytes } = readPackedAsset(dir, 'ok', 'two.tflite');
    expect(new TextDecoder().decode(bytes)).toBe('model bytes');
    expect(path).toBe(`${join(dir, 'ok.data')}#two.tflite`);
  });

  it('refuses a missing file and a range past the end of the data, naming the data file', () => {
    pack('short', { 'x.tflite': 'abcdef' }, 3);
    expect(() => readPackedAsset(dir, 'short', 'y.tflite')).toThrow(/lists no y\.tflite/);
    expect(() => readPackedAsset(dir, 'short', 'x.tflite')).toThrow(/listed at bytes 0\.\.6, outside the 3-byte file/);
    expect(() => packedAssets(dir, 'absent')).toThrow(/loader not found/);
  });

  it.each(['palm_detection_lite', 'palm_detection_full', 'face_landmark'])('serves the registry model %s from node_modules, sha256-checked', (id) => {
    const file = loadModelFile(id);
    expect(file.path).toMatch(/_packed_assets\.data#/);
    expect(sha256Hex(file.bytes)).toBe(file.entry?.sha256);
  });
});
