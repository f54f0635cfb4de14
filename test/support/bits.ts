/**
 * Where two float32 arrays differ in their bits (a signed zero and a NaN's payload count), at
 * most five places: one expect over this replaces toEqual on the arrays, whose matcher walks
 * every element.
 */
export function bitDifferences(want: Float32Array, got: Float32Array | undefined): string[] {
  if (got === undefined || got.length !== want.length) return [`length ${got?.length}, expected ${want.length}`];
  const a = new Uint32Array(want.buffer, want.byteOffset, want.length);
  const b = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const found: string[] = [];
  for (let i = 0; i < a.length && found.length < 5; i++) if (a[i] !== b[i]) found.push(`[${i}]: ${got[i]}, expected ${want[i]}`);
  return found;
}
