import { describe, expect, test } from 'vitest';
import { floatToHalf, halfToFloat } from '../../../src/ir/float16.js';
import { op, run, single, value, type HandProgram } from './program.js';

function binary(type: string, xShape: number[], y: ReturnType<typeof value.fp32>, shape: number[]) {
  return single(type, xShape, { y }, shape);
}

describe('MIL element-wise ops', () => {
  test('add broadcasts [2,1,3] with [4,1] to [2,4,3]', () => {
    const p = binary('add', [2, 1, 3], value.fp32([4, 1], [10, 20, 30, 40]), [2, 4, 3]);
    const y = [0, 1, 2, 3].flatMap((b) => [0, 1, 2].map((c) => 10 * (b + 1) + c));
    expect(run(p, { x: [0, 1, 2, 3, 4, 5] }).y).toEqual([...y, ...y.map((v) => v + 3)]);
  });

  test('sub keeps its order and broadcasts x [1] against y [2,1]', () => {
    expect(run(binary('sub', [1], value.fp32([2, 1], [1, 2]), [2, 1]), { x: [5] }).y).toEqual([4, 3]);
  });

  test('mul by a rank-0 scalar, real_div by a one-element vector', () => {
    expect(run(binary('mul', [2, 2], value.fp32([], [3]), [2, 2]), { x: [1, 2, 3, 4] }).y).toEqual([3, 6, 9, 12]);
    expect(run(binary('real_div', [2], value.fp32([1], [2]), [2]), { x: [1, -3] }).y).toEqual([0.5, -1.5]);
  });

  test('maximum and minimum against zero', () => {
    expect(run(binary('maximum', [3], value.fp32([1], [0]), [3]), { x: [1, -2, 3] }).y).toEqual([1, 0, 3]);
    expect(run(binary('minimum', [3], value.fp32([1], [0]), [3]), { x: [1, -2, 3] }).y).toEqual([0, -2, 0]);
  });

  test('shapes that do not broadcast are refused', () => {
    expect(() => run(binary('add', [3], value.fp32([2], [1, 2]), [3]), { x: [1, 2, 3] })).toThrow(/input y: shape \[2\] does not broadcast with x \[3\]/);
  });

  test('an output declared with another shape than computed is refused', () => {
    expect(() => run(binary('add', [3], value.fp32([1], [1]), [4]), { x: [1, 2, 3] })).toThrow(
      /output y is declared fp32 \[4\], the executor computed fp32 \[3\]/,
    );
  });
});

describe('MIL activations', () => {
  test('relu, sigmoid, tanh, abs', () => {
    expect(run(single('abs', [3], {}, [3]), { x: [-1.5, 0, 2] }).y).toEqual([1.5, 0, 2]);
    expect(run(single('relu', [3], {}, [3]), { x: [-1, 0, 2.5] }).y).toEqual([0, 0, 2.5]);
    expect(run(single('sigmoid', [2], {}, [2]), { x: [0, Math.log(3)] }).y).toEqual([0.5, Math.fround(0.75)]);
    expect(run(single('tanh', [1], {}, [1]), { x: [0] }).y).toEqual([0]);
  });

  test('clip to [alpha, beta]; alpha above beta is refused', () => {
    expect(run(single('clip', [3], { alpha: value.float(-1), beta: value.float(2) }, [3]), { x: [-5, 0.5, 7] }).y).toEqual([-1, 0.5, 2]);
    expect(() => run(single('clip', [1], { alpha: value.float(2), beta: value.float(1) }, [1]), { x: [0] })).toThrow(/input beta: must be at least alpha/);
  });

  test('a parameter the op does not have is refused by name', () => {
    const p = {
      inputs: [{ name: 'x', shape: [1] }],
      operations: [op('relu', { x: 'x', alpha: value.float(1) }, [{ name: 'y', type: 'fp32', shape: [1] }])],
      outputs: [{ name: 'y', type: 'fp32', shape: [1] }],
    } as const;
    expect(() => run(p, { x: [1] })).toThrow(/operation 0 'y' \(relu\) input alpha: is not a parameter of relu the executor implements \(known: x\)/);
  });
});

/** Values a comparison can trip on: signed zeros, infinities, NaN, the smallest subnormal. */
const SPECIAL = [-0, 0, Number.NaN, 1.5, -1.5, Infinity, -Infinity, 2 ** -149, -(2 ** -149)];

/** Tells -0 from +0 (and reads every NaN as one), so a result is checked bit for bit short of NaN payloads. */
const exact = (values: readonly number[]): string[] => values.map((v) => (Object.is(v, -0) ? '-0' : String(v)));

describe('maximum, minimum and clip on signed zeros, infinities and NaN', () => {
  const n = SPECIAL.length;
  const picks = {
    maximum: (u: number, v: number) => (u > v ? u : v),
    minimum: (u: number, v: number) => (u < v ? u : v),
  };

  test.each(Object.keys(picks) as (keyof typeof picks)[])('%s picks as the float comparison does, pair by pair and against scalars', (type) => {
    const pick = picks[type];
    const xs = SPECIAL.flatMap((u) => SPECIAL.map(() => u));
    const ys = SPECIAL.flatMap(() => SPECIAL);
    const pairs: HandProgram = {
      inputs: [
        { name: 'x', shape: [n * n] },
        { name: 'y', shape: [n * n] },
      ],
      operations: [op(type, { x: 'x', y: 'y' }, [{ name: 'z', type: 'fp32', shape: [n * n] }])],
      outputs: [{ name: 'z', type: 'fp32', shape: [n * n] }],
    };
    expect(exact(run(pairs, { x: xs, y: ys }).z!)).toEqual(exact(xs.map((u, i) => pick(u, ys[i]!))));
    for (const s of SPECIAL) {
      expect(exact(run(binary(type, [n], value.fp32([], [s]), [n]), { x: SPECIAL }).y!)).toEqual(exact(SPECIAL.map((u) => pick(u, s))));
      expect(exact(run(binary(type, [1], value.fp32([n], SPECIAL), [n]), { x: [s] }).y!)).toEqual(exact(SPECIAL.map((v) => pick(s, v))));
    }
  });

  test.each([
    [0, 6],
    [-0, 6],
    [-1.5, 0],
    [-1.5, -0],
    [0, 0],
    [-0, -0],
    [-0, 0],
    [0, -0],
    [-Infinity, Infinity],
  ])('clip to [%s, %s] is Math.min(Math.max(x, alpha), beta)', (alpha, beta) => {
    const p = single('clip', [n], { alpha: value.float(alpha), beta: value.float(beta) }, [n]);
    expect(exact(run(p, { x: SPECIAL }).y!)).toEqual(exact(SPECIAL.map((v) => Math.min(Math.max(v, alpha), beta))));
  });

  test('sub and real_div keep their order when x is the broadcast operand', () => {
    expect(run(binary('sub', [1], value.fp32([3], [1, 2, 3]), [3]), { x: [10] }).y).toEqual([9, 8, 7]);
    expect(run(binary('real_div', [2, 1], value.fp32([1, 2], [2, 4]), [2, 2]), { x: [8, 16] }).y).toEqual([4, 2, 8, 4]);
  });
});

describe('float16 element-wise ops round every result to a half', () => {
  /** The float32 result of an op, then the nearest half: what a float16 program holds. */
  const half = (v: number): number => halfToFloat(floatToHalf(Math.fround(v)));
  const ops = {
    add: (u: number, v: number) => u + v,
    sub: (u: number, v: number) => u - v,
    mul: (u: number, v: number) => u * v,
    real_div: (u: number, v: number) => u / v,
  };

  /** cast x and y to fp16, `type` them, cast back. */
  function halfProgram(type: string, xShape: number[], yShape: number[], shape: number[]): HandProgram {
    return {
      inputs: [
        { name: 'x', shape: xShape },
        { name: 'y', shape: yShape },
      ],
      operations: [
        op('cast', { x: 'x', dtype: value.string('fp16') }, [{ name: 'x16', type: 'fp16', shape: xShape }]),
        op('cast', { x: 'y', dtype: value.string('fp16') }, [{ name: 'y16', type: 'fp16', shape: yShape }]),
        op(type, { x: 'x16', y: 'y16' }, [{ name: 'z16', type: 'fp16', shape }]),
        op('cast', { x: 'z16', dtype: value.string('fp32') }, [{ name: 'z', type: 'fp32', shape }]),
      ],
      outputs: [{ name: 'z', type: 'fp32', shape }],
    };
  }

  // 37 outputs in one run take the WebAssembly kernels; [2, 3, 2] against [2, 3, 1] makes runs of
  // 2, left to the TypeScript loops; a NaN sends any op to them too.
  const cases = [
    ['one long run', [37], [37], [37]],
    ['short runs', [2, 3, 2], [2, 3, 1], [2, 3, 2]],
  ] as const;
  test.each(Object.keys(ops) as (keyof typeof ops)[])('%s', (type) => {
    const f = ops[type];
    for (const [, xShape, yShape, shape] of cases) {
      const xs = Array.from({ length: xShape.reduce((a: number, b) => a * b, 1) }, (_, i) => Math.sin(i + 1) * 3.7);
      const ys = Array.from({ length: yShape.reduce((a: number, b) => a * b, 1) }, (_, i) => Math.cos(i + 2) * 1.3 + 0.01);
      const p = halfProgram(type, [...xShape], [...yShape], [...shape]);
      const yAt = (i: number) => (ys.length === xs.length ? i : Math.floor(i / 2));
      expect(run(p, { x: xs, y: ys }).z).toEqual(xs.map((u, i) => half(f(half(u), half(ys[yAt(i)]!)))));
      const withNaN = [Number.NaN, ...xs.slice(1)];
      expect(exact(run(p, { x: withNaN, y: ys }).z!)).toEqual(exact(withNaN.map((u, i) => half(f(half(u), half(ys[yAt(i)]!))))));
    }
  });
});
