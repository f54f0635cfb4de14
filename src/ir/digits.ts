/**
 * An integer with its thousands grouped by commas, as `n.toLocaleString('en-US')` writes it.
 * The first toLocaleString call of a process sets up ICU number formatting, 25 ms of CPU, and
 * every CLI command that reports a size paid it.
 */
export function groupDigits(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}
