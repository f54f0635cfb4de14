import { describe, expect, it } from 'vitest';
import { getPerspectiveTransform, invertPerspective, rotatedRectCorners } from '../../src/image/perspective-transform.js';

describe('rotatedRectCorners (cv::RotatedRect::points)', () => {
  it('lists an upright rectangle bottom-left, top-left, top-right, bottom-right', () => {
    const corners = rotatedRectCorners({ centerX: 320, centerY: 240, width: 640, height: 480, angleDegrees: 0 });
    expect(corners).toEqual([
      { x: 0, y: 480 },
      { x: 0, y: 0 },
      { x: 640, y: 0 },
      { x: 640, y: 480 },
    ]);
  });

  it('turns the corners clockwise (in image coordinates) by the angle', () => {
    // 90 degrees: the 40 wide, 20 high box stands 20 wide and 40 high; the first corner,
    // bottom-left when upright, moves to the top-left. cos(pi/2) is 6e-17, not 0, but
    // vanishes against the coordinates in float32.
    const corners = rotatedRectCorners({ centerX: 50, centerY: 50, width: 40, height: 20, angleDegrees: 90 });
    expect(corners).toEqual([
      { x: 40, y: 30 },
      { x: 60, y: 30 },
      { x: 60, y: 70 },
      { x: 40, y: 70 },
    ]);
  });

  it('computes in float32', () => {
    const [p0] = rotatedRectCorners({ centerX: 0.1, centerY: 0.2, width: 0.3, height: 0.7, angleDegrees: 0 });
    const f = Math.fround;
    expect(p0!.x).toBe(f(f(0.1) - f(0.5 * f(0.3))));
    expect(p0!.y).toBe(f(f(0.2) + f(0.5 * f(0.7))));
  });
});

describe('getPerspectiveTransform', () => {
  it('finds the scale and offset that map a rectangle onto another', () => {
    // (0,10) (0,0) (20,0) (20,10) → (1,6) (1,1) (11,1) (11,6): x' = x/2 + 1, y' = y/2 + 1.
    const m = getPerspectiveTransform(
      [
        { x: 0, y: 10 },
        { x: 0, y: 0 },
        { x: 20, y: 0 },
        { x: 20, y: 10 },
      ],
      [
        { x: 1, y: 6 },
        { x: 1, y: 1 },
        { x: 11, y: 1 },
        { x: 11, y: 6 },
      ],
    );
    expect(Array.from(m).map((v) => v + 0)).toEqual([0.5, 0, 1, 0, 0.5, 1, 0, 0, 1]);
  });

  it('finds a true perspective map: every corner lands where asked', () => {
    const src = [
      { x: 3, y: 90 },
      { x: 10, y: 5 },
      { x: 120, y: 20 },
      { x: 100, y: 80 },
    ];
    const dst = [
      { x: 0, y: 64 },
      { x: 0, y: 0 },
      { x: 64, y: 0 },
      { x: 64, y: 64 },
    ];
    const m = getPerspectiveTransform(src, dst);
    expect(m[6]).not.toBe(0);
    src.forEach((p, i) => {
      const w = m[6]! * p.x + m[7]! * p.y + m[8]!;
      expect((m[0]! * p.x + m[1]! * p.y + m[2]!) / w).toBeCloseTo(dst[i]!.x, 9);
      expect((m[3]! * p.x + m[4]! * p.y + m[5]!) / w).toBeCloseTo(dst[i]!.y, 9);
    });
  });

  it('refuses points on a line, as OpenCV solve reports a singular system', () => {
    const line = [
      { x: 0, y: 0 },
      { x: 1, y: 1 },
      { x: 2, y: 2 },
      { x: 3, y: 3 },
    ];
    expect(() => getPerspectiveTransform(line, line)).toThrow(/singular/);
  });

  it('refuses anything but four point pairs', () => {
    expect(() => getPerspectiveTransform([{ x: 0, y: 0 }], [{ x: 0, y: 0 }])).toThrow(/4 source and 4 destination/);
  });
});

describe('invertPerspective (cv::invert of a 3x3 double matrix)', () => {
  it('inverts by the adjugate over the determinant', () => {
    // [2 0 4; 0 4 8; 0 0 1]: det 8, inverse [1/2 0 -2; 0 1/4 -2; 0 0 1], exact in binary.
    const inverse = invertPerspective(Float64Array.of(2, 0, 4, 0, 4, 8, 0, 0, 1));
    expect(Array.from(inverse).map((v) => v + 0)).toEqual([0.5, 0, -2, 0, 0.25, -2, 0, 0, 1]);
  });

  it('refuses a singular matrix', () => {
    expect(() => invertPerspective(Float64Array.of(1, 2, 3, 2, 4, 6, 0, 0, 1))).toThrow(/determinant is 0/);
  });
});
