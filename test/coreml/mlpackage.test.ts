import { describe, expect, test } from 'vitest';
import { MODEL_PATH, packageManifest, readPackageManifest, resolveModelPath } from '../../src/coreml/mlpackage.js';

const model = Uint8Array.of(1, 2, 3);
const weights = Uint8Array.of(4, 5);

describe('package manifest', () => {
  test('names the model as root and the weights folder, with identifiers derived from content', () => {
    const text = packageManifest(model, weights);
    const { manifest, modelPath } = readPackageManifest(text, 'p');
    expect(modelPath).toBe(MODEL_PATH);
    expect(manifest.fileFormatVersion).toBe('1.0.0');
    const items = Object.entries(manifest.itemInfoEntries);
    expect(items.map(([, i]) => [i.name, i.path, i.author, i.description])).toEqual([
      ['model.mlmodel', 'com.apple.CoreML/model.mlmodel', 'com.apple.CoreML', 'CoreML Model Specification'],
      ['weights', 'com.apple.CoreML/weights', 'com.apple.CoreML', 'CoreML Model Weights'],
    ]);
    for (const [id] of items) expect(id).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-8[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(packageManifest(model, weights)).toBe(text);
    expect(packageManifest(model, Uint8Array.of(4, 6))).not.toBe(text);
  });

  test.each([
    ['not JSON', '{', /not JSON/],
    ['another major version', '{"fileFormatVersion":"2.0.0","itemInfoEntries":{},"rootModelIdentifier":"a"}', /fileFormatVersion must be 1\.x\.y/],
    [
      'an item without a path',
      '{"fileFormatVersion":"1.0.0","itemInfoEntries":{"a":{"author":"x","description":"x","name":"x"}},"rootModelIdentifier":"a"}',
      /item a needs a string path/,
    ],
    [
      'an item path leaving Data/',
      '{"fileFormatVersion":"1.0.0","itemInfoEntries":{"a":{"author":"x","description":"x","name":"x","path":"../m"}},"rootModelIdentifier":"a"}',
      /must stay inside Data\//,
    ],
    ['a root naming no item', '{"fileFormatVersion":"1.0.0","itemInfoEntries":{},"rootModelIdentifier":"a"}', /rootModelIdentifier "a" names no item/],
  ])('refuses %s', (_, text, message) => {
    expect(() => readPackageManifest(text, 'p.mlpackage')).toThrow(message);
  });

  test('weight file references resolve beside the model and stay in the package', () => {
    expect(resolveModelPath(MODEL_PATH, '@model_path/weights/weight.bin', 'p')).toBe('Data/com.apple.CoreML/weights/weight.bin');
    expect(() => resolveModelPath(MODEL_PATH, 'weights/weight.bin', 'p')).toThrow(/starting with @model_path\//);
    expect(() => resolveModelPath(MODEL_PATH, '@model_path/../../x', 'p')).toThrow(/stay inside the model package/);
  });
});
