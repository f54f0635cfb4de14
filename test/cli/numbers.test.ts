import { describe, expect, it } from 'vitest';
import { parseCount, parseFraction } from '../../src/cli/numbers.js';

describe('numbers on the command line', () => {
  it('take plain decimals only', () => {
    expect(parseCount('2304')).toBe(2304);
    for (const bad of ['0', '0x10', '1e3', '', ' 5', '-1', '1.5', '99999999999999999999']) expect(() => parseCount(bad), bad).toThrow(/positive whole number/);
    expect([parseFraction('0'), parseFraction('1'), parseFraction('0.75'), parseFraction('.5'), parseFraction('1.0')]).toEqual([0, 1, 0.75, 0.5, 1]);
    for (const bad of ['0x1', '1e-1', '', '1.5', '-0.1', 'NaN', '2']) expect(() => parseFraction(bad), bad).toThrow(/from 0 to 1/);
  });
});
