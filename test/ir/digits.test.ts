import { describe, expect, it } from 'vitest';
import { groupDigits } from '../../src/ir/digits.js';

describe('groupDigits', () => {
  it("writes integers as toLocaleString('en-US') does", () => {
    const values = [0, 7, -7, 999, 1000, -1000, 12_345, 999_999, 1_000_000, 423_256, 2 ** 26, -(2 ** 40) - 1, Number.MAX_SAFE_INTEGER];
    for (let n = 1; n < 1e15; n = n * 10 + (n % 7)) values.push(n, n - 1, n + 1);
    for (const n of values) expect(groupDigits(n), String(n)).toBe(n.toLocaleString('en-US'));
  });

  it('leaves what is not a safe integer to toLocaleString', () => {
    for (const n of [0.5, 1234.5678, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY]) expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
  });
});
