import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/ir/errors.js';
import { fileStem, loadModelFile } from '../../src/models/registry.js';

describe('fileStem', () => {
  it('names outputs after the file, never outside the output folder', () => {
    expect(fileStem('/m/face_detection_front.tflite')).toBe('face_detection_front');
    expect(fileStem('a/...tflite')).toBe('model');
    expect(fileStem('.tflite')).toBe('model');
    expect(fileStem('../..')).toBe('model');
    expect(fileStem('x/my model\u001b[2J.v2.tflite')).toBe('my_model__2J.v2');
  });
});

describe('loadModelFile', () => {
  it('refuses a folder with a typed error naming it', () => {
    const dir = mkdtempSync(`${tmpdir()}/model-`);
    expect(() => loadModelFile(dir)).toThrow(RegistryError);
    expect(() => loadModelFile(dir)).toThrow(/^is a folder, not a model file$/);
  });
});
