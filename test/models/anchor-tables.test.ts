import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorTablePath, modelAnchorTable } from '../../src/models/anchor-tables.js';
import { readNpy } from '../../src/anchors/read-npy.js';
import { encodeAnchors } from '../../src/anchors/write-anchors.js';
import { getModel, listModels } from '../../src/models/registry.js';
import { SHARED_DIR } from '../../scripts/dev-data.js';

const SEED_TABLE = join(SHARED_DIR, 'reference', 'anchors_front_128.npy');
// Reference files outside the repository may be absent on a developer's machine, never in CI.
const skipSeed = !existsSync(SEED_TABLE) && process.env.CI !== 'true';

const EXPECTED_COUNTS: Record<string, number> = {
  front: 896,
  back: 896,
  short_range: 896,
  full_range: 2304,
  full_range_sparse: 2304,
  palm_detection_lite: 2016,
  palm_detection_full: 2016,
};

const detectors = listModels().filter((m) => m.anchors !== undefined);

describe('registry anchor tables', () => {
  it('has the anchor counts the models output: 896 for front, short_range, back; 2304 for full range; 2016 for palms', () => {
    const counts = Object.fromEntries(detectors.map((m) => [m.id, modelAnchorTable(m).length / 4]));
    expect(counts).toEqual(EXPECTED_COUNTS);
    for (const m of detectors) expect(modelAnchorTable(m).length / 4).toBe(m.decoding?.num_boxes);
  });

  it('gives the landmark models no anchors', () => {
    expect(() => modelAnchorTable(getModel('hand_landmark_lite'))).toThrow(/is not an SSD detector/);
  });

  it.skipIf(skipSeed)("front and back equal the seed's table exactly after float32 rounding", () => {
    const seed = readNpy(new Uint8Array(readFileSync(SEED_TABLE)), SEED_TABLE);
    expect(seed.shape).toEqual([896, 4]);
    const seedFloat32 = Float32Array.from(seed.data);
    expect(modelAnchorTable(getModel('front'))).toEqual(seedFloat32);
    expect(modelAnchorTable(getModel('back'))).toEqual(seedFloat32);
  });

  it('lays the 128x128 table out as 16x16 cells x 2 anchors, then 8x8 cells x 6 anchors', () => {
    // Worked out by hand: stride 8 -> 16x16 cells, centre (x + 0.5) / 16; strides 16 (x3) merge
    // into one 8x8 map with 2 anchors per merged layer; fixed size, so w = h = 1.
    const table = modelAnchorTable(getModel('short_range'));
    const row = (i: number) => Array.from(table.subarray(i * 4, i * 4 + 4));
    expect(row(0)).toEqual([0.03125, 0.03125, 1, 1]);
    expect(row(1)).toEqual([0.03125, 0.03125, 1, 1]);
    expect(row(2)).toEqual([0.09375, 0.03125, 1, 1]);
    expect(row(511)).toEqual([0.96875, 0.96875, 1, 1]);
    for (let i = 512; i < 518; i++) expect(row(i)).toEqual([0.0625, 0.0625, 1, 1]);
    expect(row(518)).toEqual([0.1875, 0.0625, 1, 1]);
    expect(row(895)).toEqual([0.9375, 0.9375, 1, 1]);
  });

  it('lays the full-range table out as 48x48 cells with one anchor each (no interpolated anchor)', () => {
    const table = modelAnchorTable(getModel('full_range'));
    const row = (i: number) => Array.from(table.subarray(i * 4, i * 4 + 4));
    const f = Math.fround;
    expect(row(0)).toEqual([f(0.5 / 48), f(0.5 / 48), 1, 1]);
    expect(row(1)).toEqual([f(1.5 / 48), f(0.5 / 48), 1, 1]);
    expect(row(48 + 1)).toEqual([f(1.5 / 48), f(1.5 / 48), 1, 1]);
    expect(row(2303)).toEqual([f(47.5 / 48), f(47.5 / 48), 1, 1]);
  });

  it.each(detectors.map((m) => m.id))('committed weights/anchors/%s.npy is up to date (else run `npm run anchors`)', (id) => {
    const path = anchorTablePath(id);
    expect(existsSync(path), `${path} is missing: run npm run anchors`).toBe(true);
    const fresh = encodeAnchors(modelAnchorTable(getModel(id)), 'npy');
    expect(readFileSync(path).equals(fresh), `${path} is out of date: run npm run anchors`).toBe(true);
  });
});
