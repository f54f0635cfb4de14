import { describe, expect, test } from 'vitest';
import { run, single, value } from './program.js';

/** Sampling [0, 1] on 5 or 6 points: the grid points of Apple's resize_bilinear documentation. */
describe('MIL resize_bilinear', () => {
  test.each([
    ['UNALIGN_CORNERS', 5, [0, 0.1, 0.5, 0.9, 1]],
    ['STRICT_ALIGN_CORNERS', 5, [0, 0.25, 0.5, 0.75, 1]],
    ['ALIGN_CORNERS', 5, [0, 0.25, 0.5, 0.75, 1]],
    ['DEFAULT', 5, [0, 0.4, 0.8, 1, 1]],
    ['OFFSET_CORNERS', 5, [0.1, 0.3, 0.5, 0.7, 0.9]],
    ['UNALIGN_CORNERS', 6, [0, 0, 1 / 3, 2 / 3, 1, 1]],
    ['STRICT_ALIGN_CORNERS', 6, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    ['DEFAULT', 6, [0, 1 / 3, 2 / 3, 1, 1, 1]],
  ])('%s to %d points', (mode, width, expected) => {
    const p = single(
      'resize_bilinear',
      [1, 1, 1, 2],
      { target_size_height: value.int(1), target_size_width: value.int(width), sampling_mode: value.string(mode) },
      [1, 1, 1, width],
    );
    const y = run(p, { x: [0, 1] }).y!;
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  test('UNALIGN_CORNERS 2x in both axes is TFLite half-pixel: value 2r + c at clamped (r, c)', () => {
    const p = single(
      'resize_bilinear',
      [1, 1, 2, 2],
      { target_size_height: value.int(4), target_size_width: value.int(4), sampling_mode: value.string('UNALIGN_CORNERS') },
      [1, 1, 4, 4],
    );
    const g = [0, 0.25, 0.75, 1];
    expect(run(p, { x: [0, 1, 2, 3] }).y).toEqual(g.flatMap((r) => g.map((c) => 2 * r + c)));
  });

  test('STRICT_ALIGN_CORNERS to one point samples the first; ALIGN_CORNERS the middle', () => {
    const one = (mode: string) =>
      single(
        'resize_bilinear',
        [1, 1, 1, 3],
        { target_size_height: value.int(1), target_size_width: value.int(1), sampling_mode: value.string(mode) },
        [1, 1, 1, 1],
      );
    expect(run(one('STRICT_ALIGN_CORNERS'), { x: [2, 4, 8] }).y).toEqual([2]);
    expect(run(one('ALIGN_CORNERS'), { x: [2, 4, 8] }).y).toEqual([4]);
  });
});

describe('MIL upsample_bilinear', () => {
  test('align_corners false samples like UNALIGN_CORNERS, true like STRICT_ALIGN_CORNERS', () => {
    const up = (scale: number, alignCorners: boolean, width: number) =>
      single(
        'upsample_bilinear',
        [1, 1, 2],
        { scale_factor_height: value.int(1), scale_factor_width: value.float(scale), align_corners: value.bool(alignCorners) },
        [1, 1, width],
      );
    run(up(3, false, 6), { x: [0, 1] }).y!.forEach((v, i) => expect(v).toBeCloseTo([0, 0, 1 / 3, 2 / 3, 1, 1][i]!, 6));
    expect(run(up(2.5, true, 5), { x: [0, 1] }).y).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});
