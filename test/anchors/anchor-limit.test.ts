import { describe, expect, it } from 'vitest';
import { anchorCount, generateAnchors } from '../../src/anchors/generate-anchors.js';
import { anchorOptionsFromJson } from '../../src/anchors/options-json.js';
import { resolveAnchorOptions } from '../../src/anchors/resolve-options.js';
import { LimitError } from '../../src/ir/errors.js';
import { getModel } from '../../src/models/registry.js';
import { modelAnchorOptions } from '../../src/models/anchor-tables.js';

describe('the anchor limit', () => {
  it('counts exactly what generateAnchors makes, for every registry configuration', () => {
    for (const id of ['front', 'back', 'full_range']) {
      const options = modelAnchorOptions(getModel(id));
      expect(anchorCount(resolveAnchorOptions(options))).toBe(generateAnchors(options).length);
    }
  });

  it('refuses a small configuration that asks for billions of anchors, before making any', () => {
    const options = anchorOptionsFromJson(
      { input_size_width: 2 ** 31 - 1, input_size_height: 2 ** 31 - 1, num_layers: 1, strides: [1], min_scale: 0.1, max_scale: 0.5, aspect_ratios: [1] },
      'big.json',
    );
    expect(() => generateAnchors(options)).toThrow(LimitError);
    expect(() => generateAnchors(options)).toThrow(/over the limit of 1,048,576 anchors \(raise it with --max-anchors\)/);
  });

  it('is raised by its argument', () => {
    const options = modelAnchorOptions(getModel('full_range'));
    expect(() => generateAnchors(options, 2303)).toThrow(/2,304 anchors/);
    expect(generateAnchors(options, 2304)).toHaveLength(2304);
  });
});
