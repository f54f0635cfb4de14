import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../src/models/registry.js';
import { sha256Hex } from '../../src/io/sha256.js';
import { loadModelContext } from '../../src/convert/model-context.js';
import { convertToOnnx } from '../../src/convert/convert-onnx.js';
import { availableModels } from '../support/models.js';

describe.each(availableModels().map((m) => [m.id, m] as const))('ONNX of %s', (id, entry) => {
  it('is byte-identical across independent conversions of the same file', () => {
    const variant = { decode: entry.decoding !== undefined };
    const once = convertToOnnx(loadModelContext(loadModelFile(id)), variant);
    const again = convertToOnnx(loadModelContext(loadModelFile(id)), variant);
    expect(sha256Hex(again.bytes)).toBe(sha256Hex(once.bytes));
  });
});
