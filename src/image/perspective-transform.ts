/**
 * OpenCV's perspective geometry with OpenCV's numerics, so that a warp driven by these matrices
 * lands on the same 1/32-pixel sample positions as `cv::warpPerspective` (warp-perspective.ts).
 *
 * - `rotatedRectCorners` is `cv::RotatedRect::points` (what `cv::boxPoints` returns): float32
 *   arithmetic in C++ evaluation order, the angle's cosine and sine taken in double and rounded
 *   to float32.
 * - `getPerspectiveTransform` is `cv::getPerspectiveTransform` with its default DECOMP_LU: the
 *   8x8 system in double (the products src*dst in the last two columns are float32 products,
 *   as in OpenCV where both factors are `float`), solved by OpenCV's own small-matrix LU
 *   (partial pivoting on the largest magnitude, back substitution dividing by the pivot).
 *   OpenCV hands matrices of 100 rows or more to LAPACK; 8x8 never gets there. Checked on
 *   random systems against cv2.solve(DECOMP_LU) of OpenCV 4.6: a variant that multiplies by
 *   a stored reciprocal pivot (found in other copies of OpenCV's source) differs in the last
 *   bits.
 * - `invertPerspective` is `cv::invert` of a 3x3 double matrix: the adjugate formula divided by
 *   the cofactor-expanded determinant, which `warpPerspective` applies to the forward matrix.
 *
 * Pure TypeScript without Node imports: it runs unchanged in a browser.
 */
import { InputError } from '../ir/errors.js';

const f32 = Math.fround;

/** A 3x3 matrix in row-major order, as OpenCV's CV_64F `Mat` holds it. */
export type Matrix3x3 = Float64Array;

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** `cv::RotatedRect`: centre and size in pixels, angle in degrees (clockwise in image coordinates). */
export interface RotatedRect {
  readonly centerX: number;
  readonly centerY: number;
  readonly width: number;
  readonly height: number;
  readonly angleDegrees: number;
}

/**
 * The four corners of a rotated rectangle in OpenCV's order: for angle 0 they are bottom-left,
 * top-left, top-right, bottom-right. Every input is taken as the float32 OpenCV would store.
 */
export function rotatedRectCorners(rect: RotatedRect): [Point, Point, Point, Point] {
  const cx = f32(rect.centerX);
  const cy = f32(rect.centerY);
  const w = f32(rect.width);
  const h = f32(rect.height);
  const radians = (f32(rect.angleDegrees) * Math.PI) / 180;
  const b = f32(f32(Math.cos(radians)) * 0.5);
  const a = f32(f32(Math.sin(radians)) * 0.5);
  const p0 = { x: f32(f32(cx - f32(a * h)) - f32(b * w)), y: f32(f32(cy + f32(b * h)) - f32(a * w)) };
  const p1 = { x: f32(f32(cx + f32(a * h)) - f32(b * w)), y: f32(f32(cy - f32(b * h)) - f32(a * w)) };
  const p2 = { x: f32(f32(2 * cx) - p0.x), y: f32(f32(2 * cy) - p0.y) };
  const p3 = { x: f32(f32(2 * cx) - p1.x), y: f32(f32(2 * cy) - p1.y) };
  return [p0, p1, p2, p3];
}

/**
 * The homography that maps `src[i]` to `dst[i]` (four float32 points each), bit for bit as
 * `cv::getPerspectiveTransform(src, dst)` computes it. Throws when the points are degenerate
 * (three on a line), where OpenCV's solver reports failure.
 */
export function getPerspectiveTransform(src: readonly Point[], dst: readonly Point[]): Matrix3x3 {
  if (src.length !== 4 || dst.length !== 4) {
    throw new InputError(`getPerspectiveTransform: expected 4 source and 4 destination points, got ${src.length} and ${dst.length}`);
  }
  const a = new Float64Array(64);
  const b = new Float64Array(8);
  for (let i = 0; i < 4; i++) {
    const sx = f32(src[i]!.x);
    const sy = f32(src[i]!.y);
    const dx = f32(dst[i]!.x);
    const dy = f32(dst[i]!.y);
    const top = i * 8;
    const bottom = (i + 4) * 8;
    a[top] = a[bottom + 3] = sx;
    a[top + 1] = a[bottom + 4] = sy;
    a[top + 2] = a[bottom + 5] = 1;
    a[top + 6] = f32(-sx * dx);
    a[top + 7] = f32(-sy * dx);
    a[bottom + 6] = f32(-sx * dy);
    a[bottom + 7] = f32(-sy * dy);
    b[i] = dx;
    b[i + 4] = dy;
  }
  if (!solveLu(a, b, 8)) {
    const points = src.map((p) => `(${p.x}, ${p.y})`).join(' ');
    throw new InputError(`getPerspectiveTransform: the source points ${points} do not span a plane (singular system)`);
  }
  const m = new Float64Array(9);
  m.set(b);
  m[8] = 1;
  return m;
}

/** OpenCV's `DBL_EPSILON * 100`: a pivot below it makes `cv::solve` report a singular system. */
const LU_EPSILON = 2.220446049250313e-16 * 100;

/**
 * Solves `a x = b` in place (`b` becomes x) exactly as OpenCV's `hal::LU` for doubles does:
 * row pivoting on the largest |a[j][i]|, the elimination factor as a[j][i] * (-1 / a[i][i]),
 * and back substitution dividing by the pivot. Returns false when a pivot is below OpenCV's
 * threshold.
 */
function solveLu(a: Float64Array, b: Float64Array, m: number): boolean {
  for (let i = 0; i < m; i++) {
    let k = i;
    for (let j = i + 1; j < m; j++) if (Math.abs(a[j * m + i]!) > Math.abs(a[k * m + i]!)) k = j;
    if (Math.abs(a[k * m + i]!) < LU_EPSILON) return false;
    if (k !== i) {
      for (let j = i; j < m; j++) swap(a, i * m + j, k * m + j);
      swap(b, i, k);
    }
    const d = -1 / a[i * m + i]!;
    for (let j = i + 1; j < m; j++) {
      const alpha = a[j * m + i]! * d;
      for (let c = i + 1; c < m; c++) a[j * m + c] = a[j * m + c]! + alpha * a[i * m + c]!;
      b[j] = b[j]! + alpha * b[i]!;
    }
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let c = i + 1; c < m; c++) s -= a[i * m + c]! * b[c]!;
    b[i] = s / a[i * m + i]!;
  }
  return true;
}

function swap(v: Float64Array, i: number, j: number): void {
  const t = v[i]!;
  v[i] = v[j]!;
  v[j] = t;
}

/**
 * The inverse of a 3x3 matrix as `cv::invert(m, DECOMP_LU)` computes it for CV_64F: the
 * determinant by cofactors along the first row, its reciprocal, and each adjugate entry times
 * that reciprocal. Throws for a zero determinant (OpenCV would return a zero matrix).
 */
export function invertPerspective(m: Matrix3x3): Matrix3x3 {
  const m00 = m[0]!,
    m01 = m[1]!,
    m02 = m[2]!;
  const m10 = m[3]!,
    m11 = m[4]!,
    m12 = m[5]!;
  const m20 = m[6]!,
    m21 = m[7]!,
    m22 = m[8]!;
  const det = m00 * (m11 * m22 - m12 * m21) - m01 * (m10 * m22 - m12 * m20) + m02 * (m10 * m21 - m11 * m20);
  if (det === 0) throw new InputError(`cannot invert the perspective transform [${Array.from(m).join(', ')}]: determinant is 0`);
  const d = 1 / det;
  return Float64Array.of(
    (m11 * m22 - m12 * m21) * d,
    (m02 * m21 - m01 * m22) * d,
    (m01 * m12 - m02 * m11) * d,
    (m12 * m20 - m10 * m22) * d,
    (m00 * m22 - m02 * m20) * d,
    (m02 * m10 - m00 * m12) * d,
    (m10 * m21 - m11 * m20) * d,
    (m01 * m20 - m00 * m21) * d,
    (m00 * m11 - m01 * m10) * d,
  );
}
