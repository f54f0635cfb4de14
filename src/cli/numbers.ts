import { InvalidArgumentError } from 'commander';

/** A positive whole number written in plain decimal (`Number()` would also take `0x10`, `1e3` and ``). */
export function parseCount(text: string): number {
  const n = Number(text);
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`expected a positive whole number, got "${text}"`);
  return n;
}

/** A number in [0, 1] written in plain decimal. */
export function parseFraction(text: string): number {
  const n = Number(text);
  if (!/^(0|1|0?\.[0-9]+|1\.0+|0\.?)$/.test(text) || !(n >= 0 && n <= 1)) throw new InvalidArgumentError(`expected a number from 0 to 1, got "${text}"`);
  return n;
}
